using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>The engine as a client against `openssl s_server -tls1_3 -rev` on 127.0.0.1.</summary>
public class EngineClientVsOpenSslServerTests
{
    private static string ServerArgs(string keyType, string extra = "") =>
        $"-tls1_3 -rev -cert {TestPki.CertPath(keyType)} -key {TestPki.KeyPath(keyType)} {extra}";

    private static TlsStream Exchange(int port, TlsClientOptions options, string line = "hello engine")
    {
        TlsStream tls = TcpHosts.ConnectClient(port, options);
        tls.Authenticate();
        tls.Write(Encoding.ASCII.GetBytes(line + "\n"));
        string reply = TcpHosts.ReadLine(tls);
        char[] reversed = line.ToCharArray();
        Array.Reverse(reversed);
        Assert.Equal(new string(reversed), reply.TrimEnd('\n'));
        return tls;
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("ecdsa-p256", TlsSignatureScheme.EcdsaSecp256r1Sha256)]
    [InlineData("ecdsa-p384", TlsSignatureScheme.EcdsaSecp384r1Sha384)]
    [InlineData("rsa2048", TlsSignatureScheme.RsaPssRsaeSha256)]
    [InlineData("ed25519", TlsSignatureScheme.Ed25519)]
    public void Client_handshakes_and_exchanges_data_with_openssl_for_each_key_type(string keyType, TlsSignatureScheme expected)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, ServerArgs(keyType));
        using TlsStream tls = Exchange(port, Engines.Client(seed: null));
        Assert.Equal(expected, tls.Connection.PeerSignatureScheme);
        Assert.Equal(TlsVersion.Tls13, tls.Connection.Version);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData(TlsCipherSuite.TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256")]
    [InlineData(TlsCipherSuite.TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384")]
    [InlineData(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256")]
    public void Client_negotiates_each_cipher_suite_with_openssl(TlsCipherSuite suite, string name)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, ServerArgs("ecdsa-p256", $"-ciphersuites {name}"));
        TlsClientOptions options = Engines.Client(seed: null);
        using TlsStream tls = Exchange(port, options);
        Assert.Equal(suite, tls.Connection.CipherSuite);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData(TlsNamedGroup.X25519, "X25519")]
    [InlineData(TlsNamedGroup.Secp256r1, "P-256")]
    [InlineData(TlsNamedGroup.Secp384r1, "P-384")]
    public void Client_uses_each_key_share_group_with_openssl(TlsNamedGroup group, string name)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, ServerArgs("ecdsa-p256", $"-groups {name}"));
        TlsClientOptions options = Engines.Client(seed: null);
        options.KeyShareGroups = new List<TlsNamedGroup> { group };
        using TlsStream tls = Exchange(port, options);
        Assert.Equal(group, tls.Connection.Group);
        Assert.False(tls.Connection.HelloRetryRequested);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Client_answers_hello_retry_request_from_openssl()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, ServerArgs("ecdsa-p256", "-groups P-384"));
        using TlsStream tls = Exchange(port, Engines.Client(seed: null));
        Assert.True(tls.Connection.HelloRetryRequested);
        Assert.Equal(TlsNamedGroup.Secp384r1, tls.Connection.Group);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Client_agrees_alpn_with_openssl()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, ServerArgs("ecdsa-p256", "-alpn h2,http/1.1"));
        TlsClientOptions options = Engines.Client(seed: null);
        options.ApplicationProtocols = new List<string> { "http/1.1" };
        using TlsStream tls = Exchange(port, options);
        Assert.Equal("http/1.1", tls.Connection.ApplicationProtocol);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Client_keeps_session_tickets_from_openssl()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, ServerArgs("ecdsa-p256"));
        using TlsStream tls = Exchange(port, Engines.Client(seed: null));
        Assert.NotEmpty(tls.Connection.SessionTickets);
        Assert.All(tls.Connection.SessionTickets, t => Assert.True(t.LifetimeSeconds > 0));
    }

    [PeerFact(Peer.OpenSsl)]
    public void Client_updates_keys_with_openssl_and_keeps_talking()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, ServerArgs("ecdsa-p256"));
        using TlsStream tls = Exchange(port, Engines.Client(seed: null));
        tls.Connection.RequestKeyUpdate(requestPeerUpdate: true);
        tls.Flush();
        tls.Write("after update\n"u8.ToArray());
        Assert.Equal("etadpu retfa\n", TcpHosts.ReadLine(tls));
        tls.Write("and again\n"u8.ToArray());
        Assert.Equal("niaga dna\n", TcpHosts.ReadLine(tls));
    }

    [PeerFact(Peer.OpenSsl)]
    public void Client_rejects_openssl_server_with_untrusted_certificate()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -rev -cert {TestPki.PathOf("untrusted.pem")} -key {TestPki.PathOf("untrusted.key.pem")}");
        using TlsStream tls = TcpHosts.ConnectClient(port, Engines.Client(seed: null));
        TlsException error = Assert.Throws<TlsException>(() => tls.Authenticate());
        Assert.Equal(TlsAlertDescription.UnknownCa, error.Error.Alert);
        Assert.Equal(TlsErrorKind.Certificate, error.Error.Kind);
    }
}
