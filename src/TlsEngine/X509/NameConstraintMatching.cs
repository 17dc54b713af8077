using System;

namespace TlsEngine.X509;

/// <summary>
/// RFC 5280 §4.2.1.10 dNSName subtrees: a name is within "example.org" when it equals it or adds
/// whole labels on the left ("www.example.org", never "badexample.org"); a leading dot
/// (".example.org", the common reading) admits only names with at least one label more; the
/// empty constraint admits every name. Case-insensitive; trailing dots are ignored, as in host
/// name matching. A presented wildcard ("*.example.org") stands for every name it could match:
/// it is permitted only when all of them are, and excluded when any of them is.
/// </summary>
internal static class DnsConstraint
{
    /// <summary>For permitted subtrees: every name <paramref name="presented"/> stands for is within <paramref name="constraint"/>.</summary>
    public static bool Permits(string presented, string constraint)
    {
        string name = presented.TrimEnd('.');
        string subtree = constraint.TrimEnd('.');
        if (!IsWildcard(name))
        {
            return Within(name, subtree);
        }

        // "*.rest" is "L.rest" for any single label L: all of them lie within the subtree exactly when rest does
        // (the subtree's own name included, since L adds a label).
        return subtree.Length == 0 || Within(name.Substring(2), subtree[0] == '.' ? subtree.Substring(1) : subtree);
    }

    /// <summary>For excluded subtrees: some name <paramref name="presented"/> stands for is within <paramref name="constraint"/>.</summary>
    public static bool MayReach(string presented, string constraint)
    {
        string name = presented.TrimEnd('.');
        string subtree = constraint.TrimEnd('.');
        if (Within(name, subtree))
        {
            return true;
        }

        if (!IsWildcard(name))
        {
            return false;
        }

        string rest = name.Substring(2);
        if (subtree.Length == 0)
        {
            return true;
        }

        if (subtree[0] == '.')
        {
            return Within(rest, subtree.Substring(1));
        }

        // The subtree is one label more than rest ("www.example.org" against "*.example.org").
        int labelEnd = subtree.Length - rest.Length - 1;
        return Within(rest, subtree)
            || (labelEnd > 0 && subtree[labelEnd] == '.' && subtree.EndsWith(rest, StringComparison.OrdinalIgnoreCase)
                && subtree.IndexOf('.', 0, labelEnd) < 0);
    }

    /// <summary>A literal name within a subtree (no wildcard meaning).</summary>
    public static bool Within(string name, string subtree)
    {
        if (subtree.Length == 0)
        {
            return true;
        }

        if (subtree[0] == '.')
        {
            return name.Length > subtree.Length && name.EndsWith(subtree, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(name, subtree, StringComparison.OrdinalIgnoreCase)
            || (name.Length > subtree.Length && name[name.Length - subtree.Length - 1] == '.' && name.EndsWith(subtree, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsWildcard(string name) => name.Length > 2 && name[0] == '*' && name[1] == '.';
}

/// <summary>
/// RFC 5280 §4.2.1.10 iPAddress subtrees: an address and a mask of the same family (8 octets for
/// IPv4, 32 for IPv6). Masks must be a contiguous prefix. An address is within when it equals
/// the base under the mask; an address of the other family is never within.
/// </summary>
internal static class IpConstraint
{
    public static bool IsWellFormed(ReadOnlySpan<byte> constraint)
    {
        if (constraint.Length != 8 && constraint.Length != 32)
        {
            return false;
        }

        ReadOnlySpan<byte> mask = constraint.Slice(constraint.Length / 2);
        bool ended = false;
        foreach (byte octet in mask)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                bool set = ((octet >> bit) & 1) != 0;
                if (set && ended)
                {
                    return false;
                }

                ended |= !set;
            }
        }

        return true;
    }

    public static bool Contains(byte[] constraint, byte[] address)
    {
        if (constraint.Length != address.Length * 2)
        {
            return false;
        }

        for (int i = 0; i < address.Length; i++)
        {
            byte mask = constraint[address.Length + i];
            if ((address[i] & mask) != (constraint[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
