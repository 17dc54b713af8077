using System;
using TlsEngine.Crypto;

namespace TlsEngine.X509;

/// <summary>
/// The keys and certificate signature algorithms a path may use, read from the DER so the rule
/// does not depend on a provider: RSA of 2048 to 8192 bits with a small odd exponent, ECDSA on
/// P-256, P-384 or P-521 (named curves only), Ed25519; signatures with SHA-256, SHA-384 or SHA-512
/// (PKCS#1 v1.5, PSS, ECDSA) or Ed25519. MD5 and SHA-1 signatures are refused (RFC 9155 deprecates
/// them in TLS; chosen-prefix collisions exist for both), as is every algorithm not listed.
/// </summary>
internal static class AlgorithmPolicy
{
    public const int MinRsaBits = 2048;

    // Verification cost grows with the modulus squared and with the exponent's length: both are bounded.
    public const int MaxRsaBits = 8192;
    private const int MaxRsaExponentBits = 33;

    private static readonly byte[] RsaEncryption = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };
    private static readonly byte[] Md2WithRsa = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x02 };
    private static readonly byte[] Md4WithRsa = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x03 };
    private static readonly byte[] Md5WithRsa = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04 };
    private static readonly byte[] Sha1WithRsa = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05 };
    private static readonly byte[] Mgf1 = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08 };
    private static readonly byte[] RsassaPss = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A };
    private static readonly byte[] Sha256WithRsa = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B };
    private static readonly byte[] Sha384WithRsa = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C };
    private static readonly byte[] Sha512WithRsa = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D };
    private static readonly byte[] Sha1WithRsaOiw = { 0x2B, 0x0E, 0x03, 0x02, 0x1D };
    private static readonly byte[] EcPublicKey = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };
    private static readonly byte[] EcdsaWithSha1 = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01 };
    private static readonly byte[] EcdsaWithSha256 = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02 };
    private static readonly byte[] EcdsaWithSha384 = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03 };
    private static readonly byte[] EcdsaWithSha512 = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04 };
    private static readonly byte[] DsaWithSha1 = { 0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x03 };
    private static readonly byte[] P256 = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };
    private static readonly byte[] P384 = { 0x2B, 0x81, 0x04, 0x00, 0x22 };
    private static readonly byte[] P521 = { 0x2B, 0x81, 0x04, 0x00, 0x23 };
    private static readonly byte[] Ed25519 = { 0x2B, 0x65, 0x70 };
    private static readonly byte[] Sha256 = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
    private static readonly byte[] Sha384 = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 };
    private static readonly byte[] Sha512 = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 };

    /// <summary>Throws <see cref="TlsFailureReason.CertificateWeakCrypto"/> unless the certificate's key is one the policy accepts.</summary>
    public static void CheckKey(ICertificate certificate)
    {
        string? problem = KeyProblem(certificate.SubjectPublicKeyInfo);
        if (problem != null)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateWeakCrypto, $"The key of '{certificate.Subject}' {problem}.");
        }
    }

    public static bool IsKeyAccepted(ICertificate certificate) => KeyProblem(certificate.SubjectPublicKeyInfo) == null;

    /// <summary>Throws <see cref="TlsFailureReason.CertificateWeakCrypto"/> unless the certificate is signed with an accepted algorithm.</summary>
    public static void CheckSignatureAlgorithm(ICertificate certificate)
    {
        string? problem = SignatureProblem(certificate.SignatureAlgorithm);
        if (problem != null)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateWeakCrypto, $"The certificate '{certificate.Subject}' is signed with {problem}.");
        }
    }

    private static string? KeyProblem(byte[] subjectPublicKeyInfo)
    {
        var info = new DerReader(subjectPublicKeyInfo);
        if (!info.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> body))
        {
            return "cannot be read";
        }

        var fields = new DerReader(body);
        if (!fields.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> algorithm) || !fields.TryRead(DerEncoding.BitString, out ReadOnlySpan<byte> key))
        {
            return "cannot be read";
        }

        var identifier = new DerReader(algorithm);
        if (!identifier.TryRead(DerEncoding.ObjectIdentifier, out ReadOnlySpan<byte> oid))
        {
            return "cannot be read";
        }

        if (oid.SequenceEqual(RsaEncryption) || oid.SequenceEqual(RsassaPss))
        {
            return RsaKeyProblem(key);
        }

        if (oid.SequenceEqual(EcPublicKey))
        {
            // RFC 5480 §2.1.1: namedCurve only; explicit parameters could describe any curve.
            bool named = identifier.TryRead(DerEncoding.ObjectIdentifier, out ReadOnlySpan<byte> curve);
            return named && (curve.SequenceEqual(P256) || curve.SequenceEqual(P384) || curve.SequenceEqual(P521))
                ? null
                : "is on a curve other than P-256, P-384 or P-521";
        }

        return oid.SequenceEqual(Ed25519) ? null : "is of a type that is not accepted";
    }

    private static string? RsaKeyProblem(ReadOnlySpan<byte> bitString)
    {
        var key = new DerReader(bitString.IsEmpty || bitString[0] != 0 ? default : bitString.Slice(1));
        if (!key.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> rsa))
        {
            return "cannot be read";
        }

        var numbers = new DerReader(rsa);
        if (!numbers.TryRead(DerEncoding.Integer, out ReadOnlySpan<byte> modulus) || !numbers.TryRead(DerEncoding.Integer, out ReadOnlySpan<byte> exponent)
            || IsNegative(modulus) || IsNegative(exponent))
        {
            return "cannot be read";
        }

        int bits = BitLength(modulus);
        if (bits < MinRsaBits)
        {
            return $"is RSA of {bits} bits, under the minimum of {MinRsaBits}";
        }

        if (bits > MaxRsaBits)
        {
            return $"is RSA of {bits} bits, over the maximum of {MaxRsaBits}";
        }

        int exponentBits = BitLength(exponent);
        bool odd = !exponent.IsEmpty && (exponent[exponent.Length - 1] & 1) == 1;
        return exponentBits < 2 || exponentBits > MaxRsaExponentBits || !odd ? "has an RSA public exponent that is not accepted" : null;
    }

    private static string? SignatureProblem(byte[] algorithmIdentifier)
    {
        var outer = new DerReader(algorithmIdentifier);
        if (!outer.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> body))
        {
            return "an unreadable algorithm";
        }

        var fields = new DerReader(body);
        if (!fields.TryRead(DerEncoding.ObjectIdentifier, out ReadOnlySpan<byte> oid))
        {
            return "an unreadable algorithm";
        }

        if (oid.SequenceEqual(Sha256WithRsa) || oid.SequenceEqual(Sha384WithRsa) || oid.SequenceEqual(Sha512WithRsa)
            || oid.SequenceEqual(EcdsaWithSha256) || oid.SequenceEqual(EcdsaWithSha384) || oid.SequenceEqual(EcdsaWithSha512)
            || oid.SequenceEqual(Ed25519))
        {
            return null;
        }

        if (oid.SequenceEqual(RsassaPss))
        {
            return PssProblem(fields);
        }

        if (oid.SequenceEqual(Md5WithRsa) || oid.SequenceEqual(Md2WithRsa) || oid.SequenceEqual(Md4WithRsa))
        {
            return "MD5 (or an older MD hash), which is refused";
        }

        if (oid.SequenceEqual(Sha1WithRsa) || oid.SequenceEqual(Sha1WithRsaOiw) || oid.SequenceEqual(EcdsaWithSha1) || oid.SequenceEqual(DsaWithSha1))
        {
            return "SHA-1, which is refused";
        }

        return "an algorithm that is not accepted";
    }

    /// <summary>
    /// RFC 4055 §3.1: the hash defaults to SHA-1 and so does MGF1's, so both must be present and
    /// name the same SHA-2 hash.
    /// </summary>
    private static string? PssProblem(DerReader fields)
    {
        if (!fields.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> parameters))
        {
            return "RSASSA-PSS with SHA-1 (its default hash), which is refused";
        }

        var reader = new DerReader(parameters);
        if (!reader.TryRead(0xA0, out ReadOnlySpan<byte> hashField))
        {
            return "RSASSA-PSS with SHA-1 (its default hash), which is refused";
        }

        if (!reader.TryRead(0xA1, out ReadOnlySpan<byte> maskField))
        {
            return "RSASSA-PSS with MGF1 over SHA-1 (its default), which is refused";
        }

        ReadOnlySpan<byte> hash = AlgorithmOid(hashField);
        var mask = new DerReader(maskField);
        if (!mask.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> maskBody))
        {
            return "RSASSA-PSS with an unreadable mask generation function";
        }

        var maskFields = new DerReader(maskBody);
        if (!maskFields.TryRead(DerEncoding.ObjectIdentifier, out ReadOnlySpan<byte> maskOid) || !maskOid.SequenceEqual(Mgf1)
            || !maskFields.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> maskHashBody))
        {
            return "RSASSA-PSS with a mask generation function that is not accepted";
        }

        var maskHash = new DerReader(maskHashBody);
        bool sha2 = hash.SequenceEqual(Sha256) || hash.SequenceEqual(Sha384) || hash.SequenceEqual(Sha512);
        return sha2 && maskHash.TryRead(DerEncoding.ObjectIdentifier, out ReadOnlySpan<byte> mgfHash) && mgfHash.SequenceEqual(hash)
            ? null
            : "RSASSA-PSS with a hash other than SHA-256, SHA-384 or SHA-512";
    }

    private static ReadOnlySpan<byte> AlgorithmOid(ReadOnlySpan<byte> explicitField)
    {
        var field = new DerReader(explicitField);
        if (!field.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> body))
        {
            return default;
        }

        var fields = new DerReader(body);
        return fields.TryRead(DerEncoding.ObjectIdentifier, out ReadOnlySpan<byte> oid) ? oid : default;
    }

    private static bool IsNegative(ReadOnlySpan<byte> integer) => integer.IsEmpty || (integer[0] & 0x80) != 0;

    private static int BitLength(ReadOnlySpan<byte> unsigned)
    {
        int start = 0;
        while (start < unsigned.Length && unsigned[start] == 0)
        {
            start++;
        }

        if (start == unsigned.Length)
        {
            return 0;
        }

        int bits = (unsigned.Length - start - 1) * 8;
        for (int top = unsigned[start]; top != 0; top >>= 1)
        {
            bits++;
        }

        return bits;
    }
}
