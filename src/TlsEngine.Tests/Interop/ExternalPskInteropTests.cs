using System.Text;
using TlsEngine;
using TlsEngine.Tests.PreSharedKeys;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>
/// TLS 1.3 external PSKs without certificates against OpenSSL (s_server -psk -nocert, s_client -psk)
/// and GnuTLS (gnutls-serv --pskpasswd, gnutls-cli --pskusername/--pskkey), the engine in both roles.
/// OpenSSL's -psk key is SHA-256 and used with TLS_AES_128_GCM_SHA256.
/// </summary>
public class ExternalPskInteropTests
{
    private const string Identity = "interop-device";

    private static readonly string KeyHex = Convert.ToHexString(PskTestPeers.Key).ToLowerInvariant();

    private const string GnuTlsPriority = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+ECDHE-PSK:+DHE-PSK:+PSK";



    private static TlsExternalPsk Psk() => PskTestPeers.Psk(Identity);

    private static TlsClientOptions Client()
    {
        TlsClientOptions options = PskTestPeers.Client(Psk());
        options.Random = TlsRandom.System;
        return options;
    }

    private static TlsServerOptions Server()
    {
        TlsServerOptions options = PskTestPeers.Server(Psk());
        options.Random = TlsRandom.System;
        return options;
    }

    [PeerFact(Peer.OpenSsl)]
    public void Engine_client_uses_a_psk_with_openssl_s_server_without_certificate()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -rev -nocert -psk {KeyHex} -psk_identity {Identity}");
        using TlsStream tls = TcpHosts.ConnectClient(port, Client());
        tls.Authenticate();
        tls.Write("hello psk\n"u8.ToArray());
        Assert.Equal("ksp olleh\n", TcpHosts.ReadLine(tls));
        Assert.Equal(Encoding.ASCII.GetBytes(Identity), tls.Connection.PskIdentity);
        Assert.Equal(TlsCipherSuite.TLS_AES_128_GCM_SHA256, tls.Connection.CipherSuite);
        Assert.Empty(tls.Connection.PeerCertificates);
    }

    [PeerFact(Peer.OpenSsl)]
    public async Task Openssl_s_client_uses_a_psk_with_the_engine_server_without_certificate()
    {
        byte[]? identity = null;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var tls = new TlsStream(stream, TlsConnection.CreateServer(Server()));
            await tls.AuthenticateAsync();
            identity = tls.Connection.PskIdentity;
            await Echo(tls);
        });
        using (OpenSslProcess client = OpenSslProcess.Client(port, $"-tls1_3 -psk {KeyHex} -psk_identity {Identity} -quiet -no_ign_eof"))
        {
            client.Stdin.WriteLine("ping");
            client.Stdin.Flush();
            client.WaitFor(() => client.Stdout.Contains("engine: ping"), "the engine's reply");
            client.Stdin.Close();
            Assert.True(client.WaitForExit());
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Encoding.ASCII.GetBytes(Identity), identity);
    }

    [PeerFact(Peer.GnuTls)]
    public void Engine_client_uses_a_psk_with_gnutls_serv()
    {
        string passwd = Path.Combine(Path.GetTempPath(), $"tlsengine-psk-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        File.WriteAllText(passwd, $"{Identity}:{KeyHex}\n");
        try
        {
            int port = OpenSslProcess.FreePort();
            using OpenSslProcess server = OpenSslProcess.Start("gnutls-serv", $"--echo -p {port} --pskpasswd {passwd} --priority {GnuTlsPriority}");
            server.WaitFor(() => server.Stdout.Contains("listening on IPv4") || server.Stderr.Contains("listening on IPv4"), "gnutls-serv to listen");
            using TlsStream tls = TcpHosts.ConnectClient(port, Client());
            tls.Authenticate();
            tls.Write("hello gnutls psk\n"u8.ToArray());
            Assert.Equal("hello gnutls psk\n", TcpHosts.ReadLine(tls));
            Assert.Equal(Encoding.ASCII.GetBytes(Identity), tls.Connection.PskIdentity);
            Assert.Empty(tls.Connection.PeerCertificates);
        }
        finally
        {
            File.Delete(passwd);
        }
    }

    [PeerFact(Peer.GnuTls)]
    public async Task Gnutls_cli_uses_a_psk_with_the_engine_server()
    {
        byte[]? identity = null;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var tls = new TlsStream(stream, TlsConnection.CreateServer(Server()));
            await tls.AuthenticateAsync();
            identity = tls.Connection.PskIdentity;
            await Echo(tls);
        });
        using (OpenSslProcess client = OpenSslProcess.Start("gnutls-cli", $"--pskusername {Identity} --pskkey {KeyHex} --priority {GnuTlsPriority} -p {port} 127.0.0.1"))
        {
            client.Stdin.WriteLine("ping");
            client.Stdin.Flush();
            client.WaitFor(() => client.Stdout.Contains("engine: ping"), "the engine's reply");
            client.Stdin.Close();
            Assert.True(client.WaitForExit());
            Assert.Equal(0, client.ExitCode);
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Encoding.ASCII.GetBytes(Identity), identity);
    }

    private static async Task Echo(TlsStream tls)
    {
        var buffer = new byte[64];
        int n = await tls.ReadAsync(buffer);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("engine: " + Encoding.ASCII.GetString(buffer, 0, n)));
        while (await tls.ReadAsync(buffer) > 0)
        {
        }
    }
}
