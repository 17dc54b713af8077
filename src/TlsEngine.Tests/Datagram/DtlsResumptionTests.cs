using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>DTLS 1.3 resumption from NewSessionTicket (RFC 9147 §5.9, §7; RFC 8446 §4.6.1, §2.2).</summary>
public class DtlsResumptionTests
{
    private readonly TlsSessionCache _cache = new();
    private readonly TlsSessionTicketKeys _keys = new(TlsRandom.FromSeed(99), new FixedTimeProvider(Engines.Now));

    private static TlsDatagramOptions Patient() => new() { MaxRetransmissions = 12 };

    private DtlsRun Run(int seed, LinkProfile profile) => new(seed, profile,
        clock =>
        {
            TlsClientOptions options = DtlsRun.DefaultClient(clock);
            options.SessionCache = _cache;
            return options;
        },
        clock =>
        {
            TlsServerOptions options = DtlsRun.DefaultServer(clock);
            options.SessionTicketKeys = _keys;
            return options;
        },
        Patient(), Patient());

    /// <summary>A full handshake whose tickets reach the client, which acknowledges them (the server stops its timer).</summary>
    private void FirstConnection(int seed, LinkProfile profile)
    {
        using DtlsRun run = Run(seed, profile);
        Assert.True(run.Handshake(TimeSpan.FromHours(1)), $"{run.Client.LastError} / {run.Server.LastError}");
        Assert.False(run.Client.IsResumed);
        Assert.True(run.RunUntil(() => run.Server.NextTimeout == null && run.Client.NextTimeout == null && run.NothingPending(), TimeSpan.FromHours(1)),
            $"{run.Client.LastError} / {run.Server.LastError}");
        Assert.True(_cache.Count("localhost") > 0);
    }

    [Fact]
    public void Dtls13_session_resumes_from_an_acknowledged_ticket()
    {
        FirstConnection(1, LinkProfile.Perfect);

        using DtlsRun second = Run(2, LinkProfile.Perfect);
        Assert.True(second.Handshake(), $"{second.Client.LastError} / {second.Server.LastError}");

        DtlsConnectionTests.AssertConnected(second);
        Assert.True(second.Client.IsResumed);
        Assert.True(second.Server.IsResumed);
        Assert.Null(second.Client.NextTimeout);
        DtlsConnectionTests.ExchangeMessages(second, 2);
    }

    [Theory]
    [InlineData(0.2, 3)]
    [InlineData(0.3, 4)]
    [InlineData(0.3, 5)]
    public void Dtls13_resumption_completes_over_a_lossy_reordering_link(double loss, int seed)
    {
        var profile = new LinkProfile { DropRate = loss, DuplicateRate = 0.1, ReorderRate = 0.2, DelayRate = 0.2 };
        FirstConnection(seed, profile);

        using DtlsRun second = Run(seed + 100, profile);
        Assert.True(second.Handshake(TimeSpan.FromHours(1)), $"{second.Client.LastError} / {second.Server.LastError}");

        DtlsConnectionTests.AssertConnected(second);
        Assert.True(second.Client.IsResumed);
        Assert.True(second.Server.IsResumed);
    }

    [Fact]
    public void Lost_ack_of_the_ticket_makes_the_server_resend_it_and_the_client_acknowledges_it_again()
    {
        using DtlsRun run = Run(1, LinkProfile.Perfect);
        int dropped = 0;
        // The client's first datagram after the handshake (the ACK of the tickets) is lost.
        run.Tamper = (from, datagram) => from == LinkEnd.A && run.Client.IsHandshakeComplete && run.Server.IsHandshakeComplete && dropped++ == 0 ? null : datagram;
        Assert.True(run.RunUntil(() => run.Server.IsHandshakeComplete && run.Server.NextTimeout == null && run.NothingPending(), TimeSpan.FromMinutes(1)));

        Assert.Equal(1, run.Server.Retransmissions);
        Assert.Null(run.Server.LastError);
        Assert.True(_cache.Count("localhost") > 0);
    }

    [Fact]
    public void Dtls_ticket_offered_over_tls_is_not_redeemed_and_a_full_handshake_follows()
    {
        FirstConnection(1, LinkProfile.Perfect);
        // Make the client offer it over TLS (its own check would keep it back): the server must refuse it.
        TlsSessionTicket ticket = _cache.Take("localhost", Engines.Now)!;
        ticket.Record.Datagram = false;
        _cache.Add("localhost", ticket);

        TlsClientOptions client = Engines.Client(5);
        client.SessionCache = _cache;
        TlsServerOptions server = Engines.Server(seed: 1005);
        server.SessionTicketKeys = _keys;
        using TlsPair pair = Engines.Pair(client, server);

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.False(pair.Client.IsResumed);
        Assert.False(pair.Server.IsResumed);
    }

    [Fact]
    public void Tls_ticket_offered_over_dtls_is_not_redeemed_and_a_full_handshake_follows()
    {
        TlsClientOptions client = Engines.Client(5);
        client.SessionCache = _cache;
        TlsServerOptions server = Engines.Server(seed: 1005);
        server.SessionTicketKeys = _keys;
        using (TlsPair pair = Engines.Pair(client, server))
        {
            Assert.True(pair.Handshake());
            pair.Client.Read(new byte[16], out _);
        }

        TlsSessionTicket ticket = _cache.Take("localhost", Engines.Now)!;
        ticket.Record.Datagram = true;
        _cache.Add("localhost", ticket);

        using DtlsRun run = Run(1, LinkProfile.Perfect);
        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");
        Assert.False(run.Client.IsResumed);
        Assert.False(run.Server.IsResumed);
    }

    [Fact]
    public void Dtls_client_keeps_a_tls_ticket_back()
    {
        TlsClientOptions client = Engines.Client(5);
        client.SessionCache = _cache;
        TlsServerOptions server = Engines.Server(seed: 1005);
        server.SessionTicketKeys = _keys;
        using (TlsPair pair = Engines.Pair(client, server))
        {
            Assert.True(pair.Handshake());
            pair.Client.Read(new byte[16], out _);
        }

        int before = _cache.Count("localhost");
        using DtlsRun run = Run(1, LinkProfile.Perfect);
        run.Client.Connect();
        // The first ClientHello carries no pre_shared_key extension (41 = 0x0029).
        byte[] hello = run.Take(run.Client).Single();
        Assert.False(ContainsExtension(hello, 0x0029));
        Assert.True(before > 0);
    }

    [Fact]
    public void Early_data_stays_refused_over_datagrams()
    {
        TlsServerOptions server = Engines.Server();
        server.MaxEarlyDataSize = 1024;
        server.SessionTicketKeys = _keys;
        ArgumentException refused = Assert.ThrowsAny<ArgumentException>(() => DtlsConnection.CreateServer(server));
        Assert.Equal(nameof(TlsServerOptions.MaxEarlyDataSize), refused.ParamName);
    }

    /// <summary>Looks for an extension type in a plaintext DTLS ClientHello record (13-byte record header, 12-byte handshake header).</summary>
    private static bool ContainsExtension(byte[] record, ushort type)
    {
        int p = 13 + 12 + 2 + 32;
        p += 1 + record[p];                          // legacy_session_id
        p += 1 + record[p];                          // legacy_cookie
        p += 2 + ((record[p] << 8) | record[p + 1]); // cipher_suites
        p += 1 + record[p];                          // legacy_compression_methods
        int end = p + 2 + ((record[p] << 8) | record[p + 1]);
        for (p += 2; p + 4 <= end; p += 4 + ((record[p + 2] << 8) | record[p + 3]))
        {
            if (((record[p] << 8) | record[p + 1]) == type)
            {
                return true;
            }
        }

        return false;
    }
}
