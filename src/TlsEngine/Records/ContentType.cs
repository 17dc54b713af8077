using System;

namespace TlsEngine.Records;

internal enum ContentType : byte
{
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
}

internal static class RecordLimits
{
    /// <summary>RFC 8446 §5.1: 2^14 bytes of plaintext per record.</summary>
    public const int MaxPlaintext = 16384;

    /// <summary>RFC 8446 §5.2: 2^14 + 256 bytes of ciphertext per record.</summary>
    public const int MaxCiphertext = MaxPlaintext + 256;

    public const int HeaderLength = 5;

    public const int TagLength = 16;

    /// <summary>
    /// Puts a record's content where it is sealed. A host that wrote its plaintext exactly there
    /// (just after the header) pays no copy; any other overlap is handled like memmove.
    /// </summary>
    public static void MoveInto(ReadOnlySpan<byte> content, Span<byte> target)
    {
        if (content.Overlaps(target, out int offset) && offset == 0)
        {
            return;
        }

        content.CopyTo(target);
    }

    /// <summary>
    /// Where a (D)TLS 1.3 inner plaintext keeps its content type: the last non-zero byte, after the
    /// content and before the zero padding (RFC 8446 §5.4, RFC 9147 §4, RFC 9146 §4). -1 when every byte is zero.
    /// </summary>
    public static int InnerContentTypeIndex(ReadOnlySpan<byte> innerPlaintext)
    {
        int end = innerPlaintext.Length - 1;
        while (end >= 0 && innerPlaintext[end] == 0)
        {
            end--;
        }

        return end;
    }
}
