using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

internal static class SignatureSchemes
{
    public static bool IsPkcs1(TlsSignatureScheme scheme) =>
        scheme is TlsSignatureScheme.RsaPkcs1Sha256 or TlsSignatureScheme.RsaPkcs1Sha384 or TlsSignatureScheme.RsaPkcs1Sha512;

    /// <summary>The TLS 1.2 schemes a key can sign with, best first: TLS 1.2 does not bind ECDSA hashes to curves and still allows PKCS#1.</summary>
    public static IEnumerable<TlsSignatureScheme> For12(PublicKeyType keyType)
    {
        foreach (TlsSignatureScheme scheme in For(keyType))
        {
            yield return scheme;
        }

        if (keyType is PublicKeyType.EcdsaP256 or PublicKeyType.EcdsaP384 or PublicKeyType.EcdsaP521)
        {
            yield return TlsSignatureScheme.EcdsaSecp256r1Sha256;
            yield return TlsSignatureScheme.EcdsaSecp384r1Sha384;
            yield return TlsSignatureScheme.EcdsaSecp521r1Sha512;
        }
        else if (keyType == PublicKeyType.Rsa)
        {
            yield return TlsSignatureScheme.RsaPkcs1Sha256;
            yield return TlsSignatureScheme.RsaPkcs1Sha384;
            yield return TlsSignatureScheme.RsaPkcs1Sha512;
        }
    }

    /// <summary>The TLS 1.3 schemes a key can sign with, best first.</summary>
    public static IEnumerable<TlsSignatureScheme> For(PublicKeyType keyType)
    {
        switch (keyType)
        {
            case PublicKeyType.EcdsaP256:
                yield return TlsSignatureScheme.EcdsaSecp256r1Sha256;
                break;
            case PublicKeyType.EcdsaP384:
                yield return TlsSignatureScheme.EcdsaSecp384r1Sha384;
                break;
            case PublicKeyType.EcdsaP521:
                yield return TlsSignatureScheme.EcdsaSecp521r1Sha512;
                break;
            case PublicKeyType.Ed25519:
                yield return TlsSignatureScheme.Ed25519;
                break;
            case PublicKeyType.Rsa:
                yield return TlsSignatureScheme.RsaPssRsaeSha256;
                yield return TlsSignatureScheme.RsaPssRsaeSha384;
                yield return TlsSignatureScheme.RsaPssRsaeSha512;
                break;
        }
    }
}
