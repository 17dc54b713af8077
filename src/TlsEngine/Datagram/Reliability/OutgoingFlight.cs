using System;
using System.Collections.Generic;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>What an ACK did to the outstanding flight.</summary>
internal enum AckEffect
{
    /// <summary>Nothing to do: no news, or the flight was already acknowledged.</summary>
    None,

    /// <summary>Part of the flight is still unacknowledged: send <see cref="OutgoingFlight.GetPending"/> now (RFC 9147 §5.8.1, §7.2).</summary>
    Retransmit,

    /// <summary>Every message of the flight is acknowledged: retransmissions are over (RFC 9147 §7.2).</summary>
    FlightAcknowledged,
}

/// <summary>
/// The last flight this side sent and its retransmission (RFC 9147 §5.8, RFC 6347 §4.2.4): the
/// messages as the caller gave them, which record carried which piece of them, which pieces the
/// peer acknowledged, and the timer. It never writes records itself: when it says "retransmit",
/// the caller writes <see cref="GetPending"/> into new records (a retransmission is a new record
/// with a new sequence number, RFC 9147 §5.2) and reports each with <see cref="RecordSent"/>.
/// </summary>
/// <remarks>
/// Retransmissions the peer provokes (an ACK that brings no news, a message it sent again) are
/// granted once after each transmission driven by this side, and otherwise only when a whole timer
/// value has passed since the flight was last written, so a burst of duplicated or forged records
/// cannot make this side send its flight again and again. An ACK that acknowledges something new
/// is always answered, which is bounded because each one must shrink what is unacknowledged.
/// </remarks>
internal sealed class OutgoingFlight
{
    private readonly List<FlightMessage> _messages = new();
    private readonly Dictionary<RecordNumber, List<FlightPiece>> _records = new();
    private bool _provokedAllowed;
    private bool _expectAnswer;
    private bool _answered;

    public OutgoingFlight(RetransmitTimer timer)
    {
        Timer = timer ?? throw new ArgumentNullException(nameof(timer));
    }

    public OutgoingFlight(TimeProvider time)
        : this(new RetransmitTimer(time))
    {
    }

    public RetransmitTimer Timer { get; }

    /// <summary>When <see cref="HandleTimeout"/> is due; null while nothing is outstanding.</summary>
    public DateTimeOffset? NextTimeout => Timer.Deadline;

    public IReadOnlyList<FlightMessage> Messages => _messages;

    /// <summary>Nothing of the flight waits: it is empty, acknowledged whole, or answered by the peer's next flight.</summary>
    public bool IsSettled => _messages.Count == 0 || _answered || IsAcknowledged;

    /// <summary>True when the flight has messages and the peer acknowledged every one.</summary>
    public bool IsAcknowledged
    {
        get
        {
            foreach (FlightMessage message in _messages)
            {
                if (!message.IsAcknowledged)
                {
                    return false;
                }
            }

            return _messages.Count > 0;
        }
    }

    /// <summary>
    /// Starts the next flight, forgetting the last one: sending it means the peer's flight arrived,
    /// which acknowledged the last one implicitly (RFC 9147 §7).
    /// </summary>
    public void Begin()
    {
        _messages.Clear();
        _records.Clear();
        _provokedAllowed = false;
        _expectAnswer = false;
        _answered = false;
        Timer.BeginFlight();
    }

    /// <summary>Adds a handshake message in TLS form (4-byte header and body) with its message_seq; returns its index.</summary>
    public int AddHandshake(ulong epoch, ushort messageSeq, byte[] message)
    {
        _messages.Add(new FlightMessage(epoch, ContentType.Handshake, messageSeq, message));
        return _messages.Count - 1;
    }

    /// <summary>Adds a record that is resent whole, such as DTLS 1.2's change_cipher_spec; returns its index.</summary>
    public int AddRecord(ulong epoch, ContentType type, byte[] payload)
    {
        if (type == ContentType.Handshake)
        {
            throw new ArgumentException("Handshake messages go through AddHandshake.", nameof(type));
        }

        _messages.Add(new FlightMessage(epoch, type, 0, payload));
        return _messages.Count - 1;
    }

    /// <summary>
    /// The caller wrote record <paramref name="record"/> carrying <paramref name="piece"/> (call once per
    /// fragment in the record). An ACK naming the record then acknowledges the piece (RFC 9147 §7.2).
    /// </summary>
    public void RecordSent(RecordNumber record, FlightPiece piece)
    {
        if ((uint)piece.Message >= (uint)_messages.Count || piece.Offset < 0 || piece.Length < 0 || piece.End > _messages[piece.Message].Length)
        {
            throw new ArgumentOutOfRangeException(nameof(piece), "The piece lies outside the flight.");
        }

        if (!_records.TryGetValue(record, out List<FlightPiece>? pieces))
        {
            pieces = new List<FlightPiece>(2);
            _records.Add(record, pieces);
        }

        pieces.Add(piece);
    }

    /// <summary>
    /// The whole flight was just written for the first time. A flight that expects an answer arms the
    /// timer; a final flight (DTLS 1.2's last flight, which nothing acknowledges) does not, and is only
    /// resent when the peer resends its own (RFC 6347 §4.2.4).
    /// </summary>
    public void Transmitted(bool expectAnswer = true)
    {
        _expectAnswer = expectAnswer;
        _provokedAllowed = true;
        if (expectAnswer && !IsAcknowledged)
        {
            Timer.Arm();
        }
        else
        {
            Timer.MarkTransmission();
        }
    }

    /// <summary>
    /// Call when <see cref="NextTimeout"/> has passed. True: resend <see cref="GetPending"/> now; the
    /// timer has doubled and is re-armed. Past the retransmission bound this throws
    /// <see cref="TlsFailureReason.HandshakeTimedOut"/>.
    /// </summary>
    public bool HandleTimeout()
    {
        if (!Timer.IsExpired)
        {
            return false;
        }

        Timer.BackOff();
        _provokedAllowed = true;
        return true;
    }

    /// <summary>
    /// Applies the record numbers of an ACK that arrived in <paramref name="ackEpoch"/> (RFC 9147 §7.2);
    /// numbers of records not in this flight are ignored, and so are records of an epoch above the
    /// ACK's own: RFC 9147 §7 has ACKs sent in an epoch at least that of what they acknowledge, so an
    /// epoch-0 ACK, which anyone on the path can forge, cannot end the retransmission of a protected flight.
    /// </summary>
    public AckEffect OnAck(ReadOnlySpan<RecordNumber> records, ulong ackEpoch)
    {
        if (_messages.Count == 0 || _answered || IsAcknowledged)
        {
            return AckEffect.None;
        }

        bool news = false;
        foreach (RecordNumber record in records)
        {
            if (record.Epoch <= ackEpoch && _records.TryGetValue(record, out List<FlightPiece>? pieces))
            {
                foreach (FlightPiece piece in pieces)
                {
                    news |= _messages[piece.Message].Acknowledge(piece.Offset, piece.End);
                }
            }
        }

        if (IsAcknowledged)
        {
            Timer.Stop();
            return AckEffect.FlightAcknowledged;
        }

        // RFC 9147 §7.1: an empty ACK, too, says the peer is missing part of the flight.
        return news || ConsumeProvoked() ? Rearmed(AckEffect.Retransmit, news) : AckEffect.None;
    }

    /// <summary>
    /// The peer sent again a message this side already processed, so it likely missed this flight:
    /// true means resend <see cref="GetPending"/> now (RFC 9147 §5.8.1, RFC 6347 §4.2.4). Granted once
    /// per timer period.
    /// </summary>
    public bool OnPeerRetransmission()
    {
        if (_messages.Count == 0 || _answered || IsAcknowledged || !ConsumeProvoked())
        {
            return false;
        }

        Rearmed(AckEffect.Retransmit, progress: false);
        return true;
    }

    /// <summary>
    /// The peer's next flight began arriving, which acknowledges this one implicitly: stop
    /// retransmitting it, on timer or when provoked (RFC 9147 §7, RFC 6347 §4.2.4).
    /// </summary>
    public void Complete()
    {
        _answered = true;
        Timer.Stop();
    }

    /// <summary>The unacknowledged pieces, in flight order, into <paramref name="pieces"/> (cleared first).</summary>
    public void GetPending(List<FlightPiece> pieces)
    {
        pieces.Clear();
        for (int i = 0; i < _messages.Count; i++)
        {
            _messages[i].AddPending(i, pieces);
        }
    }

    /// <summary>
    /// Writes as much of <paramref name="piece"/> as fits into <paramref name="destination"/>: a handshake
    /// fragment with its 12-byte header, or another record's payload whole. Returns the bytes written;
    /// <paramref name="written"/> is the part sent (report it with <see cref="RecordSent"/>) and
    /// <paramref name="rest"/> what remains of the piece (zero length when done).
    /// </summary>
    public int WritePiece(FlightPiece piece, Span<byte> destination, out FlightPiece written, out FlightPiece rest)
    {
        FlightMessage message = _messages[piece.Message];
        if (!message.IsHandshake)
        {
            message.Data.AsSpan().CopyTo(destination);
            written = new FlightPiece(piece.Message, 0, message.Length);
            rest = new FlightPiece(piece.Message, message.Length, 0);
            return message.Length;
        }

        int count = HandshakeFragmenter.WriteFragment(message.Data, message.MessageSeq, piece.Offset, destination, out int next, Math.Max(1, piece.Length));
        written = new FlightPiece(piece.Message, piece.Offset, next - piece.Offset);
        rest = new FlightPiece(piece.Message, next, piece.End - next);
        return count;
    }

    private bool ConsumeProvoked()
    {
        bool allowed = _provokedAllowed || (Timer.LastTransmission is DateTimeOffset last && Timer.Now - last >= Timer.Current);
        _provokedAllowed = false;
        return allowed;
    }

    // Only an ACK with news shows the peer is there: a provoked retransmission leaves the deadline where it
    // is, or forged or replayed records could keep the flight going past MaxRetransmissions (RFC 9147 §5.8.2).
    private AckEffect Rearmed(AckEffect effect, bool progress)
    {
        if (_expectAnswer && (progress || Timer.Deadline == null))
        {
            Timer.Arm();
        }
        else
        {
            Timer.MarkTransmission();
        }

        return effect;
    }
}
