using System;

namespace TlsEngine.Crypto;

/// <summary>
/// Bounded DER (X.690 §10) checks and reading. Untrusted DER is walked here before any ASN.1
/// library sees it: BouncyCastle 1.8.10 allocates the length a header declares before it checks
/// that the input holds that much, so a few hundred bytes can make it allocate gigabytes.
/// </summary>
internal static class DerEncoding
{
    /// <summary>Nesting deep enough for any certificate or key (X.509 needs about ten levels).</summary>
    public const int MaxDepth = 32;

    public const byte Boolean = 0x01;
    public const byte Integer = 0x02;
    public const byte BitString = 0x03;
    public const byte OctetString = 0x04;
    public const byte Null = 0x05;
    public const byte ObjectIdentifier = 0x06;
    public const byte Sequence = 0x30;
    public const byte Set = 0x31;

    private const int MaxTagBytes = 4;

    /// <summary>
    /// True when <paramref name="der"/> is exactly one element whose every declared length, at every
    /// nesting level, is definite, minimally encoded and within its container.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> der)
    {
        if (der.IsEmpty)
        {
            return false;
        }

        // An explicit stack of container ends instead of recursion: the depth is capped, not the call stack.
        Span<int> ends = stackalloc int[MaxDepth + 1];
        ends[0] = der.Length;
        int depth = 0;
        int offset = 0;
        while (true)
        {
            if (offset == ends[depth])
            {
                if (depth == 0)
                {
                    return true;
                }

                depth--;
                continue;
            }

            if (depth == 0 && offset > 0)
            {
                return false;
            }

            if (!TryReadHeader(der.Slice(offset, ends[depth] - offset), out _, out int headerLength, out int contentLength)
                || !IsAllowedForm(der[offset]))
            {
                return false;
            }

            int contentStart = offset + headerLength;
            if ((der[offset] & 0x20) != 0)
            {
                if (depth == MaxDepth)
                {
                    return false;
                }

                ends[++depth] = contentStart + contentLength;
                offset = contentStart;
            }
            else
            {
                offset = contentStart + contentLength;
            }
        }
    }

    /// <summary>
    /// Reads one identifier and length. <paramref name="tag"/> is the first identifier octet (class,
    /// constructed bit and low tag number; high tag numbers are skipped over but not decoded).
    /// Fails on indefinite, non-minimal or oversized lengths and on lengths beyond <paramref name="data"/>.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out int tag, out int headerLength, out int contentLength)
    {
        tag = 0;
        headerLength = 0;
        contentLength = 0;
        if (data.IsEmpty)
        {
            return false;
        }

        tag = data[0];
        int offset = 1;
        if ((tag & 0x1F) == 0x1F)
        {
            // X.690 §8.1.2.4: base-128 tag number, minimal (no leading 0x80), and at least 31.
            if (offset >= data.Length || data[offset] == 0x80)
            {
                return false;
            }

            int start = offset;
            while (offset < data.Length && (data[offset] & 0x80) != 0)
            {
                offset++;
            }

            if (offset >= data.Length || offset - start + 1 > MaxTagBytes || (offset == start && data[offset] < 31))
            {
                return false;
            }

            offset++;
        }

        if (offset >= data.Length)
        {
            return false;
        }

        int first = data[offset++];
        long length;
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            // 0x80 is the indefinite form (BER only); more than four octets cannot describe anything we hold.
            int count = first & 0x7F;
            if (count == 0 || count > 4 || offset + count > data.Length || data[offset] == 0)
            {
                return false;
            }

            length = 0;
            for (int i = 0; i < count; i++)
            {
                length = (length << 8) | data[offset++];
            }

            // X.690 §10.1: the definite form in the fewest octets, so long form only from 128 up.
            if (length < 0x80)
            {
                return false;
            }
        }

        if (length > data.Length - offset)
        {
            return false;
        }

        headerLength = offset;
        contentLength = (int)length;
        return true;
    }

    /// <summary>
    /// X.690 §10.2 and §8.9/§8.12: DER never uses the constructed form for universal string and
    /// primitive types, SEQUENCE and SET are always constructed, and tag 0 only ends BER's indefinite lengths.
    /// </summary>
    private static bool IsAllowedForm(byte identifier)
    {
        if ((identifier & 0xC0) != 0)
        {
            return true;
        }

        int number = identifier & 0x1F;
        bool constructed = (identifier & 0x20) != 0;
        return number switch
        {
            0 => false,
            0x10 or 0x11 => constructed,
            // EXTERNAL, EMBEDDED PDV and high tag numbers are left to their own rules.
            0x08 or 0x0B or 0x1F => true,
            _ => !constructed,
        };
    }
}

/// <summary>A forward-only reader over DER that has passed <see cref="DerEncoding.IsWellFormed"/> or is bounded by its span.</summary>
internal ref struct DerReader
{
    private ReadOnlySpan<byte> _data;

    public DerReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    public readonly bool HasData => !_data.IsEmpty;

    /// <summary>The next element's first identifier octet, or -1 at the end or on a malformed header.</summary>
    public readonly int PeekTag() => DerEncoding.TryReadHeader(_data, out int tag, out _, out _) ? tag : -1;

    /// <summary>Reads the next element, whatever its tag.</summary>
    public bool TryRead(out int tag, out ReadOnlySpan<byte> content)
    {
        content = default;
        if (!DerEncoding.TryReadHeader(_data, out tag, out int header, out int length))
        {
            return false;
        }

        content = _data.Slice(header, length);
        _data = _data.Slice(header + length);
        return true;
    }

    /// <summary>Reads the next element when it carries <paramref name="expectedTag"/>; otherwise consumes nothing.</summary>
    public bool TryRead(int expectedTag, out ReadOnlySpan<byte> content)
    {
        content = default;
        if (PeekTag() != expectedTag)
        {
            return false;
        }

        return TryRead(out _, out content);
    }
}
