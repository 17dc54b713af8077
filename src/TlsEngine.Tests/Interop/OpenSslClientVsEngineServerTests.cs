using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>`openssl s_client -tls1_3` against the engine as a server that echoes one line.</summary>
public class OpenSslClientVsEngineServerTests
{
    private static (OpenSslProcess Client, Task Server, TlsConnection? Connection) Run(TlsServerOptions options, string clientArgs, Action<TlsConnection>? inspect = null)
    {
        TlsConnection? seen = null;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await Task.Yield();
            using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
            seen = tls.Connection;
            tls.Authenticate();
            inspect?.Invoke(tls.Connection);
            string line = TcpHosts.ReadLine(tls);
            tls.Write(Encoding.ASCII.GetBytes("echo: " + line));
            var rest = new byte[256];
            while (tls.Read(rest, 0, rest.Length) > 0)
            {
            }
        });
        OpenSslProcess client = OpenSslProcess.Client(port, $"-tls1_3 -CAfile {TestPki.CaPath} -servername localhost -verify_return_error -quiet -no_ign_eof {clientArgs}");
        return (client, done, seen);
    }

    private static void ExchangeLine(OpenSslProcess client, Task server)
    {
        client.Stdin.WriteLine("ping");
        client.Stdin.Flush();
        client.WaitFor(() => client.Stdout.Contains("echo: ping"), "the engine's echo");
        client.Stdin.Close();
        Assert.True(client.WaitForExit(), "s_client did not exit");
        Assert.True(server.Wait(TimeSpan.FromSeconds(10)), "server did not finish");
        Assert.Equal(0, client.ExitCode);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("ecdsa-p256")]
    [InlineData("ecdsa-p384")]
    [InlineData("rsa2048")]
    [InlineData("ed25519")]
    public void Server_serves_openssl_client_for_each_key_type(string keyType)
    {
        (OpenSslProcess client, Task server, _) = Run(Engines.Server(keyType, seed: null), "");
        using (client)
        {
            ExchangeLine(client, server);
        }
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("TLS_AES_128_GCM_SHA256", TlsCipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData("TLS_AES_256_GCM_SHA384", TlsCipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData("TLS_CHACHA20_POLY1305_SHA256", TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public void Server_negotiates_each_suite_with_openssl_client(string name, TlsCipherSuite suite)
    {
        TlsCipherSuite? negotiated = null;
        (OpenSslProcess client, Task server, _) = Run(Engines.Server(seed: null), $"-ciphersuites {name}", c => negotiated = c.CipherSuite);
        using (client)
        {
            ExchangeLine(client, server);
        }

        Assert.Equal(suite, negotiated);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("X25519", TlsNamedGroup.X25519)]
    [InlineData("P-256", TlsNamedGroup.Secp256r1)]
    [InlineData("P-384", TlsNamedGroup.Secp384r1)]
    public void Server_uses_each_group_with_openssl_client(string name, TlsNamedGroup group)
    {
        TlsNamedGroup? negotiated = null;
        (OpenSslProcess client, Task server, _) = Run(Engines.Server(seed: null), $"-groups {name}", c => negotiated = c.Group);
        using (client)
        {
            ExchangeLine(client, server);
        }

        Assert.Equal(group, negotiated);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Server_sends_hello_retry_request_to_openssl_client_for_preferred_group()
    {
        TlsServerOptions options = Engines.Server(seed: null);
        options.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp384r1 };
        bool retried = false;
        TlsNamedGroup? group = null;
        (OpenSslProcess client, Task server, _) = Run(options, "-groups X25519:P-384", c => { retried = c.HelloRetryRequested; group = c.Group; });
        using (client)
        {
            ExchangeLine(client, server);
        }

        Assert.True(retried);
        Assert.Equal(TlsNamedGroup.Secp384r1, group);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Server_selects_alpn_for_openssl_client()
    {
        TlsServerOptions options = Engines.Server(seed: null);
        options.ApplicationProtocols = new List<string> { "h2", "http/1.1" };
        string? protocol = null;
        (OpenSslProcess client, Task server, _) = Run(options, "-alpn http/1.1,h2", c => protocol = c.ApplicationProtocol);
        using (client)
        {
            ExchangeLine(client, server);
        }

        Assert.Equal("h2", protocol);
    }

    [PeerFact(Peer.OpenSsl)]
    public async Task Server_refuses_openssl_client_without_common_alpn_with_no_application_protocol()
    {
        TlsServerOptions options = Engines.Server(seed: null);
        options.ApplicationProtocols = new List<string> { "h2" };
        (OpenSslProcess client, Task server, _) = Run(options, "-alpn spdy/1");
        using (client)
        {
            var tls = await Assert.ThrowsAsync<TlsException>(() => server.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Equal(TlsAlertDescription.NoApplicationProtocol, tls.Error.Alert);
            Assert.True(client.WaitForExit(), "s_client did not exit");
            Assert.Contains("no application protocol", client.Stderr);
        }
    }
}
