using System;
using System.Net;
using System.Net.Sockets;

namespace TlsEngine.X509;

/// <summary>
/// What a client does with the server name it was given, decided once when the connection is
/// created: the host name it sends as SNI and the reference identity it checks the certificate
/// against. The two differ for an IP literal, which RFC 6066 §3 forbids in SNI but which is still
/// verified against the certificate's iPAddress entries (RFC 6125 §6, as Go and OpenSSL do).
/// </summary>
internal sealed class ServerIdentity
{
    /// <summary>A DNS name is at most 255 octets on the wire, 253 characters as text (RFC 1035 §2.3.4).</summary>
    public const int MaxHostNameLength = 253;

    private const int MaxLabelLength = 63;

    private ServerIdentity(string? sniHostName, string? verifyName)
    {
        SniHostName = sniHostName;
        VerifyName = verifyName;
    }

    /// <summary>The host_name sent in server_name (no trailing dot); null sends no SNI.</summary>
    public string? SniHostName { get; }

    /// <summary>The name or address the certificate must match; null when the name check is skipped.</summary>
    public string? VerifyName { get; }

    /// <summary>
    /// Checks <paramref name="serverName"/> (null: none) and splits it into the SNI and the name to
    /// verify. Throws <see cref="ArgumentException"/> naming <paramref name="optionName"/> when the
    /// name is neither a host name nor an IP literal.
    /// </summary>
    public static ServerIdentity Create(string? serverName, bool skipNameCheck, string optionName)
    {
        if (serverName == null)
        {
            return new ServerIdentity(null, null);
        }

        if (TryParseIpLiteral(serverName, out _))
        {
            return new ServerIdentity(null, skipNameCheck ? null : serverName);
        }

        string? problem = CheckHostName(serverName);
        if (problem != null)
        {
            throw new ArgumentException($"{optionName} '{Shorten(serverName)}' is not a valid host name: {problem}.", optionName);
        }

        string host = serverName.EndsWith(".", StringComparison.Ordinal) ? serverName.Substring(0, serverName.Length - 1) : serverName;
        return new ServerIdentity(host, skipNameCheck ? null : host);
    }

    /// <summary>
    /// An IPv4 literal in strict dotted-decimal form (four decimal octets, no leading zeros), or an
    /// IPv6 literal, optionally in brackets. Looser forms that resolvers accept ("127.1", "0x7f.0.0.1",
    /// "010.0.0.1") are refused rather than guessed at: they are neither a host name nor an address here.
    /// </summary>
    public static bool TryParseIpLiteral(string name, out IPAddress? address)
    {
        address = null;
        if (name.IndexOf(':') >= 0)
        {
            string inner = name.Length > 2 && name[0] == '[' && name[name.Length - 1] == ']' ? name.Substring(1, name.Length - 2) : name;
            // Only an address: IPAddress.TryParse would also take a port ("[::1]:443") or a scope id ("fe80::1%eth0").
            foreach (char c in inner)
            {
                if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                {
                    return false;
                }
            }

            return IPAddress.TryParse(inner, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        string[] parts = name.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            string part = parts[i];
            if (part.Length == 0 || part.Length > 3 || (part.Length > 1 && part[0] == '0') || !AllDigits(part))
            {
                return false;
            }

            int value = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>Null when <paramref name="name"/> is a host name SNI may carry (RFC 6066 §3, RFC 1123 §2.1); otherwise why not.</summary>
    private static string? CheckHostName(string name)
    {
        // One trailing dot marks a fully qualified name; SNI carries the name without it (RFC 6066 §3).
        string host = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
        if (host.Length == 0)
        {
            return "it is empty";
        }

        if (host.Length > MaxHostNameLength)
        {
            return $"it is longer than {MaxHostNameLength} characters";
        }

        string[] labels = host.Split('.');
        foreach (string label in labels)
        {
            if (label.Length == 0)
            {
                return "it has an empty label";
            }

            if (label.Length > MaxLabelLength)
            {
                return $"a label is longer than {MaxLabelLength} characters";
            }

            if (label[0] == '-' || label[label.Length - 1] == '-')
            {
                return "a label starts or ends with a hyphen";
            }

            foreach (char c in label)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    return c > 0x7F
                        ? "it is not ASCII (pass an internationalized name in its A-label form, e.g. via System.Globalization.IdnMapping)"
                        : "labels hold only letters, digits and hyphens";
                }
            }
        }

        // An all-numeric last label would make the name read as a (non-canonical) IPv4 address.
        if (AllDigits(labels[labels.Length - 1]))
        {
            return "it looks like an IP address but is not a dotted-quad IPv4 or an IPv6 literal";
        }

        return null;
    }

    private static bool AllDigits(string s)
    {
        foreach (char c in s)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return s.Length > 0;
    }

    private static string Shorten(string name) => name.Length <= 64 ? name : name.Substring(0, 61) + "...";
}
