using TlsEngine.Crypto;
using TlsEngine.X509;

namespace TlsEngine.Fuzz;

/// <summary>
/// The <c>chain</c> target: a leaf, intermediates and optionally an extra trust anchor, validated
/// as a path at the fixed clock. Mutated certificates rarely keep a verifiable signature, so the
/// rules the validator applies before (or instead of) signature verification also run directly on
/// every certificate: the DER walk, key and signature algorithm policy, extension reading, name
/// constraint parsing and matching of each CA's constraints against every certificate given.
/// A mutated anchor keeps its power: the validator does not check an anchor's own signature, so
/// edits of its path length, extended key usage and name constraints reach the path rules.
/// </summary>
/// <remarks>
/// Input: one flags byte (bit 0: the last certificate is a trust anchor beside the fuzz root
/// rather than presented; bit 1: validate for a client certificate rather than a server's), then
/// up to <see cref="MaxCertificates"/> certificates, each a 2-byte big-endian length and the DER.
/// A length beyond the input takes the rest, so truncated inputs still carry a certificate.
/// </remarks>
public static class ChainTarget
{
    public const int MaxCertificates = 4;
    public const byte AnchorLast = 1;
    public const byte ForClient = 2;

    private static readonly string[] ReferenceNames = { "localhost", "127.0.0.1", "www.example.org", "good.example.org", "::1" };

    public static byte[] Encode(byte flags, IEnumerable<byte[]> certificates)
    {
        var bytes = new List<byte> { flags };
        foreach (byte[] der in certificates)
        {
            bytes.Add((byte)(der.Length >> 8));
            bytes.Add((byte)der.Length);
            bytes.AddRange(der);
        }

        return bytes.ToArray();
    }

    /// <summary>Runs one input; returns the path validation's failure reason, or null when the path is valid or there is none to validate.</summary>
    public static TlsFailureReason? Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }

        byte flags = data[0];
        var certificates = new List<ICertificate>();
        foreach (byte[] der in Split(data.Slice(1)))
        {
            DerEncoding.IsWellFormed(der);
            if (CryptoProviders.Default.ParseCertificate(der) is { } certificate)
            {
                certificates.Add(certificate);
            }
        }

        foreach (ICertificate certificate in certificates)
        {
            Inspect(certificate, certificates);
        }

        var anchors = new List<ICertificate>(FuzzSetup.TrustAnchors.Anchors);
        if ((flags & AnchorLast) != 0 && certificates.Count > 1)
        {
            anchors.Add(certificates[^1]);
            certificates.RemoveAt(certificates.Count - 1);
        }

        if (certificates.Count == 0)
        {
            return null;
        }

        return Typed(() => CertificateValidator.Validate(certificates, anchors, expectedName: null, FuzzSetup.Now.UtcDateTime, forServer: (flags & ForClient) == 0));
    }

    private static List<byte[]> Split(ReadOnlySpan<byte> data)
    {
        var parts = new List<byte[]>();
        while (data.Length >= 2 && parts.Count < MaxCertificates)
        {
            int length = Math.Min((data[0] << 8) | data[1], data.Length - 2);
            parts.Add(data.Slice(2, length).ToArray());
            data = data.Slice(2 + length);
        }

        return parts;
    }

    /// <summary>What the validator reads of a certificate before any signature is verified, and each CA's name constraints against every certificate given.</summary>
    private static void Inspect(ICertificate certificate, List<ICertificate> all)
    {
        _ = (certificate.Subject, certificate.NotBeforeUtc, certificate.NotAfterUtc, certificate.IsCa, certificate.PathLengthConstraint);
        _ = (certificate.HasKeyUsage, certificate.KeyUsageDigitalSignature, certificate.KeyUsageCertSign, certificate.KeyType);
        _ = (certificate.ExtendedKeyUsages.Count, certificate.DnsNames.Count, certificate.IpAddresses.Count, certificate.Extensions.Count);
        foreach (string name in ReferenceNames)
        {
            HostNameMatcher.Matches(certificate, name);
        }

        AlgorithmPolicy.IsKeyAccepted(certificate);
        Typed(() => AlgorithmPolicy.CheckKey(certificate));
        Typed(() => AlgorithmPolicy.CheckSignatureAlgorithm(certificate));
        NameConstraints? constraints = null;
        Typed(() => constraints = NameConstraints.Of(certificate));
        if (constraints != null)
        {
            foreach (ICertificate below in all)
            {
                Typed(() => constraints.Check(below));
            }
        }
    }

    /// <summary>A typed certificate failure is the expected outcome of a bad certificate; an escaping exception or the Internal reason is a finding.</summary>
    private static TlsFailureReason? Typed(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (TlsFailureException failure) when (failure.Reason != TlsFailureReason.Internal)
        {
            return failure.Reason;
        }
    }
}
