using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>The engine against GnuTLS (gnutls-serv --echo and gnutls-cli), both roles, both versions.</summary>
public class GnuTlsTests
{
    private static string Priority(TlsVersion version) =>
        version == TlsVersion.Tls13 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3" : "NORMAL:-VERS-ALL:+VERS-TLS1.2";

    [PeerTheory(Peer.GnuTls)]
    [InlineData(TlsVersion.Tls13, "ecdsa-p256")]
    [InlineData(TlsVersion.Tls13, "rsa2048")]
    [InlineData(TlsVersion.Tls13, "ed25519")]
    [InlineData(TlsVersion.Tls12, "ecdsa-p384")]
    [InlineData(TlsVersion.Tls12, "rsa2048")]
    public void Engine_client_talks_to_gnutls_server(TlsVersion version, string keyType)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Start("gnutls-serv", $"--echo -p {port} --x509certfile {TestPki.CertPath(keyType)} --x509keyfile {TestPki.KeyPath(keyType)} --priority {Priority(version)}");
        server.WaitFor(() => server.Stdout.Contains("listening on IPv4") || server.Stderr.Contains("listening on IPv4"), "gnutls-serv to listen");
        using TlsStream tls = TcpHosts.ConnectClient(port, Engines.Client(seed: null));
        tls.Authenticate();
        tls.Write("hello gnutls\n"u8.ToArray());
        Assert.Equal("hello gnutls\n", TcpHosts.ReadLine(tls));
        Assert.Equal(version, tls.Connection.Version);
    }

    [PeerTheory(Peer.GnuTls)]
    [InlineData(TlsVersion.Tls13, "ecdsa-p256")]
    [InlineData(TlsVersion.Tls13, "ed25519")]
    [InlineData(TlsVersion.Tls12, "rsa2048")]
    [InlineData(TlsVersion.Tls12, "ecdsa-p256")]
    public async Task Gnutls_client_talks_to_engine_server(TlsVersion version, string keyType)
    {
        TlsVersion? negotiated = null;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var tls = new TlsStream(stream, TlsConnection.CreateServer(Engines.Server(keyType, seed: null)));
            await tls.AuthenticateAsync();
            negotiated = tls.Connection.Version;
            var buffer = new byte[64];
            int n = await tls.ReadAsync(buffer);
            await tls.WriteAsync(Encoding.ASCII.GetBytes("engine: " + Encoding.ASCII.GetString(buffer, 0, n)));
            while (await tls.ReadAsync(buffer) > 0)
            {
            }
        });
        using (OpenSslProcess client = OpenSslProcess.Start("gnutls-cli", $"--x509cafile {TestPki.CaPath} --priority {Priority(version)} -p {port} 127.0.0.1"))
        {
            client.Stdin.WriteLine("ping");
            client.Stdin.Flush();
            client.WaitFor(() => client.Stdout.Contains("engine: ping"), "the engine's reply");
            client.Stdin.Close();
            Assert.True(client.WaitForExit());
            Assert.Equal(0, client.ExitCode);
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(version, negotiated);
    }
}
