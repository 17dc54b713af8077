using System;

namespace TlsEngine.Crypto;

/// <summary>What a TLS 1.3 cipher suite means for the key schedule and the record layer.</summary>
internal sealed class CipherSuiteInfo
{
    private CipherSuiteInfo(TlsCipherSuite suite, HashAlgorithmId hash, AeadAlgorithm aead, int keyLength)
    {
        Suite = suite;
        Hash = hash;
        Aead = aead;
        KeyLength = keyLength;
    }

    public TlsCipherSuite Suite { get; }

    public HashAlgorithmId Hash { get; }

    public AeadAlgorithm Aead { get; }

    public int KeyLength { get; }

    public int HashLength => HashLengthOf(Hash);

    public const int IvLength = 12;

    public static CipherSuiteInfo? Find(ushort value) => (TlsCipherSuite)value switch
    {
        TlsCipherSuite.TLS_AES_128_GCM_SHA256 => new CipherSuiteInfo(TlsCipherSuite.TLS_AES_128_GCM_SHA256, HashAlgorithmId.Sha256, AeadAlgorithm.Aes128Gcm, 16),
        TlsCipherSuite.TLS_AES_256_GCM_SHA384 => new CipherSuiteInfo(TlsCipherSuite.TLS_AES_256_GCM_SHA384, HashAlgorithmId.Sha384, AeadAlgorithm.Aes256Gcm, 32),
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 => new CipherSuiteInfo(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, HashAlgorithmId.Sha256, AeadAlgorithm.ChaCha20Poly1305, 32),
        _ => null,
    };

    public static CipherSuiteInfo Get(TlsCipherSuite suite) =>
        Find((ushort)suite) ?? throw new ArgumentOutOfRangeException(nameof(suite));

    public static int HashLengthOf(HashAlgorithmId hash) => hash switch
    {
        HashAlgorithmId.Sha256 => 32,
        HashAlgorithmId.Sha384 => 48,
        _ => 64,
    };
}
