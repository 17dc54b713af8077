using TlsEngine;

namespace TlsEngine.Tests.Support;

/// <summary>The committed test PKI (TestData/pki, made by generate.sh).</summary>
public static class TestPki
{
    public static readonly string[] KeyTypes = { "ecdsa-p256", "ecdsa-p384", "rsa2048", "ed25519" };

    public static string Dir => Path.Combine(AppContext.BaseDirectory, "TestData", "pki");

    public static string PathOf(string file) => Path.Combine(Dir, file);

    public static string CertPath(string keyType) => PathOf(keyType + ".pem");

    public static string KeyPath(string keyType) => PathOf(keyType + ".key.pem");

    public static string CaPath => PathOf("ca.pem");

    public static TlsCertificateCredential Credential(string keyType = "ecdsa-p256") =>
        TlsCertificateCredential.FromPemFiles(CertPath(keyType), KeyPath(keyType));

    public static TlsTrustAnchors Roots => TlsTrustAnchors.FromPemFile(CaPath);
}
