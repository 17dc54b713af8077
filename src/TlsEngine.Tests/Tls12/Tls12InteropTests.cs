using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Tls12;

/// <summary>TLS 1.2 against openssl (both roles, each suite and key type) and SslStream.</summary>
public class Tls12InteropTests
{
    private static TlsClientOptions Client12()
    {
        TlsClientOptions options = Engines.Client(seed: null);
        options.MaxVersion = TlsVersion.Tls12;
        return options;
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("ecdsa-p256", "ECDHE-ECDSA-AES128-GCM-SHA256", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData("ecdsa-p256", "ECDHE-ECDSA-AES256-GCM-SHA384", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    [InlineData("ecdsa-p384", "ECDHE-ECDSA-CHACHA20-POLY1305", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
    [InlineData("rsa2048", "ECDHE-RSA-AES128-GCM-SHA256", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData("rsa2048", "ECDHE-RSA-AES256-GCM-SHA384", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)]
    [InlineData("rsa2048", "ECDHE-RSA-CHACHA20-POLY1305", TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)]
    [InlineData("ed25519", "ECDHE-ECDSA-AES128-GCM-SHA256", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    public void Client_talks_to_openssl_tls12_server_for_each_suite_and_key_type(string keyType, string cipher, TlsCipherSuite suite)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_2 -rev -cipher {cipher} -cert {TestPki.CertPath(keyType)} -key {TestPki.KeyPath(keyType)}");
        using TlsStream tls = TcpHosts.ConnectClient(port, Engines.Client(seed: null));
        tls.Authenticate();
        tls.Write("tls twelve\n"u8.ToArray());
        Assert.Equal("evlewt slt\n", TcpHosts.ReadLine(tls));
        Assert.Equal(TlsVersion.Tls12, tls.Connection.Version);
        Assert.Equal(suite, tls.Connection.CipherSuite);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("X25519", TlsNamedGroup.X25519)]
    [InlineData("P-256", TlsNamedGroup.Secp256r1)]
    [InlineData("P-384", TlsNamedGroup.Secp384r1)]
    public void Client_uses_each_group_with_openssl_tls12_server(string name, TlsNamedGroup group)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_2 -rev -groups {name} -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        using TlsStream tls = TcpHosts.ConnectClient(port, Client12());
        tls.Authenticate();
        Assert.Equal(group, tls.Connection.Group);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("ecdsa-p256", "ECDHE-ECDSA-AES128-GCM-SHA256")]
    [InlineData("ecdsa-p384", "ECDHE-ECDSA-AES256-GCM-SHA384")]
    [InlineData("rsa2048", "ECDHE-RSA-CHACHA20-POLY1305")]
    [InlineData("rsa2048", "ECDHE-RSA-AES256-GCM-SHA384")]
    [InlineData("ed25519", "ECDHE-ECDSA-CHACHA20-POLY1305")]
    public async Task Server_serves_openssl_tls12_client_for_each_suite_and_key_type(string keyType, string cipher)
    {
        TlsCipherSuite? negotiated = null;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await Task.Yield();
            using var tls = new TlsStream(stream, TlsConnection.CreateServer(Engines.Server(keyType, seed: null)));
            tls.Authenticate();
            negotiated = tls.Connection.CipherSuite;
            string line = TcpHosts.ReadLine(tls);
            tls.Write(Encoding.ASCII.GetBytes("echo: " + line));
            var rest = new byte[64];
            while (tls.Read(rest, 0, rest.Length) > 0)
            {
            }
        });
        using (OpenSslProcess client = OpenSslProcess.Client(port, $"-tls1_2 -cipher {cipher} -CAfile {TestPki.CaPath} -servername localhost -verify_return_error -quiet -no_ign_eof"))
        {
            client.Stdin.WriteLine("twelve");
            client.Stdin.Flush();
            client.WaitFor(() => client.Stdout.Contains("echo: twelve"), "the echo");
            client.Stdin.Close();
            Assert.True(client.WaitForExit());
            Assert.Equal(0, client.ExitCode);
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TlsVersion.Tls12, CipherSuiteVersion(negotiated!.Value));
    }

    [PeerFact(Peer.OpenSsl)]
    public void Exporter_matches_openssl_keymatexport_in_tls12()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_2 -keymatexport EXPERIMENTAL-test -keymatexportlen 32 -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        using TlsStream tls = TcpHosts.ConnectClient(port, Client12());
        tls.Authenticate();
        server.WaitFor(() => server.Stdout.Contains("Keying material:"), "openssl's keying material");
        string expected = Regex.Match(server.Stdout, "Keying material: ([0-9A-F]+)").Groups[1].Value;
        Assert.Equal(expected, Convert.ToHexString(tls.Connection.ExportKeyingMaterial("EXPERIMENTAL-test", default, 32)));
    }

    [PeerFact(Peer.OpenSsl)]
    public void Exporter_matches_openssl_keymatexport_in_tls13()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -keymatexport EXPERIMENTAL-test -keymatexportlen 32 -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        using TlsStream tls = TcpHosts.ConnectClient(port, Engines.Client(seed: null));
        tls.Authenticate();
        server.WaitFor(() => server.Stdout.Contains("Keying material:"), "openssl's keying material");
        string expected = Regex.Match(server.Stdout, "Keying material: ([0-9A-F]+)").Groups[1].Value;
        Assert.Equal(expected, Convert.ToHexString(tls.Connection.ExportKeyingMaterial("EXPERIMENTAL-test", default, 32)));
    }

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("rsa2048")]
    public async Task Engine_client_talks_to_SslStream_server_with_tls12_forced(string keyType)
    {
        using X509Certificate2 certificate = SslStreams.ServerCertificate(keyType);
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            using var ssl = new SslStream(stream);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls12 });
            string line = TcpHosts.ReadLine(ssl);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("sslstream: " + line));
            var rest = new byte[64];
            while (await ssl.ReadAsync(rest) > 0)
            {
            }
        });
        using (TlsStream tls = TcpHosts.ConnectClient(port, Engines.Client(seed: null)))
        {
            tls.Authenticate();
            Assert.Equal(TlsVersion.Tls12, tls.Connection.Version);
            tls.Write("hi\n"u8.ToArray());
            Assert.Equal("sslstream: hi\n", TcpHosts.ReadLine(tls));
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("rsa2048")]
    public async Task SslStream_client_talks_to_engine_server_with_tls12_forced(string keyType)
    {
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await Task.Yield();
            using var tls = new TlsStream(stream, TlsConnection.CreateServer(Engines.Server(keyType, seed: null)));
            tls.Authenticate();
            Assert.Equal(TlsVersion.Tls12, tls.Connection.Version);
            string line = TcpHosts.ReadLine(tls);
            tls.Write(Encoding.ASCII.GetBytes("engine: " + line));
            var rest = new byte[64];
            while (tls.Read(rest, 0, rest.Length) > 0)
            {
            }
        });
        using var tcp = new TcpClient();
        tcp.Connect("127.0.0.1", port);
        tcp.ReceiveTimeout = TcpHosts.TimeoutMs;
        using (var ssl = new SslStream(tcp.GetStream()))
        {
            await ssl.AuthenticateAsClientAsync(SslStreams.ClientOptions(SslProtocols.Tls12));
            Assert.Equal(SslProtocols.Tls12, ssl.SslProtocol);
            ssl.Write("hello\n"u8);
            Assert.Equal("engine: hello\n", TcpHosts.ReadLine(ssl));
            await ssl.ShutdownAsync();
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static TlsVersion CipherSuiteVersion(TlsCipherSuite suite) => (ushort)suite >= 0xC000 ? TlsVersion.Tls12 : TlsVersion.Tls13;
}
