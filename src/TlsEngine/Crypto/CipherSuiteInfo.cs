using System;

namespace TlsEngine.Crypto;

/// <summary>How a TLS 1.2 suite authenticates the server; TLS 1.3 suites leave it to signature_algorithms.</summary>
internal enum SuiteAuthentication
{
    Any,
    Ecdsa,
    Rsa,
}

/// <summary>What a cipher suite means for the key schedule and the record layer.</summary>
internal sealed class CipherSuiteInfo
{
    private CipherSuiteInfo(TlsCipherSuite suite, TlsVersion version, SuiteAuthentication authentication, HashAlgorithmId hash, AeadAlgorithm aead, int keyLength)
    {
        Suite = suite;
        Version = version;
        Authentication = authentication;
        Hash = hash;
        Aead = aead;
        KeyLength = keyLength;
    }

    public TlsCipherSuite Suite { get; }

    public TlsVersion Version { get; }

    public SuiteAuthentication Authentication { get; }

    /// <summary>The transcript and HKDF hash (TLS 1.3) or PRF hash (TLS 1.2).</summary>
    public HashAlgorithmId Hash { get; }

    public AeadAlgorithm Aead { get; }

    public int KeyLength { get; }

    public int HashLength => HashLengthOf(Hash);

    public const int IvLength = 12;

    /// <summary>TLS 1.2 implicit IV: the 4-byte GCM salt, or ChaCha20's whole 12-byte IV (RFC 5288, RFC 7905).</summary>
    public int Tls12FixedIvLength => Aead == AeadAlgorithm.ChaCha20Poly1305 ? 12 : 4;

    // One immutable instance per suite: a handshake looks suites up dozens of times.
    private static readonly CipherSuiteInfo[] Known =
    {
        new(TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsVersion.Tls13, SuiteAuthentication.Any, HashAlgorithmId.Sha256, AeadAlgorithm.Aes128Gcm, 16),
        new(TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsVersion.Tls13, SuiteAuthentication.Any, HashAlgorithmId.Sha384, AeadAlgorithm.Aes256Gcm, 32),
        new(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsVersion.Tls13, SuiteAuthentication.Any, HashAlgorithmId.Sha256, AeadAlgorithm.ChaCha20Poly1305, 32),
        new(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsVersion.Tls12, SuiteAuthentication.Ecdsa, HashAlgorithmId.Sha256, AeadAlgorithm.Aes128Gcm, 16),
        new(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TlsVersion.Tls12, SuiteAuthentication.Ecdsa, HashAlgorithmId.Sha384, AeadAlgorithm.Aes256Gcm, 32),
        new(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsVersion.Tls12, SuiteAuthentication.Rsa, HashAlgorithmId.Sha256, AeadAlgorithm.Aes128Gcm, 16),
        new(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TlsVersion.Tls12, SuiteAuthentication.Rsa, HashAlgorithmId.Sha384, AeadAlgorithm.Aes256Gcm, 32),
        new(TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TlsVersion.Tls12, SuiteAuthentication.Rsa, HashAlgorithmId.Sha256, AeadAlgorithm.ChaCha20Poly1305, 32),
        new(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TlsVersion.Tls12, SuiteAuthentication.Ecdsa, HashAlgorithmId.Sha256, AeadAlgorithm.ChaCha20Poly1305, 32),
    };

    public static CipherSuiteInfo? Find(ushort value)
    {
        foreach (CipherSuiteInfo info in Known)
        {
            if ((ushort)info.Suite == value)
            {
                return info;
            }
        }

        return null;
    }

    public static CipherSuiteInfo Get(TlsCipherSuite suite) =>
        Find((ushort)suite) ?? throw new ArgumentOutOfRangeException(nameof(suite));

    /// <summary>RFC 8422: ECDHE_ECDSA suites cover every elliptic-curve signature key, EdDSA included.</summary>
    public bool AllowsKey(PublicKeyType key) => Authentication switch
    {
        SuiteAuthentication.Ecdsa => key is PublicKeyType.EcdsaP256 or PublicKeyType.EcdsaP384 or PublicKeyType.EcdsaP521 or PublicKeyType.Ed25519,
        SuiteAuthentication.Rsa => key == PublicKeyType.Rsa,
        _ => true,
    };

    public static int HashLengthOf(HashAlgorithmId hash) => hash switch
    {
        HashAlgorithmId.Sha256 => 32,
        HashAlgorithmId.Sha384 => 48,
        _ => 64,
    };
}
