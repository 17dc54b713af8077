using System;
using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.X509;

/// <summary>
/// Builds a path from the presented leaf to a trust anchor (RFC 5280 §6, the subset TLS needs):
/// names and signatures chain, every certificate is within its validity at the injected time,
/// issuers are CAs allowed to sign certificates within their path length, and the leaf may
/// sign TLS handshakes for the expected name.
/// </summary>
internal static class CertificateValidator
{
    private const int MaxPathLength = 10;
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

    /// <summary>Throws a certificate failure carrying the alert RFC 8446 §6.2 names for it.</summary>
    public static void Validate(IReadOnlyList<ICertificate> presented, IReadOnlyList<ICertificate> anchors, string? expectedName, DateTime nowUtc, bool forServer)
    {
        ICertificate leaf = presented[0];
        CheckValidity(leaf, nowUtc);
        if (leaf.HasKeyUsage && !leaf.KeyUsageDigitalSignature)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, "The certificate's key usage does not allow digital signatures.");
        }

        string purpose = forServer ? ServerAuthOid : ClientAuthOid;
        if (leaf.ExtendedKeyUsages.Count > 0 && !Contains(leaf.ExtendedKeyUsages, purpose) && !Contains(leaf.ExtendedKeyUsages, AnyExtendedKeyUsageOid))
        {
            throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, "The certificate's extended key usage does not allow this TLS role.");
        }

        if (expectedName != null && !HostNameMatcher.Matches(leaf, expectedName))
        {
            throw new TlsFailureException(TlsFailureReason.CertificateNameMismatch, $"The certificate is not valid for the name '{expectedName}'.");
        }

        ICertificate current = leaf;
        for (int depth = 0; depth <= MaxPathLength; depth++)
        {
            if (IsAnchored(current, anchors))
            {
                return;
            }

            ICertificate? issuer = FindIssuer(current, presented);
            if (issuer == null)
            {
                throw new TlsFailureException(TlsFailureReason.CertificateUnknownIssuer, $"No trusted issuer was found for '{current.Subject}'.");
            }

            CheckValidity(issuer, nowUtc);
            if (!issuer.IsCa || (issuer.HasKeyUsage && !issuer.KeyUsageCertSign))
            {
                throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, $"'{issuer.Subject}' is not allowed to issue certificates.");
            }

            if (issuer.PathLengthConstraint >= 0 && depth > issuer.PathLengthConstraint)
            {
                throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, $"The path exceeds the length constraint of '{issuer.Subject}'.");
            }

            current = issuer;
        }

        throw new TlsFailureException(TlsFailureReason.CertificateNotAllowed, "The certificate path is too long.");
    }

    private static bool IsAnchored(ICertificate certificate, IReadOnlyList<ICertificate> anchors)
    {
        foreach (ICertificate anchor in anchors)
        {
            if (anchor.Der.AsSpan().SequenceEqual(certificate.Der))
            {
                return true;
            }

            if (anchor.SubjectDer.AsSpan().SequenceEqual(certificate.IssuerDer) && certificate.IsSignedBy(anchor))
            {
                return true;
            }
        }

        return false;
    }

    private static ICertificate? FindIssuer(ICertificate certificate, IReadOnlyList<ICertificate> presented)
    {
        foreach (ICertificate candidate in presented)
        {
            if (!ReferenceEquals(candidate, certificate)
                && candidate.SubjectDer.AsSpan().SequenceEqual(certificate.IssuerDer)
                && certificate.IsSignedBy(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

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
