using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TlsEngine.Tests.Support;

/// <summary>SslStream set up with the test PKI.</summary>
public static class SslStreams
{
    public static X509Certificate2 ServerCertificate(string keyType)
    {
        using var pem = X509Certificate2.CreateFromPemFile(TestPki.CertPath(keyType), TestPki.KeyPath(keyType));
        // Round-trip through PKCS#12 so the key is usable by the TLS layer on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public static SslClientAuthenticationOptions ClientOptions(SslProtocols protocols)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(TestPki.CaPath));
        return new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocols, CertificateChainPolicy = policy };
    }
}
