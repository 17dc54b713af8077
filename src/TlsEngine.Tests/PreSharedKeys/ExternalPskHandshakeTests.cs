using System.Security.Cryptography;
using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.PreSharedKeys.PskTestPeers;

namespace TlsEngine.Tests.PreSharedKeys;

/// <summary>TLS 1.3 external PSKs between two engines (RFC 8446 §2.2, §4.2.9, §4.2.11): what must work.</summary>
public class ExternalPskHandshakeTests
{
    [Fact]
    public void Psk_handshake_needs_no_certificate_on_either_side()
    {
        using TlsPair pair = Connected(Client(Psk()), Server(Psk()));
        Assert.Equal(TlsVersion.Tls13, pair.Client.Version);
        Assert.Equal("device-1"u8.ToArray(), pair.Client.PskIdentity);
        Assert.Equal("device-1"u8.ToArray(), pair.Server.PskIdentity);
        Assert.False(pair.Client.IsResumed);
        Assert.Empty(pair.Client.PeerCertificates);
        Assert.Null(pair.Client.PeerSignatureScheme);
        // psk_dhe_ke by default: a fresh key exchange.
        Assert.Equal(TlsNamedGroup.X25519, pair.Client.Group);
        AssertDataFlows(pair);
    }

    [Fact]
    public void Certificate_handshake_exposes_no_psk_identity()
    {
        using TlsPair pair = Engines.Connected();
        Assert.Null(pair.Client.PskIdentity);
        Assert.Null(pair.Server.PskIdentity);
    }

    [Fact]
    public void Server_sends_neither_certificate_nor_certificate_verify_in_a_psk_handshake()
    {
        var keyLog = new List<string>();
        TlsClientOptions client = Client(Psk());
        client.KeyLog = keyLog.Add;
        using TlsPair pair = Connected(client, Server(Psk()));
        // Under the server's handshake key: EncryptedExtensions (8) and Finished (20) only.
        List<byte> types = ProtectedWire.HandshakeTypes(pair.ServerToClient, ProtectedWire.Secret(keyLog, "SERVER_HANDSHAKE_TRAFFIC_SECRET"));
        Assert.Equal(new byte[] { 8, 20 }, types);
    }

    [Fact]
    public void Sha384_psk_takes_a_sha384_suite_although_the_server_prefers_sha256()
    {
        TlsExternalPsk psk = Psk(hash: HashAlgorithmName.SHA384);
        using TlsPair pair = Connected(Client(psk), Server(psk));
        Assert.Equal(TlsCipherSuite.TLS_AES_256_GCM_SHA384, pair.Client.CipherSuite);
        Assert.Equal(TlsCipherSuite.TLS_AES_256_GCM_SHA384, pair.Server.CipherSuite);
    }

    [Fact]
    public void Psk_without_key_exchange_when_both_sides_opt_in()
    {
        TlsClientOptions client = Client(Psk());
        client.PskKeyExchangeModes = TlsPskKeyExchangeModes.WithoutKeyExchange;
        TlsServerOptions server = Server(Psk());
        server.PskKeyExchangeModes = TlsPskKeyExchangeModes.Both;
        using TlsPair pair = Connected(client, server);
        Assert.Null(pair.Client.Group);
        Assert.Null(pair.Server.Group);
        Assert.NotNull(pair.Client.PskIdentity);
        AssertDataFlows(pair);
    }

    [Fact]
    public void Server_allowing_both_modes_prefers_key_exchange_when_the_client_offers_both()
    {
        TlsClientOptions client = Client(Psk());
        client.PskKeyExchangeModes = TlsPskKeyExchangeModes.Both;
        TlsServerOptions server = Server(Psk());
        server.PskKeyExchangeModes = TlsPskKeyExchangeModes.Both;
        using TlsPair pair = Connected(client, server);
        Assert.Equal(TlsNamedGroup.X25519, pair.Server.Group);
    }

    [Fact]
    public void Server_finds_the_key_through_its_lookup_and_the_client_second_identity_wins()
    {
        var asked = new List<string>();
        TlsServerOptions server = Server();
        server.ExternalPskLookup = identity =>
        {
            string name = Encoding.UTF8.GetString(identity);
            asked.Add(name);
            return name == "second" ? Psk("second") : null;
        };
        using TlsPair pair = Connected(Client(Psk("first"), Psk("second")), server);
        Assert.Equal("second"u8.ToArray(), pair.Client.PskIdentity);
        Assert.Equal(new[] { "first", "second" }, asked);
    }

    [Fact]
    public void Unknown_identity_falls_back_to_the_certificate_when_the_server_has_one()
    {
        TlsClientOptions client = Client(Psk("stranger"));
        client.ServerName = "localhost";
        TlsServerOptions server = Engines.Server();
        server.ExternalPsks = new List<TlsExternalPsk> { Psk() };
        using TlsPair pair = Connected(client, server);
        Assert.Null(pair.Client.PskIdentity);
        Assert.NotEmpty(pair.Client.PeerCertificates);
    }

    [Fact]
    public void Psk_survives_a_hello_retry_request()
    {
        TlsServerOptions server = Server(Psk());
        server.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 };
        using TlsPair pair = Connected(Client(Psk()), server);
        Assert.True(pair.Client.HelloRetryRequested);
        Assert.NotNull(pair.Client.PskIdentity);
        Assert.Equal(TlsNamedGroup.Secp256r1, pair.Client.Group);
    }

    [Fact]
    public void Client_offers_no_early_data_under_an_external_psk()
    {
        TlsClientOptions client = Client(Psk());
        client.EarlyData = "GET /"u8.ToArray();
        using TlsPair pair = Connected(client, Server(Psk()));
        Assert.Equal(TlsEarlyDataStatus.None, pair.Client.EarlyDataStatus);
        Assert.Equal(TlsEarlyDataStatus.None, pair.Server.EarlyDataStatus);
    }

    [Fact]
    public void Ticket_and_external_psk_offered_together_resume_from_the_ticket_at_index_0()
    {
        var cache = new TlsSessionCache();
        var keys = new TlsSessionTicketKeys(TlsRandom.FromSeed(5), new FixedTimeProvider(Engines.Now));
        var looked = new List<byte[]>();
        TlsClientOptions NewClient()
        {
            TlsClientOptions client = Client(Psk());
            client.ServerName = "localhost";
            client.SessionCache = cache;
            return client;
        }

        TlsServerOptions NewServer()
        {
            TlsServerOptions server = Server();
            server.SessionTicketKeys = keys;
            server.ExternalPskLookup = identity =>
            {
                looked.Add(identity);
                return identity.AsSpan().SequenceEqual("device-1"u8) ? Psk() : null;
            };
            return server;
        }

        using (TlsPair first = Connected(NewClient(), NewServer()))
        {
            Assert.NotNull(first.Client.PskIdentity);
            Assert.Equal(TlsStatus.WantRead, first.Client.Read(new byte[16], out _));
        }

        looked.Clear();
        using TlsPair second = Connected(NewClient(), NewServer());
        Assert.True(second.Client.IsResumed);
        Assert.True(second.Server.IsResumed);
        Assert.Null(second.Client.PskIdentity);
        // The ticket opened as a ticket: it never reached the host's lookup.
        Assert.Empty(looked);
    }

    [Fact]
    public void External_psk_at_index_1_is_selected_when_the_ticket_cannot_be_opened()
    {
        var cache = new TlsSessionCache();
        TlsClientOptions NewClient()
        {
            TlsClientOptions client = Client(Psk());
            client.ServerName = "localhost";
            client.SessionCache = cache;
            return client;
        }

        TlsServerOptions NewServer(ulong seed)
        {
            TlsServerOptions server = Server(Psk());
            server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(seed), new FixedTimeProvider(Engines.Now));
            return server;
        }

        using (TlsPair first = Connected(NewClient(), NewServer(1)))
        {
            first.Client.Read(new byte[16], out _);
        }

        Assert.Equal(1, cache.Count("localhost"));
        // Another server's ticket keys: the ticket is unknown there, and the external PSK after it is taken.
        using TlsPair second = Connected(NewClient(), NewServer(2));
        Assert.False(second.Client.IsResumed);
        Assert.Equal("device-1"u8.ToArray(), second.Client.PskIdentity);
        Assert.Equal("device-1"u8.ToArray(), second.Server.PskIdentity);
    }

    [Fact]
    public void Server_reports_the_identity_the_client_sent_when_its_lookup_returns_a_key_under_another_name()
    {
        TlsServerOptions server = Server();
        server.ExternalPskLookup = _ => Psk("shared-default");
        using TlsPair pair = Connected(Client(Psk()), server);
        Assert.Equal("device-1"u8.ToArray(), pair.Server.PskIdentity);
    }
}
