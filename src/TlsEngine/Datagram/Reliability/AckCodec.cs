using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace TlsEngine.Datagram;

/// <summary>
/// The body of an ACK record (RFC 9147 §7): <c>RecordNumber record_numbers&lt;0..2^16-1&gt;</c>,
/// a 2-byte length and then 16 bytes per record number.
/// </summary>
internal static class AckCodec
{
    public const int EntryLength = 16;

    /// <summary>The most entries a 16-bit length prefix can hold.</summary>
    public const int MaxEntries = ushort.MaxValue / EntryLength;

    /// <summary>The bytes an ACK naming <paramref name="count"/> records takes.</summary>
    public static int EncodedLength(int count) => 2 + (count * EntryLength);

    /// <summary>How many entries fit in an ACK body of at most <paramref name="room"/> bytes.</summary>
    public static int EntriesThatFit(int room) => Math.Min(MaxEntries, Math.Max(0, (room - 2) / EntryLength));

    /// <summary>Writes the ACK body; the record numbers are written in the order given.</summary>
    public static int Write(ReadOnlySpan<RecordNumber> records, Span<byte> destination)
    {
        if (records.Length > MaxEntries)
        {
            throw new ArgumentException("Too many record numbers for one ACK.", nameof(records));
        }

        int length = EncodedLength(records.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too short for the ACK.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(records.Length * EntryLength));
        for (int i = 0; i < records.Length; i++)
        {
            Span<byte> entry = destination.Slice(2 + (i * EntryLength), EntryLength);
            BinaryPrimitives.WriteUInt64BigEndian(entry, records[i].Epoch);
            BinaryPrimitives.WriteUInt64BigEndian(entry.Slice(8), records[i].Sequence);
        }

        return length;
    }

    /// <summary>
    /// Reads an ACK body into <paramref name="records"/> (cleared first). Refused with
    /// <see cref="TlsFailureReason.MalformedAck"/>: a body shorter than its length prefix or longer,
    /// a list length that is not a multiple of 16, more than <paramref name="maxEntries"/> entries,
    /// or a sequence number no record can have (48 bits, RFC 9147 §4). The order is not checked:
    /// RFC 9147 §7 asks senders for increasing order, and nothing here depends on it.
    /// </summary>
    public static void Read(ReadOnlySpan<byte> body, List<RecordNumber> records, int maxEntries = MaxEntries)
    {
        records.Clear();
        if (body.Length < 2)
        {
            throw Malformed("An ACK is shorter than its length field.");
        }

        int listLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (listLength != body.Length - 2)
        {
            throw Malformed("An ACK's length field does not match the record.");
        }

        if (listLength % EntryLength != 0)
        {
            throw Malformed("An ACK's length is not a whole number of record numbers.");
        }

        int count = listLength / EntryLength;
        if (count > maxEntries)
        {
            throw Malformed($"An ACK names {count} records; at most {maxEntries} are accepted.");
        }

        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = body.Slice(2 + (i * EntryLength), EntryLength);
            ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(entry.Slice(8));
            if (sequence > ReplayWindow.MaxSequence)
            {
                throw Malformed("An ACK names a sequence number beyond 48 bits.");
            }

            records.Add(new RecordNumber(BinaryPrimitives.ReadUInt64BigEndian(entry), sequence));
        }
    }

    private static TlsFailureException Malformed(string message) => new(TlsFailureReason.MalformedAck, message);
}
