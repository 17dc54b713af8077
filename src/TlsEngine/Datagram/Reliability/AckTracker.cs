using System;
using System.Collections.Generic;

namespace TlsEngine.Datagram;

/// <summary>
/// The receiving side of DTLS 1.3 acknowledgements (RFC 9147 §7, §7.1): which handshake records of
/// the peer's current flight were processed or buffered, when an ACK is due, and the ACK body.
/// </summary>
/// <remarks>
/// An ACK becomes due in three ways: at once when a fragment arrives out of order or the caller
/// says so (the final flight or a post-handshake message is complete and must be acknowledged, the
/// peer resent a flight already acknowledged, records could not be deprotected yet); or a delay
/// after the first record of a flight, a quarter of the retransmission timer as RFC 9147 §7.1
/// suggests, so a flight that stalls halfway is reported. Flights answered by a flight of this
/// side's are acknowledged implicitly: <see cref="Cancel"/> then.
/// </remarks>
internal sealed class AckTracker
{
    /// <summary>More records than a handshake flight spans, and what a 1 KB ACK body holds.</summary>
    public const int DefaultCapacity = 64;

    private readonly TimeProvider _time;
    private readonly int _capacity;

    // In arrival order; Sent marks records named in an ACK already.
    private readonly List<(RecordNumber Record, bool Sent)> _records = new();

    public AckTracker(TimeProvider time, int capacity = DefaultCapacity)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        if (capacity is < 1 or > AckCodec.MaxEntries)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }

        _capacity = capacity;
    }

    /// <summary>When an ACK should be sent; null when none is due.</summary>
    public DateTimeOffset? AckDue { get; private set; }

    public bool IsDue => AckDue is DateTimeOffset due && _time.GetUtcNow() >= due;

    /// <summary>Records remembered for the next ACK.</summary>
    public int Count => _records.Count;

    /// <summary>
    /// A handshake record was deprotected and its fragments given to the reassembler with this
    /// outcome. It is remembered unless a fragment in it was dropped (RFC 9147 §7: never acknowledge
    /// what was not processed or buffered); an out-of-order fragment makes the ACK due at once
    /// (RFC 9147 §7.1), otherwise it is due <paramref name="delay"/> after the flight's first record.
    /// </summary>
    public void OnHandshakeRecord(RecordNumber record, FragmentOutcome outcome, TimeSpan delay)
    {
        if (outcome.CanAcknowledge())
        {
            Remember(record);
        }

        if ((outcome & FragmentOutcome.OutOfOrder) != 0)
        {
            AckNow();
        }
        else if (AckDue == null)
        {
            AckDue = _time.GetUtcNow() + delay;
        }
    }

    /// <summary>Makes an ACK due at once, possibly an empty one (RFC 9147 §7.1).</summary>
    public void AckNow() => AckDue = _time.GetUtcNow();

    /// <summary>No ACK is due: the flight will be acknowledged by this side's next flight (RFC 9147 §7.1).</summary>
    public void Cancel() => AckDue = null;

    /// <summary>The peer's next flight starts: forget the records of the last one (RFC 9147 §7) and any pending ACK.</summary>
    public void Clear()
    {
        _records.Clear();
        AckDue = null;
    }

    /// <summary>
    /// Writes the ACK body into <paramref name="destination"/>, naming as many remembered records of
    /// epochs up to <paramref name="sendingEpoch"/> as fit (an ACK may not name a record of a higher
    /// epoch than its own, RFC 9147 §7). When not all fit, records not acknowledged before come
    /// first, most recent first (RFC 9147 §7.1); the list goes on the wire in increasing order.
    /// The ACK is no longer due afterwards; the records stay for a repeated ACK.
    /// </summary>
    public int WriteAck(Span<byte> destination, ulong sendingEpoch)
    {
        int room = Math.Min(AckCodec.EntriesThatFit(destination.Length), _records.Count);
        if (destination.Length < AckCodec.EncodedLength(0))
        {
            throw new ArgumentException("The destination cannot hold an ACK.", nameof(destination));
        }

        Span<RecordNumber> chosen = room <= 128 ? stackalloc RecordNumber[room] : new RecordNumber[room];
        int count = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            bool sentBefore = pass == 1;
            for (int i = _records.Count - 1; i >= 0 && count < room; i--)
            {
                (RecordNumber record, bool sent) = _records[i];
                if (sent == sentBefore && record.Epoch <= sendingEpoch)
                {
                    chosen[count++] = record;
                }
            }
        }

        chosen = chosen.Slice(0, count);
        for (int i = 0; i < _records.Count; i++)
        {
            if (chosen.IndexOf(_records[i].Record) >= 0)
            {
                _records[i] = (_records[i].Record, true);
            }
        }

        Sort(chosen);
        AckDue = null;
        return AckCodec.Write(chosen, destination);
    }

    private void Remember(RecordNumber record)
    {
        foreach ((RecordNumber known, _) in _records)
        {
            if (known == record)
            {
                return;
            }
        }

        if (_records.Count == _capacity)
        {
            _records.RemoveAt(0);
        }

        _records.Add((record, false));
    }

    // Insertion sort: at most a few dozen entries, and no allocation.
    private static void Sort(Span<RecordNumber> records)
    {
        for (int i = 1; i < records.Length; i++)
        {
            RecordNumber value = records[i];
            int j = i - 1;
            while (j >= 0 && records[j].CompareTo(value) > 0)
            {
                records[j + 1] = records[j];
                j--;
            }

            records[j + 1] = value;
        }
    }
}
