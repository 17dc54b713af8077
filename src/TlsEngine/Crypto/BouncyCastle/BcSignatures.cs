using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace TlsEngine.Crypto.BouncyCastle;

/// <summary>Signing and verification for every scheme, keyed by the TLS SignatureScheme value.</summary>
internal static class BcSignatures
{
    private static readonly X9ECParameters P256 = NistNamedCurves.GetByName("P-256");
    private static readonly X9ECParameters P384 = NistNamedCurves.GetByName("P-384");
    private static readonly X9ECParameters P521 = NistNamedCurves.GetByName("P-521");

    // The curve itself, not its size: secp256k1 and brainpoolP256r1 are 256-bit curves too.
    public static PublicKeyType KeyTypeOf(AsymmetricKeyParameter key) => key switch
    {
        ECKeyParameters ec when IsCurve(ec, P256) => PublicKeyType.EcdsaP256,
        ECKeyParameters ec when IsCurve(ec, P384) => PublicKeyType.EcdsaP384,
        ECKeyParameters ec when IsCurve(ec, P521) => PublicKeyType.EcdsaP521,
        RsaKeyParameters => PublicKeyType.Rsa,
        Ed25519PublicKeyParameters or Ed25519PrivateKeyParameters => PublicKeyType.Ed25519,
        _ => PublicKeyType.Unknown,
    };

    private static bool IsCurve(ECKeyParameters key, X9ECParameters curve) =>
        key.Parameters.Curve.Equals(curve.Curve) && key.Parameters.G.Equals(curve.G) && key.Parameters.N.Equals(curve.N);

    public static byte[] Sign(AsymmetricKeyParameter key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, TlsRandom random)
    {
        ISigner signer = CreateSigner(scheme, out bool isEcdsa);
        signer.Init(true, isEcdsa || scheme == TlsSignatureScheme.Ed25519 ? key : new ParametersWithRandom(key, new SecureRandom(new BcRandomGenerator(random))));
        byte[] input = data.ToArray();
        signer.BlockUpdate(input, 0, input.Length);
        return signer.GenerateSignature();
    }

    public static bool Verify(AsymmetricKeyParameter key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false)
    {
        PublicKeyType keyType = KeyTypeOf(key);
        bool ecdsaAnyCurve = anyCurve && key is ECKeyParameters
            && scheme is TlsSignatureScheme.EcdsaSecp256r1Sha256 or TlsSignatureScheme.EcdsaSecp384r1Sha384 or TlsSignatureScheme.EcdsaSecp521r1Sha512;
        if (!ecdsaAnyCurve && !SchemeMatchesKey(scheme, keyType))
        {
            return false;
        }

        try
        {
            ISigner signer = CreateSigner(scheme, out bool isEcdsa);
            // An ECDSA signature is DER (RFC 8446 §4.2.3): its lengths are checked before BouncyCastle reads them.
            if (isEcdsa && !DerEncoding.IsWellFormed(signature))
            {
                return false;
            }

            signer.Init(false, key);
            byte[] input = data.ToArray();
            signer.BlockUpdate(input, 0, input.Length);
            return signer.VerifySignature(signature.ToArray());
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or CryptoException or Asn1Exception or System.IO.IOException or InvalidCastException)
        {
            // A malformed signature encoding is a failed verification, not an engine fault.
            return false;
        }
    }

    public static bool SchemeMatchesKey(TlsSignatureScheme scheme, PublicKeyType keyType) => scheme switch
    {
        TlsSignatureScheme.EcdsaSecp256r1Sha256 => keyType == PublicKeyType.EcdsaP256,
        TlsSignatureScheme.EcdsaSecp384r1Sha384 => keyType == PublicKeyType.EcdsaP384,
        TlsSignatureScheme.EcdsaSecp521r1Sha512 => keyType == PublicKeyType.EcdsaP521,
        TlsSignatureScheme.RsaPssRsaeSha256 or TlsSignatureScheme.RsaPssRsaeSha384 or TlsSignatureScheme.RsaPssRsaeSha512
            or TlsSignatureScheme.RsaPkcs1Sha256 or TlsSignatureScheme.RsaPkcs1Sha384 or TlsSignatureScheme.RsaPkcs1Sha512 => keyType == PublicKeyType.Rsa,
        TlsSignatureScheme.Ed25519 => keyType == PublicKeyType.Ed25519,
        _ => false,
    };

    private static ISigner CreateSigner(TlsSignatureScheme scheme, out bool isEcdsa)
    {
        isEcdsa = false;
        switch (scheme)
        {
            case TlsSignatureScheme.EcdsaSecp256r1Sha256:
            case TlsSignatureScheme.EcdsaSecp384r1Sha384:
            case TlsSignatureScheme.EcdsaSecp521r1Sha512:
                isEcdsa = true;
                HashAlgorithmId hash = scheme == TlsSignatureScheme.EcdsaSecp256r1Sha256 ? HashAlgorithmId.Sha256
                    : scheme == TlsSignatureScheme.EcdsaSecp384r1Sha384 ? HashAlgorithmId.Sha384 : HashAlgorithmId.Sha512;
                // RFC 6979 nonces: signatures need no randomness, which keeps transcripts reproducible.
                return new DsaDigestSigner(new ECDsaSigner(new HMacDsaKCalculator(BcCryptoProvider.NewDigest(hash))), BcCryptoProvider.NewDigest(hash));
            case TlsSignatureScheme.RsaPssRsaeSha256:
                return new PssSigner(new RsaBlindedEngine(), BcCryptoProvider.NewDigest(HashAlgorithmId.Sha256), 32);
            case TlsSignatureScheme.RsaPssRsaeSha384:
                return new PssSigner(new RsaBlindedEngine(), BcCryptoProvider.NewDigest(HashAlgorithmId.Sha384), 48);
            case TlsSignatureScheme.RsaPssRsaeSha512:
                return new PssSigner(new RsaBlindedEngine(), BcCryptoProvider.NewDigest(HashAlgorithmId.Sha512), 64);
            case TlsSignatureScheme.RsaPkcs1Sha256:
                return new RsaDigestSigner(BcCryptoProvider.NewDigest(HashAlgorithmId.Sha256));
            case TlsSignatureScheme.RsaPkcs1Sha384:
                return new RsaDigestSigner(BcCryptoProvider.NewDigest(HashAlgorithmId.Sha384));
            case TlsSignatureScheme.RsaPkcs1Sha512:
                return new RsaDigestSigner(BcCryptoProvider.NewDigest(HashAlgorithmId.Sha512));
            case TlsSignatureScheme.Ed25519:
                return new Ed25519Signer();
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme));
        }
    }
}

/// <summary>Feeds BouncyCastle's SecureRandom from the connection's injected random source.</summary>
internal sealed class BcRandomGenerator : Org.BouncyCastle.Crypto.Prng.IRandomGenerator
{
    private readonly TlsRandom _random;

    public BcRandomGenerator(TlsRandom random)
    {
        _random = random;
    }

    public void AddSeedMaterial(byte[] seed)
    {
    }

    public void AddSeedMaterial(long seed)
    {
    }

    public void NextBytes(byte[] bytes) => _random.Fill(bytes);

    public void NextBytes(byte[] bytes, int start, int len) => _random.Fill(bytes.AsSpan(start, len));
}
