using System;

namespace TlsEngine.Datagram;

/// <summary>
/// Splits one TLS-style handshake message (4-byte header and body) into DTLS handshake fragments
/// (RFC 9147 §5.5, RFC 6347 §4.2.3): contiguous, non-overlapping ranges of the body, each behind a
/// 12-byte header carrying the same msg_type, length and message_seq. Writes straight into the
/// caller's buffer; nothing is allocated.
/// </summary>
internal static class HandshakeFragmenter
{
    /// <summary>The smallest fragment that carries a byte of body: the header and one byte.</summary>
    public const int MinFragmentSize = DtlsHandshakeHeader.Length + 1;

    /// <summary>How many fragments a body of <paramref name="bodyLength"/> bytes takes when each fragment (header included) is at most <paramref name="maxFragmentSize"/> bytes.</summary>
    public static int FragmentCount(int bodyLength, int maxFragmentSize)
    {
        int perFragment = BodyPerFragment(maxFragmentSize);
        return bodyLength == 0 ? 1 : (int)(((long)bodyLength + perFragment - 1) / perFragment);
    }

    /// <summary>The bytes all fragments of the body take together, headers included.</summary>
    public static int FragmentedSize(int bodyLength, int maxFragmentSize) =>
        checked((FragmentCount(bodyLength, maxFragmentSize) * DtlsHandshakeHeader.Length) + bodyLength);

    /// <summary>
    /// Writes the fragment of <paramref name="message"/> that starts at body offset
    /// <paramref name="fragmentOffset"/> and fills as much of <paramref name="destination"/> as the
    /// rest of the body allows (at most <paramref name="maxBodyBytes"/> body bytes); returns the bytes
    /// written and where the next fragment starts. A retransmission may cut the body differently
    /// (RFC 9147 §5.5 lets receivers handle overlaps), but never changes its bytes.
    /// </summary>
    public static int WriteFragment(ReadOnlySpan<byte> message, ushort messageSeq, int fragmentOffset, Span<byte> destination, out int nextOffset, int maxBodyBytes = int.MaxValue)
    {
        ReadOnlySpan<byte> body = Body(message);
        if ((uint)fragmentOffset > (uint)body.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(fragmentOffset), "The fragment offset lies beyond the body.");
        }

        if (maxBodyBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBodyBytes), "A fragment carries at least one byte of body.");
        }

        int room = destination.Length - DtlsHandshakeHeader.Length;
        int remaining = body.Length - fragmentOffset;
        if (room < 0 || (room == 0 && remaining > 0))
        {
            throw new ArgumentException("The destination holds no byte of body.", nameof(destination));
        }

        int length = Math.Min(remaining, Math.Min(room, maxBodyBytes));
        new DtlsHandshakeHeader(message[0], body.Length, messageSeq, fragmentOffset, length).Write(destination);
        body.Slice(fragmentOffset, length).CopyTo(destination.Slice(DtlsHandshakeHeader.Length));
        nextOffset = fragmentOffset + length;
        return DtlsHandshakeHeader.Length + length;
    }

    /// <summary>
    /// Writes every fragment of the message back to back, each at most <paramref name="maxFragmentSize"/>
    /// bytes with its header; returns the bytes written (<see cref="FragmentedSize"/>).
    /// </summary>
    public static int WriteAll(ReadOnlySpan<byte> message, ushort messageSeq, int maxFragmentSize, Span<byte> destination)
    {
        int bodyLength = Body(message).Length;
        if (destination.Length < FragmentedSize(bodyLength, maxFragmentSize))
        {
            throw new ArgumentException("The destination is too short for the fragments.", nameof(destination));
        }

        int written = 0;
        int offset = 0;
        do
        {
            Span<byte> slot = destination.Slice(written, Math.Min(maxFragmentSize, destination.Length - written));
            written += WriteFragment(message, messageSeq, offset, slot, out offset);
        }
        while (offset < bodyLength);
        return written;
    }

    /// <summary>The body of a TLS-style handshake message, checked against its 24-bit length.</summary>
    public static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> message)
    {
        if (message.Length < DtlsHandshakeHeader.TlsLength
            || DtlsHandshakeHeader.ReadUInt24(message.Slice(1)) != message.Length - DtlsHandshakeHeader.TlsLength)
        {
            throw new ArgumentException("Not a whole handshake message: its length field does not match.", nameof(message));
        }

        return message.Slice(DtlsHandshakeHeader.TlsLength);
    }

    private static int BodyPerFragment(int maxFragmentSize)
    {
        if (maxFragmentSize < MinFragmentSize)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFragmentSize), "A fragment must have room for its header and a byte of body.");
        }

        return maxFragmentSize - DtlsHandshakeHeader.Length;
    }
}
