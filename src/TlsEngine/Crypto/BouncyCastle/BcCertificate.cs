using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace TlsEngine.Crypto.BouncyCastle;

internal sealed class BcCertificate : ICertificate
{
    private static readonly BoundedCache<string, bool> SignatureResults = new(4096);
    private static readonly BoundedCache<string, BcCertificate> Parsed = new(1024);
    private readonly X509Certificate _certificate;
    private readonly AsymmetricKeyParameter _publicKey;
    private byte[]? _subjectPublicKeyInfo;

    private BcCertificate(byte[] der, X509Certificate certificate, IReadOnlyList<CertificateExtension> extensions)
    {
        Der = der;
        _certificate = certificate;
        _publicKey = certificate.GetPublicKey();
        X509CertificateStructure structure = certificate.CertificateStructure;
        SignatureAlgorithm = structure.SignatureAlgorithm.GetDerEncoded();
        Extensions = extensions;
        SubjectDer = structure.Subject.GetDerEncoded();
        IssuerDer = structure.Issuer.GetDerEncoded();
        Subject = structure.Subject.ToString();
        NotBeforeUtc = AsUtc(structure.StartDate.ToDateTime());
        NotAfterUtc = AsUtc(structure.EndDate.ToDateTime());
        int constraints = certificate.GetBasicConstraints();
        IsCa = constraints >= 0;
        PathLengthConstraint = constraints == int.MaxValue ? -1 : constraints;
        bool[]? usage = certificate.GetKeyUsage();
        HasKeyUsage = usage != null;
        KeyUsageDigitalSignature = usage != null && usage.Length > 0 && usage[0];
        KeyUsageCertSign = usage != null && usage.Length > 5 && usage[5];
        var eku = new List<string>();
        System.Collections.IList? ekuList = certificate.GetExtendedKeyUsage();
        if (ekuList != null)
        {
            foreach (object oid in ekuList)
            {
                eku.Add(oid.ToString() ?? string.Empty);
            }
        }

        ExtendedKeyUsages = eku;
        var dns = new List<string>();
        var ips = new List<byte[]>();
        Asn1OctetString? san = certificate.GetExtensionValue(X509Extensions.SubjectAlternativeName);
        if (san != null)
        {
            foreach (GeneralName name in GeneralNames.GetInstance(X509ExtensionUtilities.FromExtensionValue(san)).GetNames())
            {
                if (name.TagNo == GeneralName.DnsName)
                {
                    dns.Add(DerIA5String.GetInstance(name.Name).GetString());
                }
                else if (name.TagNo == GeneralName.IPAddress)
                {
                    ips.Add(Asn1OctetString.GetInstance(name.Name).GetOctets());
                }
            }
        }

        DnsNames = dns;
        IpAddresses = ips;
        KeyType = BcSignatures.KeyTypeOf(_publicKey);
    }

    public byte[] Der { get; }

    public byte[] SubjectDer { get; }

    public byte[] IssuerDer { get; }

    public string Subject { get; }

    public DateTime NotBeforeUtc { get; }

    public DateTime NotAfterUtc { get; }

    public bool IsCa { get; }

    public int PathLengthConstraint { get; }

    public bool HasKeyUsage { get; }

    public bool KeyUsageDigitalSignature { get; }

    public bool KeyUsageCertSign { get; }

    public IReadOnlyList<string> ExtendedKeyUsages { get; }

    public IReadOnlyList<string> DnsNames { get; }

    public IReadOnlyList<byte[]> IpAddresses { get; }

    public PublicKeyType KeyType { get; }

    public byte[] SubjectPublicKeyInfo => _subjectPublicKeyInfo ??= _certificate.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();

    public byte[] SignatureAlgorithm { get; }

    public IReadOnlyList<CertificateExtension> Extensions { get; }

    public static BcCertificate? TryParse(byte[] der)
    {
        // Parsed certificates are immutable, and peers present the same ones again and again.
        string key = Convert.ToBase64String(Digest(der));
        if (Parsed.TryGet(key, out BcCertificate known) && known.Der.AsSpan().SequenceEqual(der))
        {
            return known;
        }

        // Every length is checked against the input before BouncyCastle reads any of it (see DerEncoding).
        if (!DerEncoding.IsWellFormed(der))
        {
            return null;
        }

        try
        {
            // The structure is read from a byte array, which bounds BouncyCastle's reader by the input;
            // X509CertificateParser would also take PKCS#7 and PEM, neither of which a peer may send.
            X509CertificateStructure structure = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der));
            IReadOnlyList<CertificateExtension>? extensions = ReadExtensions(structure);
            if (extensions == null || !HasWellFormedKey(structure.SubjectPublicKeyInfo))
            {
                return null;
            }

            var parsed = new BcCertificate((byte[])der.Clone(), new X509Certificate(structure), extensions);
            Parsed.Add(key, parsed);
            return parsed;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The ASN.1 stack reports malformed input through many exception types; all mean "not a certificate".
            return null;
        }
    }

    /// <summary>The extensions in order; null when an extnValue is not DER (RFC 5280 §4.1: it holds the DER of the extension's type).</summary>
    private static IReadOnlyList<CertificateExtension>? ReadExtensions(X509CertificateStructure structure)
    {
        var list = new List<CertificateExtension>();
        X509Extensions? extensions = structure.TbsCertificate.Extensions;
        if (extensions == null)
        {
            return list;
        }

        foreach (DerObjectIdentifier oid in extensions.ExtensionOids)
        {
            X509Extension extension = extensions.GetExtension(oid);
            byte[] value = extension.Value.GetOctets();
            if (!DerEncoding.IsWellFormed(value))
            {
                return null;
            }

            list.Add(new CertificateExtension(oid.Id, extension.IsCritical, value));
        }

        return list;
    }

    /// <summary>An RSA key's BIT STRING holds DER (RSAPublicKey), which BouncyCastle parses when the key is used.</summary>
    internal static bool HasWellFormedKey(SubjectPublicKeyInfo info)
    {
        string algorithm = info.AlgorithmID.Algorithm.Id;
        return (algorithm != PkcsObjectIdentifiers.RsaEncryption.Id && algorithm != PkcsObjectIdentifiers.IdRsassaPss.Id)
            || DerEncoding.IsWellFormed(info.PublicKeyData.GetOctets());
    }

    public bool IsSignedBy(ICertificate issuer)
    {
        if (issuer is not BcCertificate other)
        {
            return false;
        }

        // A signature check is a pure function of the two encodings; servers present the same chain again and again.
        string key = Convert.ToBase64String(Digest(Der)) + Convert.ToBase64String(Digest(other.Der));
        if (SignatureResults.TryGet(key, out bool known))
        {
            return known;
        }

        bool valid;
        try
        {
            _certificate.Verify(other._publicKey);
            valid = true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            valid = false;
        }

        SignatureResults.Add(key, valid);
        return valid;
    }

    /// <summary>SHA-256 of an encoding, the key of the caches above: the runtime's where it has one (several times faster on a certificate).</summary>
    private static byte[] Digest(byte[] data)
    {
#if NET5_0_OR_GREATER
        return System.Security.Cryptography.SHA256.HashData(data);
#else
        var sha = new Org.BouncyCastle.Crypto.Digests.Sha256Digest();
        sha.BlockUpdate(data, 0, data.Length);
        byte[] output = new byte[32];
        sha.DoFinal(output, 0);
        return output;
#endif
    }

    public bool VerifySignature(TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false) =>
        BcSignatures.Verify(_publicKey, scheme, data, signature, anyCurve);

    private static DateTime AsUtc(DateTime value) =>
        value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
