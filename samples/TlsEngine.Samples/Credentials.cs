using TlsEngine.Cli;

namespace TlsEngine.Samples;

/// <summary>A throwaway certificate the samples' client trusts, so they need no files.</summary>
internal static class Credentials
{
    private static readonly Lazy<(string Cert, string Key)> Pem = new(() => SelfSignedCertificate.Create("localhost"));

    public static TlsClientOptions Client() => new() { ServerName = "localhost", TrustAnchors = TlsTrustAnchors.FromPem(Pem.Value.Cert) };

    public static TlsServerOptions Server() => new() { Certificate = TlsCertificateCredential.FromPem(Pem.Value.Cert, Pem.Value.Key) };
}
