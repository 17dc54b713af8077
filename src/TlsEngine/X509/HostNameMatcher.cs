using System;
using System.Net;
using TlsEngine.Crypto;

namespace TlsEngine.X509;

/// <summary>
/// RFC 6125 §6: match a reference identity against the certificate's subjectAltName only
/// (no Common Name fallback). IP literals match iPAddress entries, host names dNSName entries,
/// with a wildcard allowed only as the whole left-most label.
/// </summary>
internal static class HostNameMatcher
{
    public static bool Matches(ICertificate certificate, string referenceName)
    {
        if (ServerIdentity.TryParseIpLiteral(referenceName, out IPAddress? address))
        {
            byte[] wanted = address!.GetAddressBytes();
            foreach (byte[] ip in certificate.IpAddresses)
            {
                if (ip.AsSpan().SequenceEqual(wanted))
                {
                    return true;
                }
            }

            return false;
        }

        string host = referenceName.TrimEnd('.');
        foreach (string dns in certificate.DnsNames)
        {
            if (DnsMatches(dns.TrimEnd('.'), host))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DnsMatches(string pattern, string host)
    {
        if (pattern.Length == 0)
        {
            return false;
        }

        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }

        // The wildcard stands for exactly one label, and never for a label of a public suffix
        // alone: "*.com" style patterns (fewer than two labels after the star) are refused.
        string suffix = pattern.Substring(1);
        if (suffix.IndexOf('*') >= 0 || suffix.Split('.').Length < 3)
        {
            return false;
        }

        int firstDot = host.IndexOf('.');
        return firstDot > 0 && string.Equals(host.Substring(firstDot), suffix, StringComparison.OrdinalIgnoreCase);
    }
}
