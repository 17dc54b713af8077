using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Cli;

/// <summary>The CLI's certificate-free links (--psk, --psk-identity) and key pins (--pin).</summary>
public class CliPskTests
{
    private const string KeyHex = "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f";

    [Fact]
    public void Connect_with_a_psk_is_served_by_serve_without_a_certificate()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess serve = OpenSslProcess.Cli($"serve --port {port} --psk {KeyHex} --psk-identity cli-device --count 2");
        serve.WaitFor(() => serve.Stdout.Contains("ACCEPT"), "serve to listen", 30000);
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --psk {KeyHex} --psk-identity cli-device --send linked --idle-ms 300");
        Assert.True(exit == 0, stderr);
        Assert.Contains("linked", stdout);
        Assert.Contains("psk=cli-device", stderr);
        (int refused, _, string reason) = CliProcess.Run($"connect 127.0.0.1:{port} --psk {KeyHex} --psk-identity stranger --send x --idle-ms 300");
        Assert.NotEqual(0, refused);
        Assert.Contains("HandshakeFailure", reason);
        Assert.True(serve.WaitForExit(30000));
        serve.WaitFor(() => serve.Stderr.Contains("psk=cli-device"), "the PSK client");
    }

    [PeerFact(Peer.OpenSsl)]
    public void Connect_with_a_psk_talks_to_openssl_s_server_without_certificate()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -rev -nocert -psk {KeyHex} -psk_identity cli-device");
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --psk {KeyHex} --psk-identity cli-device --send abc --idle-ms 500");
        Assert.True(exit == 0, stderr);
        Assert.Contains("cba", stdout);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Connect_refuses_a_server_whose_key_is_not_pinned()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -rev -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}", accepts: 2);
        string Pin(string path)
        {
            using X509Certificate2 certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            return "sha256/" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        }

        (int exit, _, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --pin {Pin(TestPki.CertPath("rsa2048"))} --send x");
        Assert.NotEqual(0, exit);
        Assert.Contains("CertificatePinMismatch", stderr);
        (int pinned, string stdout, string error) = CliProcess.Run($"connect 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --pin {Pin(TestPki.CaPath)} --send pinned --idle-ms 500");
        Assert.True(pinned == 0, error);
        Assert.Contains("dennip", stdout);
    }
}
