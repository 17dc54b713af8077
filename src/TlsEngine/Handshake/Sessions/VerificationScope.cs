using System;
using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

/// <summary>The roots (null is the machine's) and the flags that decide how a server's certificate is checked.</summary>
internal sealed class VerificationScope : IEquatable<VerificationScope>
{
    private readonly IReadOnlyList<ICertificate>? _anchors;
    private readonly int _flags;
    private readonly IReadOnlyList<byte[]> _pins;
    private readonly IReadOnlyList<byte[]> _rawKeys;

    /// <param name="anchors">The roots; null: the machine's.</param>
    /// <param name="acceptAny">No certificate check at all.</param>
    /// <param name="skipName">The chain is checked, not the name.</param>
    /// <param name="delegated">The host decides.</param>
    /// <param name="pins">SHA-256 pins of SubjectPublicKeyInfos in the chain.</param>
    /// <param name="rawKeys">The raw public keys (RFC 7250) accepted from the server; none: raw keys are not accepted.</param>
    public VerificationScope(IReadOnlyList<ICertificate>? anchors, bool acceptAny, bool skipName, bool delegated, IReadOnlyList<byte[]>? pins = null, IReadOnlyList<byte[]>? rawKeys = null)
    {
        _anchors = anchors;
        _pins = pins ?? Array.Empty<byte[]>();
        _rawKeys = rawKeys ?? Array.Empty<byte[]>();
        _flags = (acceptAny ? 1 : 0) | (skipName ? 2 : 0) | (delegated ? 4 : 0);
    }

    // A session verified without a pin must not be resumed where that pin is required: the pins are part of the
    // checks, and so are the raw keys a session's server key was pinned against.
    public bool Equals(VerificationScope? other) => other != null && _flags == other._flags && SameRoots(_anchors, other._anchors)
        && SamePins(_pins, other._pins) && SamePins(_rawKeys, other._rawKeys);

    public override bool Equals(object? obj) => Equals(obj as VerificationScope);

    public override int GetHashCode() => _flags;

    private static bool SamePins(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (!a[i].AsSpan().SequenceEqual(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    // Hosts often load the same roots anew for each connection: the certificates decide, not the instance.
    private static bool SameRoots(IReadOnlyList<ICertificate>? a, IReadOnlyList<ICertificate>? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a == null || b == null || a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (!a[i].Der.AsSpan().SequenceEqual(b[i].Der))
            {
                return false;
            }
        }

        return true;
    }
}
