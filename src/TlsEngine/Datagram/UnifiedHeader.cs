using System;
using System.Buffers.Binary;

namespace TlsEngine.Datagram;

/// <summary>
/// A parsed DTLS 1.3 unified header (RFC 9147 §4): the first byte 001CSLEE, then the connection id
/// when C is set, 8 or 16 bits of the (encrypted) sequence number as S says, and a 16-bit length
/// when L is set (otherwise the record runs to the end of the datagram). Offsets are relative to the
/// record's first byte.
/// </summary>
internal readonly struct UnifiedHeader
{
    public UnifiedHeader(byte firstByte, int connectionIdLength, int payloadLength)
    {
        FirstByte = firstByte;
        ConnectionIdLength = HasConnectionId(firstByte) ? connectionIdLength : 0;
        PayloadLength = payloadLength;
    }

    public byte FirstByte { get; }

    public bool HasLength => (FirstByte & UnifiedHeaderCodec.LengthBit) != 0;

    public bool LongSequence => (FirstByte & UnifiedHeaderCodec.SequenceBit) != 0;

    /// <summary>The two low-order bits of the epoch (RFC 9147 §4).</summary>
    public int EpochLowBits => FirstByte & UnifiedHeaderCodec.EpochBitsMask;

    public int ConnectionIdOffset => 1;

    public int ConnectionIdLength { get; }

    public int SequenceOffset => 1 + ConnectionIdLength;

    public int SequenceLength => LongSequence ? 2 : 1;

    /// <summary>How many low bits of the sequence number the header carries: 8 or 16.</summary>
    public int SequenceBits => SequenceLength * 8;

    public int HeaderLength => SequenceOffset + SequenceLength + (HasLength ? 2 : 0);

    /// <summary>The encrypted record (content, type, padding, tag) after the header.</summary>
    public int PayloadLength { get; }

    /// <summary>Header and payload: where the next record in the datagram starts.</summary>
    public int RecordLength => HeaderLength + PayloadLength;

    /// <summary>The sequence number bits as they stand in <paramref name="record"/> (encrypted until unmasked).</summary>
    public ushort ReadSequenceBits(ReadOnlySpan<byte> record) => LongSequence
        ? BinaryPrimitives.ReadUInt16BigEndian(record.Slice(SequenceOffset))
        : record[SequenceOffset];

    private static bool HasConnectionId(byte firstByte) => (firstByte & UnifiedHeaderCodec.ConnectionIdBit) != 0;
}

/// <summary>Reads and writes the DTLS 1.3 unified header (RFC 9147 §4) without throwing on peer bytes.</summary>
internal static class UnifiedHeaderCodec
{
    public const byte FixedBitsMask = 0xE0;
    public const byte FixedBits = 0x20;
    public const byte ConnectionIdBit = 0x10;
    public const byte SequenceBit = 0x08;
    public const byte LengthBit = 0x04;
    public const byte EpochBitsMask = 0x03;

    /// <summary>RFC 9147 §4: a DTLSCiphertext's length MUST NOT exceed 2^14 + 256.</summary>
    public const int MaxPayload = (1 << 14) + 256;

    /// <summary>RFC 9147 §4.1: a first byte of 001xxxxx marks a DTLSCiphertext.</summary>
    public static bool IsUnifiedHeader(byte firstByte) => (firstByte & FixedBitsMask) == FixedBits;

    /// <summary>Whether an epoch's two low bits are the ones a header carries (RFC 9147 §4.2.2).</summary>
    public static bool EpochMatches(ulong epoch, int epochLowBits) => (int)(epoch & EpochBitsMask) == epochLowBits;

    /// <summary>
    /// Parses the record starting at <paramref name="datagram"/>[0]. <paramref name="connectionIdLength"/>
    /// is the length of the connection id this endpoint asked the peer to use (0 when none: a record
    /// with the C bit is then dropped, RFC 9147 §9).
    /// </summary>
    public static RecordDrop TryRead(ReadOnlySpan<byte> datagram, int connectionIdLength, out UnifiedHeader header)
    {
        header = default;
        if (datagram.IsEmpty)
        {
            return RecordDrop.Truncated;
        }

        byte first = datagram[0];
        if (!IsUnifiedHeader(first))
        {
            return RecordDrop.UnknownFirstByte;
        }

        bool hasConnectionId = (first & ConnectionIdBit) != 0;
        if (hasConnectionId && connectionIdLength == 0)
        {
            return RecordDrop.UnexpectedConnectionId;
        }

        var shape = new UnifiedHeader(first, connectionIdLength, 0);
        if (datagram.Length < shape.HeaderLength)
        {
            return RecordDrop.Truncated;
        }

        int payload;
        if (shape.HasLength)
        {
            payload = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(shape.HeaderLength - 2));
            if (payload > MaxPayload)
            {
                return RecordDrop.RecordTooLong;
            }

            if (datagram.Length - shape.HeaderLength < payload)
            {
                return RecordDrop.Truncated;
            }
        }
        else
        {
            payload = datagram.Length - shape.HeaderLength;
            if (payload > MaxPayload)
            {
                return RecordDrop.RecordTooLong;
            }
        }

        header = new UnifiedHeader(first, connectionIdLength, payload);
        return RecordDrop.None;
    }

    /// <summary>The header length for a shape, so a sender can place the payload before writing the header.</summary>
    public static int HeaderLength(int connectionIdLength, bool longSequence, bool withLength) =>
        1 + connectionIdLength + (longSequence ? 2 : 1) + (withLength ? 2 : 0);

    /// <summary>
    /// Writes a header with the sequence number's low bits in the clear (record number encryption
    /// comes after sealing, over the ciphertext); returns its length. A null
    /// <paramref name="payloadLength"/> omits the length field: the record must end the datagram.
    /// </summary>
    public static int Write(Span<byte> destination, ulong epoch, ReadOnlySpan<byte> connectionId, ulong sequence, bool longSequence, int? payloadLength)
    {
        if (payloadLength is < 0 or > MaxPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength));
        }

        int length = HeaderLength(connectionId.Length, longSequence, payloadLength.HasValue);
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is shorter than the header.", nameof(destination));
        }

        byte first = (byte)(FixedBits | (int)(epoch & EpochBitsMask));
        first |= connectionId.IsEmpty ? (byte)0 : ConnectionIdBit;
        first |= longSequence ? SequenceBit : (byte)0;
        first |= payloadLength.HasValue ? LengthBit : (byte)0;
        destination[0] = first;
        connectionId.CopyTo(destination.Slice(1));
        int offset = 1 + connectionId.Length;
        if (longSequence)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset), (ushort)sequence);
            offset += 2;
        }
        else
        {
            destination[offset++] = (byte)sequence;
        }

        if (payloadLength.HasValue)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset), (ushort)payloadLength.Value);
        }

        return length;
    }
}
