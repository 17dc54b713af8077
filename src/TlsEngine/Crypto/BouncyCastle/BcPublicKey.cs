using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace TlsEngine.Crypto.BouncyCastle;

/// <summary>A raw public key (RFC 7250): a SubjectPublicKeyInfo without a certificate around it.</summary>
internal sealed class BcPublicKey : IPublicKey
{
    private readonly AsymmetricKeyParameter _key;

    private BcPublicKey(byte[] subjectPublicKeyInfo, AsymmetricKeyParameter key, PublicKeyType keyType)
    {
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        _key = key;
        KeyType = keyType;
    }

    public PublicKeyType KeyType { get; }

    public byte[] SubjectPublicKeyInfo { get; }

    public static BcPublicKey? TryParse(byte[] der)
    {
        // Peer bytes: every length is checked against the input before BouncyCastle reads any of it (see DerEncoding).
        if (!DerEncoding.IsWellFormed(der))
        {
            return null;
        }

        try
        {
            SubjectPublicKeyInfo info = Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(der));
            if (!BcCertificate.HasWellFormedKey(info))
            {
                return null;
            }

            AsymmetricKeyParameter key = PublicKeyFactory.CreateKey(info);
            PublicKeyType type = BcSignatures.KeyTypeOf(key);
            return key.IsPrivate || type == PublicKeyType.Unknown ? null : new BcPublicKey((byte[])der.Clone(), key, type);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The ASN.1 stack reports malformed input through many exception types; all mean "not a key".
            return null;
        }
    }

    public bool VerifySignature(TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false) =>
        BcSignatures.Verify(_key, scheme, data, signature, anyCurve);
}
