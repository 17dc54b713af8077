using System;
using System.Buffers.Binary;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>
/// The 13-byte DTLS record header (RFC 6347 §4.1): type, version, 16-bit epoch, 48-bit sequence
/// number, length. Every DTLS 1.2 record uses it, and so does DTLS 1.3's DTLSPlaintext (RFC 9147 §4).
/// </summary>
internal readonly struct DtlsRecordHeader
{
    public const int Length = 13;

    /// <summary>DTLS 1.2 on the wire (the one's complement of 1.2).</summary>
    public const ushort Dtls12Version = 0xFEFD;

    /// <summary>DTLS 1.0, which a DTLS 1.2 client may still put on its first records (RFC 6347 §4.1).</summary>
    public const ushort Dtls10Version = 0xFEFF;

    /// <summary>RFC 9147 §7: the ack content type, carried in DTLSPlaintext when unprotected.</summary>
    public const ContentType Ack = (ContentType)26;

    /// <summary>RFC 9146 §4: the outer type of a DTLS 1.2 record that carries a connection id.</summary>
    public const ContentType Tls12Cid = (ContentType)25;

    /// <summary>
    /// RFC 9146 §4: a tls12_cid record's header before the connection id (type, version, epoch,
    /// sequence number); the 2-byte length follows the id.
    /// </summary>
    public const int Tls12CidPrefixLength = 11;

    /// <summary>RFC 6347 §4.1 (after RFC 5246 §6.2.3): a protected record carries at most 2^14 + 2048 bytes.</summary>
    public const int MaxPayload = (1 << 14) + 2048;

    public DtlsRecordHeader(ContentType type, ushort version, ushort epoch, ulong sequence, int payloadLength)
    {
        Type = type;
        Version = version;
        Epoch = epoch;
        Sequence = sequence;
        PayloadLength = payloadLength;
    }

    public ContentType Type { get; }

    public ushort Version { get; }

    public ushort Epoch { get; }

    /// <summary>48 bits on the wire.</summary>
    public ulong Sequence { get; }

    public int PayloadLength { get; }

    /// <summary>Header and payload: where the next record in the datagram starts.</summary>
    public int RecordLength => Length + PayloadLength;
}

/// <summary>Reads and writes <see cref="DtlsRecordHeader"/> without throwing on peer bytes.</summary>
internal static class DtlsRecordHeaderCodec
{
    /// <summary>The content types that may start a record with this header: TLS's four and ack.</summary>
    public static bool IsRecordType(byte firstByte) => firstByte is (byte)ContentType.ChangeCipherSpec or (byte)ContentType.Alert
        or (byte)ContentType.Handshake or (byte)ContentType.ApplicationData or (byte)DtlsRecordHeader.Ack;

    public static RecordDrop TryRead(ReadOnlySpan<byte> datagram, out DtlsRecordHeader header)
    {
        header = default;
        if (datagram.IsEmpty)
        {
            return RecordDrop.Truncated;
        }

        if (!IsRecordType(datagram[0]))
        {
            return RecordDrop.UnknownFirstByte;
        }

        if (datagram.Length < DtlsRecordHeader.Length)
        {
            return RecordDrop.Truncated;
        }

        ushort version = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(1));
        if (version >> 8 != 0xFE)
        {
            return RecordDrop.BadVersion;
        }

        ushort epoch = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(3));
        ulong sequence = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(5)) << 32) | BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(7));
        int payload = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(11));
        if (payload > DtlsRecordHeader.MaxPayload)
        {
            return RecordDrop.RecordTooLong;
        }

        if (datagram.Length - DtlsRecordHeader.Length < payload)
        {
            return RecordDrop.Truncated;
        }

        header = new DtlsRecordHeader((ContentType)datagram[0], version, epoch, sequence, payload);
        return RecordDrop.None;
    }

    /// <summary>Writes the header; the engine's own values out of range are a bug, so they throw.</summary>
    public static int Write(Span<byte> destination, in DtlsRecordHeader header)
    {
        if (header.Sequence > ReplayWindow.MaxSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(header), "A DTLS sequence number has 48 bits.");
        }

        if (header.PayloadLength is < 0 or > DtlsRecordHeader.MaxPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(header), "The record payload is too long.");
        }

        if (destination.Length < DtlsRecordHeader.Length)
        {
            throw new ArgumentException("The destination is shorter than the header.", nameof(destination));
        }

        destination[0] = (byte)header.Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(1), header.Version);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(3), header.Epoch);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(5), (ushort)(header.Sequence >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(7), (uint)header.Sequence);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(11), (ushort)header.PayloadLength);
        return DtlsRecordHeader.Length;
    }
}
