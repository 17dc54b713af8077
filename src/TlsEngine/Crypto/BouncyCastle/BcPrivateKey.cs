using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace TlsEngine.Crypto.BouncyCastle;

internal sealed class BcPrivateKey : IPrivateKey
{
    private readonly AsymmetricKeyParameter _key;

    private BcPrivateKey(AsymmetricKeyParameter key)
    {
        _key = key;
        KeyType = BcSignatures.KeyTypeOf(key);
    }

    public PublicKeyType KeyType { get; }

    public byte[] Pkcs8 => Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(_key).GetDerEncoded();

    public byte[] SubjectPublicKeyInfo =>
        Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(PublicOf(_key)).GetDerEncoded();

    /// <summary>The public half: Q = d·G on the key's named curve, the Ed25519 point, or the RSA modulus and exponent.</summary>
    private static AsymmetricKeyParameter PublicOf(AsymmetricKeyParameter key) => key switch
    {
        ECPrivateKeyParameters ec when ec.PublicKeyParamSet != null =>
            new ECPublicKeyParameters(ec.AlgorithmName, ec.Parameters.G.Multiply(ec.D).Normalize(), ec.PublicKeyParamSet),
        ECPrivateKeyParameters ec => new ECPublicKeyParameters(ec.AlgorithmName, ec.Parameters.G.Multiply(ec.D).Normalize(), ec.Parameters),
        Ed25519PrivateKeyParameters ed => ed.GeneratePublicKey(),
        RsaPrivateCrtKeyParameters rsa => new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent),
        _ => throw new NotSupportedException("No public key can be derived from this private key."),
    };

    public static BcPrivateKey? TryParse(string pemLabel, byte[] der)
    {
        // The host's own file, but the same rule as for peer input: lengths checked before BouncyCastle reads them.
        if (!DerEncoding.IsWellFormed(der))
        {
            return null;
        }

        try
        {
            AsymmetricKeyParameter key = pemLabel switch
            {
                "EC PRIVATE KEY" => FromSec1(der),
                "RSA PRIVATE KEY" => FromPkcs1(der),
                _ => PrivateKeyFactory.CreateKey(der),
            };
            return key.IsPrivate ? new BcPrivateKey(key) : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    public byte[] Sign(TlsSignatureScheme scheme, ReadOnlySpan<byte> data, TlsRandom random) =>
        BcSignatures.Sign(_key, scheme, data, random);

    private static AsymmetricKeyParameter FromSec1(byte[] der)
    {
        var structure = ECPrivateKeyStructure.GetInstance(Asn1Sequence.GetInstance(der));
        var algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, structure.GetParameters());
        return PrivateKeyFactory.CreateKey(new PrivateKeyInfo(algorithm, structure.ToAsn1Object()));
    }

    private static AsymmetricKeyParameter FromPkcs1(byte[] der)
    {
        var rsa = RsaPrivateKeyStructure.GetInstance(Asn1Sequence.GetInstance(der));
        return new RsaPrivateCrtKeyParameters(rsa.Modulus, rsa.PublicExponent, rsa.PrivateExponent,
            rsa.Prime1, rsa.Prime2, rsa.Exponent1, rsa.Exponent2, rsa.Coefficient);
    }
}
