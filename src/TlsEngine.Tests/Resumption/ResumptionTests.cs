using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Resumption;

/// <summary>TLS 1.3 tickets, PSK resumption and 0-RTT between two engines.</summary>
public class ResumptionTests
{
    private readonly TlsSessionCache _cache = new();
    private readonly TlsSessionTicketKeys _keys = new(TlsRandom.FromSeed(99), new FixedTimeProvider(Engines.Now));

    private TlsPair Connect(ulong seed, Action<TlsClientOptions>? client = null, Action<TlsServerOptions>? server = null, bool completeHandshake = true)
    {
        TlsClientOptions clientOptions = Engines.Client(seed);
        clientOptions.SessionCache = _cache;
        client?.Invoke(clientOptions);
        TlsServerOptions serverOptions = Engines.Server(seed: seed + 1000);
        serverOptions.SessionTicketKeys = _keys;
        serverOptions.MaxEarlyDataSize = 4096;
        server?.Invoke(serverOptions);
        TlsPair pair = Engines.Pair(clientOptions, serverOptions);
        if (completeHandshake)
        {
            Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
            // The ticket arrives after the handshake; reading takes it in.
            Assert.Equal(TlsStatus.WantRead, pair.Client.Read(new byte[16], out _));
        }

        return pair;
    }

    [Fact]
    public void Second_connection_resumes_with_the_ticket_from_the_first()
    {
        using (TlsPair first = Connect(1))
        {
            Assert.False(first.Client.IsResumed);
            Assert.Single(first.Client.SessionTickets);
        }

        Assert.Equal(1, _cache.Count("localhost"));
        using TlsPair second = Connect(2);
        Assert.True(second.Client.IsResumed);
        Assert.True(second.Server.IsResumed);
        Assert.Empty(second.Client.PeerCertificates);
        Assert.Null(second.Client.PeerSignatureScheme);
        second.Client.Write("resumed"u8, out _);
        second.Pump();
        var buffer = new byte[16];
        Assert.Equal(TlsStatus.Ok, second.Server.Read(buffer, out int read));
        Assert.Equal("resumed", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public void Tickets_are_single_use_on_the_client()
    {
        using (Connect(1))
        {
        }

        using (TlsPair second = Connect(2))
        {
            Assert.True(second.Client.IsResumed);
        }

        // The second connection's own ticket is in the cache now; the first one was consumed.
        Assert.Equal(1, _cache.Count("localhost"));
    }

    [Fact]
    public void Resumption_survives_a_hello_retry_request()
    {
        using (Connect(1))
        {
        }

        using TlsPair second = Connect(2, server: s => s.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 });
        Assert.True(second.Client.HelloRetryRequested);
        Assert.True(second.Client.IsResumed);
    }

    [Fact]
    public void Expired_ticket_is_not_offered()
    {
        using (Connect(1))
        {
        }

        using TlsPair second = Connect(2, client: c => c.TimeProvider = new FixedTimeProvider(Engines.Now.AddHours(3)));
        Assert.False(second.Client.IsResumed);
    }

    [Fact]
    public void Server_refuses_a_ticket_past_its_lifetime_and_does_a_full_handshake()
    {
        using (Connect(1))
        {
        }

        using TlsPair second = Connect(2, server: s => s.TimeProvider = new FixedTimeProvider(Engines.Now.AddHours(3)));
        Assert.False(second.Server.IsResumed);
        Assert.False(second.Client.IsResumed);
        Assert.NotEmpty(second.Client.PeerCertificates);
    }

    [Fact]
    public void Ticket_from_another_server_key_gives_a_full_handshake()
    {
        using (Connect(1))
        {
        }

        using TlsPair second = Connect(2, server: s => s.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(5)));
        Assert.False(second.Server.IsResumed);
    }

    [Fact]
    public void Tampered_binder_fails_with_decrypt_error()
    {
        using (Connect(1))
        {
        }

        using TlsPair second = Connect(2, completeHandshake: false);
        second.Tamper = (fromClient, chunk) =>
        {
            if (fromClient && chunk[0] == 22 && chunk[5] == 1)
            {
                int length = (chunk[3] << 8) | chunk[4];
                chunk[5 + length - 1] ^= 0x01;
            }

            return chunk;
        };
        Assert.False(second.Handshake());
        Assert.Equal(TlsAlertDescription.DecryptError, second.Server.LastError!.Alert);
    }

    [Fact]
    public void Early_data_is_accepted_and_read_by_the_server()
    {
        using (Connect(1))
        {
        }

        using TlsPair second = Connect(2, client: c => c.EarlyData = Encoding.ASCII.GetBytes("GET /early"));
        Assert.Equal(TlsEarlyDataStatus.Accepted, second.Client.EarlyDataStatus);
        Assert.Equal(TlsEarlyDataStatus.Accepted, second.Server.EarlyDataStatus);
        var buffer = new byte[64];
        Assert.Equal(TlsStatus.Ok, second.Server.Read(buffer, out int read));
        Assert.Equal("GET /early", Encoding.ASCII.GetString(buffer, 0, read));
        second.Client.Write("after"u8, out _);
        second.Pump();
        Assert.Equal(TlsStatus.Ok, second.Server.Read(buffer, out read));
        Assert.Equal("after", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public void Replayed_early_data_is_rejected()
    {
        using (Connect(1))
        {
        }

        byte[] firstFlight;
        using (TlsPair original = Connect(2, client: c => c.EarlyData = Encoding.ASCII.GetBytes("transfer 100")))
        {
            Assert.Equal(TlsEarlyDataStatus.Accepted, original.Server.EarlyDataStatus);
            var records = Wire.Records(original.ClientToServer);
            // ClientHello, CCS and the early data record: what an attacker would replay.
            firstFlight = original.ClientToServer.Take(records.Take(3).Sum(r => 5 + r.Payload.Length)).ToArray();
        }

        TlsServerOptions options = Engines.Server(seed: 77);
        options.SessionTicketKeys = _keys;
        options.MaxEarlyDataSize = 4096;
        using var replay = TlsConnection.CreateServer(options);
        replay.Inbound.Write(firstFlight);
        Assert.Equal(TlsStatus.WantWrite, replay.Accept());
        Assert.NotEqual(TlsEarlyDataStatus.Accepted, replay.EarlyDataStatus);
        Assert.Equal(TlsStatus.WantWrite, replay.Read(new byte[64], out int read));
        Assert.Equal(0, read);
    }

    [Fact]
    public void Server_enforces_max_early_data_size_with_unexpected_message()
    {
        using (Connect(1))
        {
        }

        // The ticket still promises 4096 bytes, but this server now takes only 10.
        using TlsPair second = Connect(2, client: c => c.EarlyData = new byte[100], server: s => s.MaxEarlyDataSize = 10, completeHandshake: false);
        Assert.False(second.Handshake());
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, second.Server.LastError!.Alert);
        Assert.Contains("max_early_data_size", second.Server.LastError.Message);
    }

    [Fact]
    public void Early_data_with_an_implausible_ticket_age_is_refused_but_the_session_resumes()
    {
        using (Connect(1))
        {
        }

        // A client clock a minute ahead reports a ticket age the server cannot match (RFC 8446 §8.3).
        using TlsPair second = Connect(2, client: c =>
        {
            c.EarlyData = new byte[16];
            c.TimeProvider = new FixedTimeProvider(Engines.Now.AddMinutes(1));
        });
        Assert.True(second.Server.IsResumed);
        Assert.Equal(TlsEarlyDataStatus.Rejected, second.Client.EarlyDataStatus);
        Assert.Equal(TlsEarlyDataStatus.Rejected, second.Server.EarlyDataStatus);
    }

    [Fact]
    public void Server_without_early_data_rejects_it_cleanly_and_the_handshake_completes()
    {
        using (Connect(1))
        {
        }

        using TlsPair second = Connect(2, client: c => c.EarlyData = Encoding.ASCII.GetBytes("maybe"), server: s => s.MaxEarlyDataSize = 0);
        Assert.True(second.Client.IsResumed);
        Assert.Equal(TlsEarlyDataStatus.Rejected, second.Client.EarlyDataStatus);
        Assert.Equal(TlsEarlyDataStatus.Rejected, second.Server.EarlyDataStatus);
    }
}
