using System;
using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.X509;

/// <summary>
/// Builds a path from the presented leaf to a trust anchor and validates it (RFC 5280 §6, the
/// subset TLS needs): names and signatures chain, keys and signature algorithms are strong
/// enough (<see cref="AlgorithmPolicy"/>), no certificate carries a critical extension this
/// validator does not process, every certificate is within its validity at the injected time,
/// issuers are CAs allowed to sign certificates within their path length and extended key
/// usage, every CA's name constraints hold below it (<see cref="NameConstraints"/>), and the
/// leaf may sign TLS handshakes for the expected name. The anchor's own constraints (path
/// length, name constraints, extended key usage, critical extensions, key) apply as well; its
/// self-signature and validity are not checked.
/// </summary>
internal static class CertificateValidator
{
    private const int MaxPathLength = 10;
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

    // RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if it encounters a critical
    // extension it does not recognize". These are the ones processed here; certificatePolicies and the
    // policy extensions are not (no policy processing), so they pass only when not critical.
    private static readonly string[] ProcessedExtensions =
    {
        "2.5.29.19", // basicConstraints
        "2.5.29.15", // keyUsage
        "2.5.29.37", // extKeyUsage
        NameConstraints.SubjectAltNameOid,
        NameConstraints.Oid,
    };

    /// <summary>
    /// Throws a certificate failure carrying the alert RFC 8446 §6.2 names for it; returns the
    /// verified chain, leaf first and the trust anchor last.
    /// </summary>
    public static List<ICertificate> Validate(IReadOnlyList<ICertificate> presented, IReadOnlyList<ICertificate> anchors, string? expectedName, DateTime nowUtc, bool forServer)
    {
        ICertificate leaf = presented[0];
        string purpose = forServer ? ServerAuthOid : ClientAuthOid;
        CheckValidity(leaf, nowUtc);
        if (leaf.HasKeyUsage && !leaf.KeyUsageDigitalSignature)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, "The certificate's key usage does not allow digital signatures.");
        }

        if (!AllowsPurpose(leaf, purpose))
        {
            throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, "The certificate's extended key usage does not allow this TLS role.");
        }

        if (expectedName != null && !HostNameMatcher.Matches(leaf, expectedName))
        {
            throw new TlsFailureException(TlsFailureReason.CertificateNameMismatch, $"The certificate is not valid for the name '{expectedName}'.");
        }

        List<ICertificate> path = BuildPath(presented, anchors, out ICertificate anchor);
        CheckPath(path, anchor, nowUtc, purpose);
        return new List<ICertificate>(path) { anchor };
    }

    /// <summary>
    /// The leaf and the intermediates up to (not including) the anchor. Each certificate's key,
    /// signature algorithm and critical extensions are checked before its signature is verified,
    /// and a candidate issuer's key before any signature is verified with it: verification cost
    /// stays bounded whatever keys a peer sends.
    /// </summary>
    private static List<ICertificate> BuildPath(IReadOnlyList<ICertificate> presented, IReadOnlyList<ICertificate> anchors, out ICertificate anchor)
    {
        var path = new List<ICertificate>();
        ICertificate current = presented[0];
        while (true)
        {
            ICertificate? same = FindSame(current, anchors);
            if (same != null)
            {
                anchor = same;
                return path;
            }

            AlgorithmPolicy.CheckKey(current);
            AlgorithmPolicy.CheckSignatureAlgorithm(current);
            CheckCriticalExtensions(current);
            path.Add(current);
            if (path.Count > MaxPathLength + 1)
            {
                throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, "The certificate path is too long.");
            }

            ICertificate? refusedKey = null;
            ICertificate? issuer = FindIssuer(current, anchors, ref refusedKey);
            if (issuer != null)
            {
                anchor = issuer;
                return path;
            }

            issuer = FindIssuer(current, presented, ref refusedKey);
            if (issuer == null)
            {
                if (refusedKey != null)
                {
                    AlgorithmPolicy.CheckKey(refusedKey);
                }

                throw new TlsFailureException(TlsFailureReason.CertificateUnknownIssuer, $"No trusted issuer was found for '{current.Subject}'.");
            }

            current = issuer;
        }
    }

    private static void CheckPath(List<ICertificate> path, ICertificate anchor, DateTime nowUtc, string purpose)
    {
        AlgorithmPolicy.CheckKey(anchor);
        CheckCriticalExtensions(anchor);
        for (int i = 1; i < path.Count; i++)
        {
            ICertificate issuer = path[i];
            CheckValidity(issuer, nowUtc);
            if (!issuer.IsCa || (issuer.HasKeyUsage && !issuer.KeyUsageCertSign))
            {
                throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, $"'{issuer.Subject}' is not allowed to issue certificates.");
            }
        }

        // Every CA above the leaf, the anchor last, constrains the certificates below it.
        int intermediates = 0;
        for (int i = 1; i <= path.Count; i++)
        {
            ICertificate ca = i == path.Count ? anchor : path[i];
            if (!AllowsPurpose(ca, purpose))
            {
                // As webpki and Go do: a CA's extended key usage limits what it may issue for.
                throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, $"The extended key usage of '{ca.Subject}' does not allow this TLS role.");
            }

            // RFC 5280 §4.2.1.9 and §6.1.4 (l)/(m): pathLenConstraint counts the non-self-issued intermediates below the CA.
            if (ca.PathLengthConstraint >= 0 && intermediates > ca.PathLengthConstraint)
            {
                throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, $"The path exceeds the length constraint of '{ca.Subject}'.");
            }

            NameConstraints? constraints = NameConstraints.Of(ca);
            for (int j = 0; constraints != null && j < i; j++)
            {
                // RFC 5280 §6.1.3 (b): self-issued intermediates are not subject to name constraints.
                if (j == 0 || !IsSelfIssued(path[j]))
                {
                    constraints.Check(path[j]);
                }
            }

            if (i < path.Count && !IsSelfIssued(ca))
            {
                intermediates++;
            }
        }
    }

    private static void CheckCriticalExtensions(ICertificate certificate)
    {
        foreach (CertificateExtension extension in certificate.Extensions)
        {
            if (extension.Critical && Array.IndexOf(ProcessedExtensions, extension.Oid) < 0)
            {
                throw new TlsFailureException(
                    TlsFailureReason.CertificateUnhandledCriticalExtension,
                    $"The certificate '{certificate.Subject}' carries the critical extension {extension.Oid}, which is not processed (RFC 5280 §4.2).");
            }
        }
    }

    private static ICertificate? FindSame(ICertificate certificate, IReadOnlyList<ICertificate> anchors)
    {
        foreach (ICertificate anchor in anchors)
        {
            if (anchor.Der.AsSpan().SequenceEqual(certificate.Der))
            {
                return anchor;
            }
        }

        return null;
    }

    /// <summary>A candidate whose subject is the certificate's issuer and whose key verifies it; a candidate with a refused key is only remembered.</summary>
    private static ICertificate? FindIssuer(ICertificate certificate, IReadOnlyList<ICertificate> candidates, ref ICertificate? refusedKey)
    {
        foreach (ICertificate candidate in candidates)
        {
            if (ReferenceEquals(candidate, certificate) || !candidate.SubjectDer.AsSpan().SequenceEqual(certificate.IssuerDer))
            {
                continue;
            }

            if (!AlgorithmPolicy.IsKeyAccepted(candidate))
            {
                refusedKey ??= candidate;
                continue;
            }

            if (certificate.IsSignedBy(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsSelfIssued(ICertificate certificate) => certificate.SubjectDer.AsSpan().SequenceEqual(certificate.IssuerDer);

    private static bool AllowsPurpose(ICertificate certificate, string purpose) =>
        certificate.ExtendedKeyUsages.Count == 0 || Contains(certificate.ExtendedKeyUsages, purpose) || Contains(certificate.ExtendedKeyUsages, AnyExtendedKeyUsageOid);

    private static void CheckValidity(ICertificate certificate, DateTime nowUtc)
    {
        if (nowUtc > certificate.NotAfterUtc)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateExpired, $"The certificate '{certificate.Subject}' expired on {certificate.NotAfterUtc:u}.");
        }

        if (nowUtc < certificate.NotBeforeUtc)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateExpired, $"The certificate '{certificate.Subject}' is not valid before {certificate.NotBeforeUtc:u}.");
        }
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        foreach (string v in values)
        {
            if (v == value)
            {
                return true;
            }
        }

        return false;
    }
}
