using System.Text;
using TlsEngine;
using TlsEngine.Tests.MutualTls;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>
/// Raw public keys (RFC 7250) against GnuTLS 3.7 (OpenSSL 3.0 has none), the engine in both roles,
/// each side presenting a raw key and pinning the other's.
/// </summary>
public class RawPublicKeyInteropTests
{
    private const string ServerKey = "ecdsa-p256";
    private const string ClientKey = "ed25519";

    /// <summary>Writes the SubjectPublicKeyInfo of a test key as a PUBLIC KEY PEM file for GnuTLS's --rawpkfile.</summary>
    private static string PublicKeyFile(string keyType)
    {
        string path = Path.Combine(Path.GetTempPath(), $"tlsengine-rpk-{keyType}-{Environment.ProcessId}.pub.pem");
        File.WriteAllText(path, RawPublicKeyTests.Pem("PUBLIC KEY", RawPublicKeyTests.RawKey(keyType).RawPublicKey!));
        return path;
    }

    private static string RawKeyPriority(TlsVersion version) => GnuTlsPeer.Priority(version, ":+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK");

    [GnuTlsTheory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Engine_client_pins_the_raw_key_of_a_gnutls_server_and_presents_its_own(TlsVersion version)
    {
        (OpenSslProcess server, int port) = GnuTlsPeer.Serve(
            $"--echo --rawpkfile {PublicKeyFile(ServerKey)} --rawpkkeyfile {TestPki.KeyPath(ServerKey)} --require-client-cert --priority {RawKeyPriority(version)}");
        using (server)
        {
            TlsClientOptions options = Engines.Client(seed: null);
            options.ServerName = null;
            options.PeerCertificateTypes = new List<TlsCertificateType> { TlsCertificateType.RawPublicKey };
            options.PinnedPeerPublicKeys = new List<byte[]> { RawPublicKeyTests.RawKey(ServerKey).RawPublicKey! };
            options.CertificateTypes = new List<TlsCertificateType> { TlsCertificateType.RawPublicKey };
            options.RawPublicKey = RawPublicKeyTests.RawKey(version == TlsVersion.Tls13 ? ClientKey : "ecdsa-p384");
            using TlsStream tls = TcpHosts.ConnectClient(port, options);
            tls.Authenticate();
            tls.Write("hello raw key\n"u8.ToArray());
            Assert.Equal("hello raw key\n", TcpHosts.ReadLine(tls));
            Assert.Equal(version, tls.Connection.Version);
            Assert.Equal(TlsCertificateType.RawPublicKey, tls.Connection.ServerCertificateType);
            Assert.Equal(TlsCertificateType.RawPublicKey, tls.Connection.ClientCertificateType);
            Assert.Equal(options.PinnedPeerPublicKeys[0], tls.Connection.PeerRawPublicKey);
        }
    }

    [GnuTlsTheory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public async Task Engine_server_presents_its_raw_key_to_a_gnutls_client_and_pins_the_client_key(TlsVersion version)
    {
        TlsServerOptions options = Engines.Server(seed: null);
        options.Certificate = null;
        options.CertificateTypes = new List<TlsCertificateType> { TlsCertificateType.RawPublicKey };
        options.RawPublicKey = RawPublicKeyTests.RawKey(ServerKey);
        options.ClientCertificateMode = TlsClientCertificateMode.Require;
        options.PeerCertificateTypes = new List<TlsCertificateType> { TlsCertificateType.RawPublicKey };
        options.PinnedPeerPublicKeys = new List<byte[]> { RawPublicKeyTests.RawKey(ClientKey).RawPublicKey! };
        byte[]? clientKey = null;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
            await tls.AuthenticateAsync();
            clientKey = tls.Connection.PeerRawPublicKey;
            var buffer = new byte[64];
            int n = await tls.ReadAsync(buffer);
            await tls.WriteAsync(Encoding.ASCII.GetBytes("engine: " + Encoding.ASCII.GetString(buffer, 0, n)));
            while (await tls.ReadAsync(buffer) > 0)
            {
            }
        });
        // gnutls-cli has no pinning of its own: --insecure skips its check, the engine's pin is what is tested.
        using (OpenSslProcess client = OpenSslProcess.Start("gnutls-cli",
            $"--insecure --rawpkfile {PublicKeyFile(ClientKey)} --rawpkkeyfile {TestPki.KeyPath(ClientKey)} --priority {RawKeyPriority(version)} -p {port} 127.0.0.1"))
        {
            client.Stdin.WriteLine("ping");
            client.Stdin.Flush();
            client.WaitFor(() => client.Stdout.Contains("engine: ping"), "the engine's reply");
            Assert.Contains("Raw Public Key", client.Stdout);
            client.Stdin.Close();
            Assert.True(client.WaitForExit());
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(options.PinnedPeerPublicKeys[0], clientKey);
    }
}
