using System;
using System.Buffers.Binary;

namespace TlsEngine.Datagram;

/// <summary>
/// The 12-byte DTLS handshake header (RFC 9147 §5.2, RFC 6347 §4.2.2): TLS's msg_type and length,
/// then message_seq, fragment_offset and fragment_length, all big-endian.
/// </summary>
internal readonly struct DtlsHandshakeHeader
{
    public const int Length = 12;

    /// <summary>The TLS handshake header the transcript of DTLS 1.3 hashes (RFC 9147 §5.2).</summary>
    public const int TlsLength = 4;

    /// <summary>Largest value of a 24-bit field.</summary>
    public const int MaxUInt24 = (1 << 24) - 1;

    public DtlsHandshakeHeader(byte msgType, int messageLength, ushort messageSeq, int fragmentOffset, int fragmentLength)
    {
        MsgType = msgType;
        MessageLength = messageLength;
        MessageSeq = messageSeq;
        FragmentOffset = fragmentOffset;
        FragmentLength = fragmentLength;
    }

    public byte MsgType { get; }

    /// <summary>The length of the whole message body, the same in every fragment.</summary>
    public int MessageLength { get; }

    public ushort MessageSeq { get; }

    public int FragmentOffset { get; }

    public int FragmentLength { get; }

    /// <summary>One past the last body byte this fragment carries.</summary>
    public int FragmentEnd => FragmentOffset + FragmentLength;

    /// <summary>Reads a header; false when fewer than 12 bytes remain.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out DtlsHandshakeHeader header)
    {
        header = default;
        if (source.Length < Length)
        {
            return false;
        }

        header = new DtlsHandshakeHeader(
            source[0],
            ReadUInt24(source.Slice(1)),
            BinaryPrimitives.ReadUInt16BigEndian(source.Slice(4)),
            ReadUInt24(source.Slice(6)),
            ReadUInt24(source.Slice(9)));
        return true;
    }

    /// <summary>Writes the header; the engine's own values out of range are a bug, so they throw.</summary>
    public int Write(Span<byte> destination)
    {
        if (MessageLength is < 0 or > MaxUInt24 || FragmentOffset < 0 || FragmentLength < 0 || FragmentEnd > MessageLength)
        {
            throw new InvalidOperationException("The fragment lies outside its message.");
        }

        if (destination.Length < Length)
        {
            throw new ArgumentException("The destination is shorter than the header.", nameof(destination));
        }

        destination[0] = MsgType;
        WriteUInt24(destination.Slice(1), MessageLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(4), MessageSeq);
        WriteUInt24(destination.Slice(6), FragmentOffset);
        WriteUInt24(destination.Slice(9), FragmentLength);
        return Length;
    }

    /// <summary>
    /// The header as if the message had been sent in one fragment: what DTLS 1.2's transcript hashes
    /// (RFC 6347 §4.2.6) whatever the fragmentation on the wire.
    /// </summary>
    public static void WriteUnfragmented(Span<byte> destination, byte msgType, int messageLength, ushort messageSeq) =>
        new DtlsHandshakeHeader(msgType, messageLength, messageSeq, 0, messageLength).Write(destination);

    internal static int ReadUInt24(ReadOnlySpan<byte> source) => (source[0] << 16) | (source[1] << 8) | source[2];

    internal static void WriteUInt24(Span<byte> destination, int value)
    {
        destination[0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }
}
