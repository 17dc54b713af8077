using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>A connection keeps the settings it was created with: a host that changes its options object later changes only later connections.</summary>
public class OptionSnapshotTests
{
    [Fact]
    public void Handshake_uses_the_application_protocols_given_at_creation_when_the_lists_change_later()
    {
        TlsClientOptions client = Engines.Client();
        client.ApplicationProtocols = new List<string> { "h2" };
        TlsServerOptions server = Engines.Server();
        server.ApplicationProtocols = new List<string> { "h2", "http/1.1" };
        using TlsPair pair = Engines.Pair(client, server);

        client.ApplicationProtocols.Clear();
        client.ApplicationProtocols.Add("http/1.1");
        server.ApplicationProtocols.Remove("h2");

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal("h2", pair.Client.ApplicationProtocol);
        Assert.Equal("h2", pair.Server.ApplicationProtocol);
    }

    [Fact]
    public void Handshake_uses_the_cipher_suites_given_at_creation_when_the_list_changes_later()
    {
        TlsClientOptions client = Engines.Client();
        client.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_256_GCM_SHA384 };
        using TlsPair pair = Engines.Pair(client, Engines.Server());

        client.CipherSuites[0] = TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256;

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsCipherSuite.TLS_AES_256_GCM_SHA384, pair.Client.CipherSuite);
    }

    [Fact]
    public void Server_keeps_its_credential_and_client_certificate_mode_when_the_options_change_later()
    {
        TlsServerOptions server = Engines.Server("ecdsa-p256");
        using TlsPair pair = Engines.Pair(Engines.Client(), server);

        server.Certificate = TestPki.Credential("rsa2048");
        server.CertificateSelector = _ => TestPki.Credential("rsa2048");
        server.ClientCertificateMode = TlsClientCertificateMode.Require;
        server.Groups.Clear();
        server.Groups.Add(TlsNamedGroup.Secp384r1);

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsSignatureScheme.EcdsaSecp256r1Sha256, pair.Client.PeerSignatureScheme);
        Assert.Equal(TlsNamedGroup.X25519, pair.Server.Group);
        Assert.Empty(pair.Server.PeerCertificates);
    }

    [Fact]
    public void Early_data_sent_is_the_bytes_given_at_creation()
    {
        var cache = new TlsSessionCache();
        TlsServerOptions server = Engines.Server();
        server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(9), new FixedTimeProvider(Engines.Now));
        server.MaxEarlyDataSize = 1024;
        TlsClientOptions first = Engines.Client();
        first.SessionCache = cache;
        using (TlsPair pair = Engines.Pair(first, server))
        {
            Assert.True(pair.Handshake());
            // The ticket arrives after the handshake; reading takes it in.
            Assert.Equal(TlsStatus.WantRead, pair.Client.Read(new byte[16], out _));
        }

        TlsClientOptions second = Engines.Client(seed: 3);
        second.SessionCache = cache;
        second.EarlyData = "GET /"u8.ToArray();
        using TlsPair resumed = Engines.Pair(second, server);
        second.EarlyData[0] = (byte)'X';

        Assert.True(resumed.Handshake(), $"{resumed.Client.LastError} / {resumed.Server.LastError}");
        Assert.Equal(TlsEarlyDataStatus.Accepted, resumed.Client.EarlyDataStatus);
        var buffer = new byte[16];
        Assert.Equal(TlsStatus.Ok, resumed.Server.Read(buffer, out int read));
        Assert.Equal("GET /", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
    }
}
