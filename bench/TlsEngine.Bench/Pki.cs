using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TlsEngine.Bench;

/// <summary>The repository's test PKI, as engine credentials and as SslStream certificates.</summary>
internal static class Pki
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "pki", file);

    public static TlsCertificateCredential Credential(string keyType) =>
        TlsCertificateCredential.FromPemFiles(PathOf(keyType + ".pem"), PathOf(keyType + ".key.pem"));

    public static TlsTrustAnchors Anchors { get; } = TlsTrustAnchors.FromPemFile(PathOf("ca.pem"));

    public static X509Certificate2 ServerCertificate(string keyType)
    {
        using var pem = X509Certificate2.CreateFromPemFile(PathOf(keyType + ".pem"), PathOf(keyType + ".key.pem"));
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public static SslClientAuthenticationOptions SslClientOptions()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(PathOf("ca.pem")));
        return new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = SslProtocols.Tls13, CertificateChainPolicy = policy };
    }

    /// <summary>Drives a client and a server engine to the end of their handshake.</summary>
    public static (TlsConnection Client, TlsConnection Server) Handshake(TlsClientOptions clientOptions, TlsServerOptions serverOptions, byte[] buffer)
    {
        var client = TlsConnection.CreateClient(clientOptions);
        var server = TlsConnection.CreateServer(serverOptions);
        while (!(client.IsHandshakeComplete && server.IsHandshakeComplete && client.Outbound.Length == 0))
        {
            if (client.Connect() == TlsStatus.Failed || server.Accept() == TlsStatus.Failed)
            {
                throw new InvalidOperationException($"{client.LastError} {server.LastError}");
            }

            Move(client, server, buffer);
            server.Accept();
            Move(server, client, buffer);
        }

        return (client, server);
    }

    public static void Move(TlsConnection from, TlsConnection to, byte[] buffer)
    {
        while (from.Outbound.Length > 0)
        {
            int n = from.Outbound.Read(buffer);
            to.Inbound.Write(buffer.AsSpan(0, n));
        }
    }
}
