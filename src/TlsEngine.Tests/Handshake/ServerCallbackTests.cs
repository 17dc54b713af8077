using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

public class ServerCallbackTests
{
    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Certificate_is_chosen_by_sni(TlsVersion version)
    {
        TlsServerOptions server = Engines.Server();
        server.Certificate = null;
        server.CertificateSelector = name => name == "other.example"
            ? TlsCertificateCredential.FromPemFiles(TestPki.PathOf("othername.pem"), TestPki.PathOf("othername.key.pem"))
            : TestPki.Credential("rsa2048");
        TlsClientOptions client = Engines.Client(serverName: "other.example");
        client.MaxVersion = version;
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        Assert.Equal(File.ReadAllText(TestPki.PathOf("othername.pem")).Replace("\n", ""), PemOf(pair.Client.PeerCertificates[0]));
    }

    [Fact]
    public void Server_without_a_certificate_for_the_name_fails_with_unrecognized_name()
    {
        TlsServerOptions server = Engines.Server();
        server.Certificate = null;
        server.CertificateSelector = name => null;
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.UnrecognizedName, pair.Server.LastError!.Alert);
    }

    [Fact]
    public void Alpn_is_chosen_by_the_selector_from_the_clients_list()
    {
        TlsServerOptions server = Engines.Server();
        IReadOnlyList<string>? seen = null;
        server.ApplicationProtocolSelector = offered => { seen = offered; return offered[^1]; };
        TlsClientOptions client = Engines.Client();
        client.ApplicationProtocols = new List<string> { "h2", "http/1.1", "acme-tls/1" };
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake());
        Assert.Equal(new[] { "h2", "http/1.1", "acme-tls/1" }, seen);
        Assert.Equal("acme-tls/1", pair.Client.ApplicationProtocol);
    }

    private static string PemOf(byte[] der) =>
        "-----BEGIN CERTIFICATE-----" + string.Concat(Convert.ToBase64String(der).Chunk(64).Select(c => new string(c))) + "-----END CERTIFICATE-----";
}
