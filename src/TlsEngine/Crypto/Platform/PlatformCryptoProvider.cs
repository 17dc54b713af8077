#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using TlsEngine.Crypto.BouncyCastle;

namespace TlsEngine.Crypto.Platform;

/// <summary>
/// System.Security.Cryptography where the runtime has it (AES-GCM, ChaCha20-Poly1305, ECDH,
/// ECDSA, RSA, SHA-2, HMAC); X25519, Ed25519 and X.509 parsing stay on the managed provider.
/// Not deterministic: never used with a seeded <see cref="TlsRandom"/>.
/// </summary>
internal sealed class PlatformCryptoProvider : ICryptoProvider
{
    private static readonly ConditionalWeakTable<IPrivateKey, AsymmetricAlgorithm> Signers = new();
    // Keyed by the key's encoding: every handshake parses the peer's certificate anew, but the key is usually the same.
    private static readonly BoundedCache<string, AsymmetricAlgorithm> Verifiers = new(1024);
    private readonly BcCryptoProvider _managed = BcCryptoProvider.Instance;

    public static PlatformCryptoProvider Instance { get; } = new();

    public string Name => "platform (System.Security.Cryptography)";

    public IHashContext CreateHash(HashAlgorithmId algorithm) => new PlatformHashContext(algorithm);

    public int Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) => algorithm switch
    {
        HashAlgorithmId.Sha256 => HMACSHA256.HashData(key, data, destination),
        HashAlgorithmId.Sha384 => HMACSHA384.HashData(key, data, destination),
        _ => HMACSHA512.HashData(key, data, destination),
    };

    public byte[] Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => algorithm switch
    {
        HashAlgorithmId.Sha256 => HMACSHA256.HashData(key, data),
        HashAlgorithmId.Sha384 => HMACSHA384.HashData(key, data),
        _ => HMACSHA512.HashData(key, data),
    };

    public IHmac CreateHmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key) => new PlatformHmac(algorithm, key);

    public IAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => algorithm switch
    {
        AeadAlgorithm.ChaCha20Poly1305 when !ChaCha20Poly1305.IsSupported => _managed.CreateAead(algorithm, key),
        _ => new PlatformAead(algorithm, key),
    };

    public IRecordNumberMask CreateRecordNumberMask(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => algorithm == AeadAlgorithm.ChaCha20Poly1305
        ? new ChaCha20RecordNumberMask(key)
        : new PlatformAesRecordNumberMask(algorithm, key);

    public bool SupportsGroup(TlsNamedGroup group) => _managed.SupportsGroup(group);

    public IKeyShare GenerateKeyShare(TlsNamedGroup group, TlsRandom random) => group switch
    {
        TlsNamedGroup.Secp256r1 => new PlatformEcdhKeyShare(group, ECCurve.NamedCurves.nistP256, 32),
        TlsNamedGroup.Secp384r1 => new PlatformEcdhKeyShare(group, ECCurve.NamedCurves.nistP384, 48),
        TlsNamedGroup.X25519 => _managed.GenerateKeyShare(group, random),
        // Hybrids pair ML-KEM (managed: the runtime's MLKem needs OpenSSL 3.5) with this provider's ECDH.
        _ => KeyExchange.GenerateKemShare(this, group, random),
    };

    public KeyExchangeResponse? Encapsulate(TlsNamedGroup group, ReadOnlySpan<byte> clientShare, TlsRandom random) =>
        KeyExchange.Encapsulate(this, group, clientShare, random);

    public ICertificate? ParseCertificate(byte[] der) => _managed.ParseCertificate(der);

    public IPrivateKey? ParsePrivateKey(string pemLabel, byte[] der) => _managed.ParsePrivateKey(pemLabel, der);

    public IPublicKey? ParsePublicKey(byte[] subjectPublicKeyInfo) => _managed.ParsePublicKey(subjectPublicKeyInfo);

    public byte[] Sign(IPrivateKey key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, TlsRandom random)
    {
        AsymmetricAlgorithm? signer = key.KeyType is PublicKeyType.Rsa or PublicKeyType.EcdsaP256 or PublicKeyType.EcdsaP384 or PublicKeyType.EcdsaP521
            ? Signers.GetValue(key, ImportPrivate)
            : null;
        if (signer == null)
        {
            return _managed.Sign(key, scheme, data, random);
        }

        lock (signer)
        {
            return signer switch
            {
                ECDsa ecdsa => ecdsa.SignData(data, HashOf(scheme), DSASignatureFormat.Rfc3279DerSequence),
                RSA rsa => rsa.SignData(data.ToArray(), HashOf(scheme), PaddingOf(scheme)),
                _ => _managed.Sign(key, scheme, data, random),
            };
        }
    }

    public bool Verify(IPublicKey certificate, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false)
    {
        bool ecdsaScheme = scheme is TlsSignatureScheme.EcdsaSecp256r1Sha256 or TlsSignatureScheme.EcdsaSecp384r1Sha384 or TlsSignatureScheme.EcdsaSecp521r1Sha512;
        bool rsaScheme = scheme is TlsSignatureScheme.RsaPssRsaeSha256 or TlsSignatureScheme.RsaPssRsaeSha384 or TlsSignatureScheme.RsaPssRsaeSha512
            or TlsSignatureScheme.RsaPkcs1Sha256 or TlsSignatureScheme.RsaPkcs1Sha384 or TlsSignatureScheme.RsaPkcs1Sha512;
        bool curveMatches = anyCurve ? certificate.KeyType is PublicKeyType.EcdsaP256 or PublicKeyType.EcdsaP384 or PublicKeyType.EcdsaP521 : BcSignatures.SchemeMatchesKey(scheme, certificate.KeyType);
        if (!(ecdsaScheme && curveMatches) && !(rsaScheme && certificate.KeyType == PublicKeyType.Rsa))
        {
            return _managed.Verify(certificate, scheme, data, signature, anyCurve);
        }

        try
        {
            string id = Convert.ToBase64String(certificate.SubjectPublicKeyInfo);
            if (!Verifiers.TryGet(id, out AsymmetricAlgorithm? verifier))
            {
                verifier = ImportPublic(certificate);
                Verifiers.Add(id, verifier);
            }

            // The platform key objects are not documented as thread-safe for concurrent use.
            lock (verifier)
            {
                return Verify(verifier, scheme, data, signature);
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool Verify(AsymmetricAlgorithm verifier, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        {
            return verifier switch
            {
                ECDsa ecdsa => ecdsa.VerifyData(data, signature, HashOf(scheme), DSASignatureFormat.Rfc3279DerSequence),
                RSA rsa => rsa.VerifyData(data, signature, HashOf(scheme), PaddingOf(scheme)),
                _ => false,
            };
        }
    }

    private static AsymmetricAlgorithm ImportPrivate(IPrivateKey key)
    {
        byte[] pkcs8 = key.Pkcs8;
        try
        {
            AsymmetricAlgorithm algorithm = key.KeyType == PublicKeyType.Rsa ? RSA.Create() : ECDsa.Create();
            algorithm.ImportPkcs8PrivateKey(pkcs8, out _);
            return algorithm;
        }
        finally
        {
            Array.Clear(pkcs8);
        }
    }

    private static AsymmetricAlgorithm ImportPublic(IPublicKey certificate)
    {
        AsymmetricAlgorithm algorithm = certificate.KeyType == PublicKeyType.Rsa ? RSA.Create() : ECDsa.Create();
        algorithm.ImportSubjectPublicKeyInfo(certificate.SubjectPublicKeyInfo, out _);
        return algorithm;
    }

    private static HashAlgorithmName HashOf(TlsSignatureScheme scheme) => scheme switch
    {
        TlsSignatureScheme.EcdsaSecp256r1Sha256 or TlsSignatureScheme.RsaPssRsaeSha256 or TlsSignatureScheme.RsaPkcs1Sha256 => HashAlgorithmName.SHA256,
        TlsSignatureScheme.EcdsaSecp384r1Sha384 or TlsSignatureScheme.RsaPssRsaeSha384 or TlsSignatureScheme.RsaPkcs1Sha384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    // .NET's PSS uses a salt as long as the hash, which is what TLS requires (RFC 8446 §4.2.3).
    private static RSASignaturePadding PaddingOf(TlsSignatureScheme scheme) =>
        scheme is TlsSignatureScheme.RsaPkcs1Sha256 or TlsSignatureScheme.RsaPkcs1Sha384 or TlsSignatureScheme.RsaPkcs1Sha512
            ? RSASignaturePadding.Pkcs1
            : RSASignaturePadding.Pss;
}
#endif
