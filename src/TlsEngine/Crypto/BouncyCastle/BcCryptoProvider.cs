using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsEngine.Crypto.BouncyCastle;

/// <summary>The managed default provider: pure C#, runs wherever netstandard2.0 runs.</summary>
internal sealed class BcCryptoProvider : ICryptoProvider
{
    public static BcCryptoProvider Instance { get; } = new();

    public string Name => "managed (BouncyCastle)";

    public IHashContext CreateHash(HashAlgorithmId algorithm) => new BcHashContext(NewDigest(algorithm));

    public byte[] Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        byte[] output = new byte[CipherSuiteInfo.HashLengthOf(algorithm)];
        Hmac(algorithm, key, data, output);
        return output;
    }

    // Through the keyed HMAC, which wipes its copies of the key, pads and states when disposed: the
    // TLS 1.2 PRF computes one-shot HMACs under secrets.
    public int Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        using var mac = new BcHmac(NewDigest(algorithm), key);
        return mac.Compute(data, destination);
    }

    public IHmac CreateHmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key) => new BcHmac(NewDigest(algorithm), key);

    public IAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => new BcAead(algorithm, key);

    public IRecordNumberMask CreateRecordNumberMask(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => algorithm == AeadAlgorithm.ChaCha20Poly1305
        ? new ChaCha20RecordNumberMask(key)
        : new BcAesRecordNumberMask(algorithm, key);

    public bool SupportsGroup(TlsNamedGroup group) => KeyExchange.IsSupported(group);

    public IKeyShare GenerateKeyShare(TlsNamedGroup group, TlsRandom random) => group switch
    {
#if NET5_0_OR_GREATER
        TlsNamedGroup.X25519 => new Curve25519.X25519KeyShare(random),
#else
        TlsNamedGroup.X25519 => new BcX25519KeyShare(random),
#endif
        TlsNamedGroup.Secp256r1 => new BcEcdhKeyShare(group, "P-256", random),
        TlsNamedGroup.Secp384r1 => new BcEcdhKeyShare(group, "P-384", random),
        _ => KeyExchange.GenerateKemShare(this, group, random),
    };

    public KeyExchangeResponse? Encapsulate(TlsNamedGroup group, ReadOnlySpan<byte> clientShare, TlsRandom random) =>
        KeyExchange.Encapsulate(this, group, clientShare, random);

    public ICertificate? ParseCertificate(byte[] der) => BcCertificate.TryParse(der);

    public IPrivateKey? ParsePrivateKey(string pemLabel, byte[] der) => BcPrivateKey.TryParse(pemLabel, der);

    public IPublicKey? ParsePublicKey(byte[] subjectPublicKeyInfo) => BcPublicKey.TryParse(subjectPublicKeyInfo);

    public byte[] Sign(IPrivateKey key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, TlsRandom random) => key.Sign(scheme, data, random);

    public bool Verify(IPublicKey certificate, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false) =>
        certificate.VerifySignature(scheme, data, signature, anyCurve);

    internal static IDigest NewDigest(HashAlgorithmId algorithm) => algorithm switch
    {
        HashAlgorithmId.Sha256 => new Sha256Digest(),
        HashAlgorithmId.Sha384 => new Sha384Digest(),
        _ => new Sha512Digest(),
    };
}
