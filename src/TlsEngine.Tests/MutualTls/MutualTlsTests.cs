using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.MutualTls;

/// <summary>Client certificates in both versions, in memory and against openssl.</summary>
public class MutualTlsTests
{
    private static (TlsClientOptions Client, TlsServerOptions Server) Options(TlsVersion version, TlsClientCertificateMode mode, string? clientKey = "ecdsa-p256")
    {
        TlsClientOptions client = Engines.Client();
        client.MinVersion = client.MaxVersion = version;
        if (clientKey != null)
        {
            client.ClientCertificate = TestPki.Credential(clientKey);
        }

        TlsServerOptions server = Engines.Server();
        server.ClientCertificateMode = mode;
        server.ClientCertificateTrustAnchors = TestPki.Roots;
        return (client, server);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, "ecdsa-p256")]
    [InlineData(TlsVersion.Tls13, "rsa2048")]
    [InlineData(TlsVersion.Tls13, "ed25519")]
    [InlineData(TlsVersion.Tls12, "ecdsa-p384")]
    [InlineData(TlsVersion.Tls12, "rsa2048")]
    public void Server_accepts_a_valid_client_certificate(TlsVersion version, string keyType)
    {
        (TlsClientOptions client, TlsServerOptions server) = Options(version, TlsClientCertificateMode.Require, keyType);
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Single(pair.Server.PeerCertificates);
        Assert.Equal(File.ReadAllText(TestPki.CertPath(keyType)).Length > 0, pair.Server.PeerSignatureScheme != null);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, TlsAlertDescription.CertificateRequired)]
    [InlineData(TlsVersion.Tls12, TlsAlertDescription.HandshakeFailure)]
    public void Server_requiring_a_certificate_refuses_a_client_without_one(TlsVersion version, TlsAlertDescription alert)
    {
        (TlsClientOptions client, TlsServerOptions server) = Options(version, TlsClientCertificateMode.Require, clientKey: null);
        using TlsPair pair = Engines.Pair(client, server);
        Assert.False(pair.Handshake());
        Assert.Equal(alert, pair.Server.LastError!.Alert);
        Assert.Equal(TlsErrorKind.Certificate, pair.Server.LastError.Kind);
        // A TLS 1.3 client has finished its side already; it learns of the refusal on its next read.
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[16], out _));
        Assert.Equal(alert, pair.Client.LastError!.Alert);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Server_requesting_a_certificate_accepts_a_client_without_one(TlsVersion version)
    {
        (TlsClientOptions client, TlsServerOptions server) = Options(version, TlsClientCertificateMode.Request, clientKey: null);
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Empty(pair.Server.PeerCertificates);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Server_refuses_a_client_certificate_from_an_untrusted_root_with_unknown_ca(TlsVersion version)
    {
        (TlsClientOptions client, TlsServerOptions server) = Options(version, TlsClientCertificateMode.Request);
        client.ClientCertificate = TlsCertificateCredential.FromPemFiles(TestPki.PathOf("untrusted.pem"), TestPki.PathOf("untrusted.key.pem"));
        using TlsPair pair = Engines.Pair(client, server);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.UnknownCa, pair.Server.LastError!.Alert);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Server_refuses_a_client_certificate_verify_made_with_another_key(TlsVersion version)
    {
        (TlsClientOptions client, TlsServerOptions server) = Options(version, TlsClientCertificateMode.Require);
        client.ClientCertificate = TlsCertificateCredential.CreateUnchecked(File.ReadAllText(TestPki.CertPath("ecdsa-p256")), File.ReadAllText(TestPki.PathOf("othername.key.pem")));
        using TlsPair pair = Engines.Pair(client, server);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.DecryptError, pair.Server.LastError!.Alert);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public void Engine_client_presents_its_certificate_to_openssl_requiring_one(string version)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"{version} -rev -Verify 2 -verify_return_error -CAfile {TestPki.CaPath} -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        TlsClientOptions options = Engines.Client(seed: null);
        options.ClientCertificate = TestPki.Credential("rsa2048");
        using TlsStream tls = TcpHosts.ConnectClient(port, options);
        tls.Authenticate();
        tls.Write("mtls\n"u8.ToArray());
        Assert.Equal("sltm\n", TcpHosts.ReadLine(tls));
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public async Task Openssl_client_certificate_is_required_and_accepted_by_engine_server(string version)
    {
        TlsServerOptions options = Engines.Server(seed: null);
        options.ClientCertificateMode = TlsClientCertificateMode.Require;
        options.ClientCertificateTrustAnchors = TestPki.Roots;
        int certificates = -1;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await Task.Yield();
            using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
            tls.Authenticate();
            certificates = tls.Connection.PeerCertificates.Count;
            string line = TcpHosts.ReadLine(tls);
            tls.Write(Encoding.ASCII.GetBytes("hello " + line));
            var rest = new byte[64];
            while (tls.Read(rest, 0, rest.Length) > 0)
            {
            }
        });
        using (OpenSslProcess client = OpenSslProcess.Client(port, $"{version} -cert {TestPki.CertPath("ed25519")} -key {TestPki.KeyPath("ed25519")} -CAfile {TestPki.CaPath} -servername localhost -verify_return_error -quiet -no_ign_eof"))
        {
            client.Stdin.WriteLine("client");
            client.Stdin.Flush();
            client.WaitFor(() => client.Stdout.Contains("hello client"), "the engine's reply");
            client.Stdin.Close();
            Assert.True(client.WaitForExit());
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(certificates >= 1);
    }

    [PeerFact(Peer.OpenSsl)]
    public async Task Engine_server_refuses_openssl_client_without_certificate_with_certificate_required()
    {
        TlsServerOptions options = Engines.Server(seed: null);
        options.ClientCertificateMode = TlsClientCertificateMode.Require;
        options.ClientCertificateTrustAnchors = TestPki.Roots;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await Task.Yield();
            using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
            tls.Authenticate();
            TcpHosts.ReadLine(tls);
        });
        using OpenSslProcess client = OpenSslProcess.Client(port, $"-tls1_3 -CAfile {TestPki.CaPath} -servername localhost -quiet -no_ign_eof");
        client.Stdin.WriteLine("no cert");
        client.Stdin.Flush();
        var error = await Assert.ThrowsAsync<TlsException>(() => done.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(TlsAlertDescription.CertificateRequired, error.Error.Alert);
    }
}
