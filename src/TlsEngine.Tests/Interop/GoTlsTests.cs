using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>
/// The engine against Go's crypto/tls (interop/go-peer), both roles, both versions. Go 1.19
/// has no extended master secret, so TLS 1.2 with it needs the explicit waiver.
/// </summary>
public class GoTlsTests
{
    [PeerFact(Peer.Go)]
    public void Engine_client_refuses_a_tls12_go_server_without_extended_master_secret_by_default()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Start(GoPeer.Path, $"server {port} {TestPki.CertPath("ecdsa-p256")} {TestPki.KeyPath("ecdsa-p256")} 1.2");
        server.WaitFor(() => server.Stdout.Contains("LISTENING"), "the Go server");
        using TlsStream tls = TcpHosts.ConnectClient(port, Engines.Client(seed: null));
        TlsException error = Assert.Throws<TlsException>(() => tls.Authenticate());
        Assert.Equal(TlsFailureReason.ExtendedMasterSecretMissing, error.Error.Reason);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, error.Error.Alert);
    }

    [PeerTheory(Peer.Go)]
    [InlineData("1.3", "ecdsa-p256", null, TlsNamedGroup.X25519)]
    [InlineData("1.3", "rsa2048", null, TlsNamedGroup.X25519)]
    [InlineData("1.3", "ed25519", null, TlsNamedGroup.X25519)]
    [InlineData("1.3", "ecdsa-p384", "p384", TlsNamedGroup.Secp384r1)]
    [InlineData("1.2", "ecdsa-p256", null, TlsNamedGroup.X25519)]
    [InlineData("1.2", "rsa2048", "p256", TlsNamedGroup.Secp256r1)]
    public void Engine_client_talks_to_go_server(string version, string keyType, string? group, TlsNamedGroup expectedGroup)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Start(GoPeer.Path, $"server {port} {TestPki.CertPath(keyType)} {TestPki.KeyPath(keyType)} {version} {group}");
        server.WaitFor(() => server.Stdout.Contains("LISTENING"), "the Go server");
        TlsClientOptions options = Engines.Client(seed: null);
        options.RequireExtendedMasterSecret = version == "1.3";
        using (TlsStream tls = TcpHosts.ConnectClient(port, options))
        {
            tls.Authenticate();
            tls.Write("hello go\n"u8.ToArray());
            Assert.Equal("go: hello go\n", TcpHosts.ReadLine(tls));
            Assert.Equal(version == "1.3" ? TlsVersion.Tls13 : TlsVersion.Tls12, tls.Connection.Version);
            Assert.Equal(expectedGroup, tls.Connection.Group);
            // A forced P-384 server answers the X25519 share with HelloRetryRequest.
            Assert.Equal(version == "1.3" && group == "p384", tls.Connection.HelloRetryRequested);
        }

        server.WaitFor(() => server.Stdout.Contains("SERVED"), "the Go server to finish");
    }

    [PeerTheory(Peer.Go)]
    [InlineData("1.3", "ecdsa-p256")]
    [InlineData("1.3", "ed25519")]
    [InlineData("1.3", "rsa2048")]
    [InlineData("1.2", "ecdsa-p384")]
    [InlineData("1.2", "rsa2048")]
    public async Task Go_client_talks_to_engine_server(string version, string keyType)
    {
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            TlsServerOptions options = Engines.Server(keyType, seed: null);
            options.RequireExtendedMasterSecret = version == "1.3";
            await using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
            await tls.AuthenticateAsync();
            string line = TcpHosts.ReadLine(tls);
            await tls.WriteAsync(Encoding.ASCII.GetBytes("engine: " + line));
            // Close only after the client has: closing with its bytes unread would reset the connection.
            var rest = new byte[64];
            while (await tls.ReadAsync(rest) > 0)
            {
            }
        });
        using OpenSslProcess client = OpenSslProcess.Start(GoPeer.Path, $"client {port} {TestPki.CaPath} localhost {version} ping");
        Assert.True(client.WaitForExit(30000), $"the Go client did not finish: {client.Stdout} {client.Stderr}");
        client.WaitFor(() => client.Stdout.Contains("CONNECTED"), "the Go client's report");
        Assert.Contains("engine: ping", client.Stdout);
        Assert.Contains(version == "1.3" ? "version=304" : "version=303", client.Stdout);
        await done.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
