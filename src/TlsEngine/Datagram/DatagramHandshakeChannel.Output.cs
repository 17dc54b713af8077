using System;
using System.Collections.Generic;
using TlsEngine.Handshake;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

internal sealed partial class DatagramHandshakeChannel
{
    // The overhead of the costliest record either version writes: a DTLS 1.2 AES-GCM record
    // (13-byte header, 8-byte explicit nonce, 16-byte tag).
    private const int WorstRecordOverhead = DtlsRecordHeader.Length + 8 + DtlsRecordProtection.TagLength;

    private readonly Queue<byte[]> _outgoing = new();
    private readonly List<FlightPiece> _pieces = new();
    private readonly byte[] _scratch;
    private bool _retransmitNow;

    /// <summary>Datagrams written and not yet taken by the host.</summary>
    public int PendingDatagrams => _outgoing.Count;

    /// <summary>The earliest of the flight's retransmission deadline and the time an ACK is due.</summary>
    public DateTimeOffset? NextTimeout
    {
        get
        {
            DateTimeOffset? flight = _flight.NextTimeout;
            DateTimeOffset? ack = _version == TlsVersion.Tls13 ? _acks.AckDue : null;
            return flight == null ? ack : ack == null || flight < ack ? flight : ack;
        }
    }

    /// <summary>The longest application message one record carries in one datagram now (the worst case before keys exist).</summary>
    public int MaxMessageSize
    {
        get
        {
            int overhead = HandshakeComplete ? _records.Overhead(_writeEpoch) : WorstRecordOverhead;
            return Math.Min(_maxContent, Math.Min(DtlsRecordLayer.MaxContentLength, _mtu - overhead));
        }
    }

    private TimeSpan AckDelay => TimeSpan.FromTicks(_flight.Timer.Current.Ticks / 4);

    public bool TryTakeDatagram(out byte[] datagram)
    {
        if (_outgoing.Count == 0)
        {
            datagram = Array.Empty<byte>();
            return false;
        }

        datagram = _outgoing.Dequeue();
        return true;
    }

    public byte[]? PeekDatagram() => _outgoing.Count > 0 ? _outgoing.Peek() : null;

    /// <summary>
    /// After an inbound step: writes the new flight (arming its timer unless it is a final DTLS 1.2
    /// flight or a stateless HelloRetryRequest/HelloVerifyRequest, which are only resent when the
    /// peer resends), what an ACK or the peer's retransmission asked to resend, and a due ACK.
    /// </summary>
    public void Flush()
    {
        if (_flightUnsent)
        {
            _flightUnsent = false;
            _retransmitNow = false;
            WritePending();
            bool finalTls12 = _version == TlsVersion.Tls12 && HandshakeComplete;
            _flight.Transmitted(expectAnswer: !finalTls12 && !_flightStateless);
        }
        else if (_retransmitNow)
        {
            _retransmitNow = false;
            Retransmissions++;
            WritePending();
        }

        WriteAckIfDue();
    }

    /// <summary>
    /// The host's timer fired: resends the flight when its deadline passed (RFC 9147 §5.8.2) and
    /// writes an ACK that became due. Past the retransmission bound this throws
    /// <see cref="TlsFailureReason.HandshakeTimedOut"/>.
    /// </summary>
    public void HandleTimeout()
    {
        if (RetransmitOnTimer())
        {
            Retransmissions++;
            WritePending();
        }

        WriteAckIfDue();
    }

    /// <summary>One application message as one record in one datagram, under the current write keys.</summary>
    public void SendApplicationData(ReadOnlySpan<byte> message) => WriteSingleRecord(ContentType.ApplicationData, message);

    /// <summary>An alert record in the current write epoch (level 1 for close_notify, 2 otherwise).</summary>
    public void SendAlert(TlsAlertDescription description)
    {
        Span<byte> body = stackalloc byte[2];
        body[0] = description == TlsAlertDescription.CloseNotify ? (byte)1 : (byte)2;
        body[1] = (byte)description;
        WriteSingleRecord(ContentType.Alert, body);
    }

    private void WriteSingleRecord(ContentType type, ReadOnlySpan<byte> content)
    {
        CheckWriteUsage(_writeEpoch);
        byte[] datagram = new byte[_records.SealedLength(_writeEpoch, content.Length)];
        _records.WriteRecord(_writeEpoch, type, content, datagram);
        _outgoing.Enqueue(datagram);
    }

    private void WriteAckIfDue()
    {
        if (_version != TlsVersion.Tls13 || !_acks.IsDue)
        {
            return;
        }

        int room = Math.Min(_mtu - _records.Overhead(_writeEpoch), AckCodec.EncodedLength(AckTracker.DefaultCapacity));
        // RFC 9147 §7: during the handshake an ACK names no record of a higher epoch than its own; after
        // it the two directions' epochs move independently (KeyUpdate), and every ACK is protected.
        int length = _acks.WriteAck(_scratch.AsSpan(0, room), HandshakeComplete ? ulong.MaxValue : _writeEpoch);
        WriteSingleRecord(DtlsRecordHeader.Ack, _scratch.AsSpan(0, length));
    }

    /// <summary>
    /// Writes every unacknowledged piece of the flight into records in new datagrams of at most the
    /// MTU: a handshake message is cut into fragments so that each record fits the room left in the
    /// datagram (RFC 9147 §4.4, RFC 6347 §4.1.1); each record is reported to the flight for ACKs.
    /// </summary>
    private void WritePending()
    {
        _flight.GetPending(_pieces);
        byte[] datagram = new byte[_mtu];
        int used = 0;
        foreach (FlightPiece piece in _pieces)
        {
            FlightPiece rest = piece;
            while (true)
            {
                FlightMessage message = _flight.Messages[rest.Message];
                int overhead = _records.Overhead(message.Epoch);
                int room = Math.Min(_mtu - used - overhead, _maxContent);
                int needed = message.IsHandshake ? HandshakeFragmenter.MinFragmentSize : message.Length;
                if (room < needed)
                {
                    if (used == 0)
                    {
                        throw TlsFailureException.Internal("The MTU cannot hold a record.");
                    }

                    Emit(datagram, used);
                    datagram = new byte[_mtu];
                    used = 0;
                    continue;
                }

                Span<byte> content = _scratch.AsSpan(0, room);
                int length = _flight.WritePiece(rest, content, out FlightPiece written, out FlightPiece next);
                CheckWriteUsage(message.Epoch);
                ulong sequence = _records.NextWriteSequence(message.Epoch);
                used += _records.WriteRecord(message.Epoch, message.Type, content.Slice(0, length), datagram.AsSpan(used));
                _flight.RecordSent(new RecordNumber(message.Epoch, sequence), written);
                if (next.Length == 0)
                {
                    break;
                }

                rest = next;
            }
        }

        if (used > 0)
        {
            Emit(datagram, used);
        }
    }

    private void Emit(byte[] datagram, int used)
    {
        byte[] exact = new byte[used];
        datagram.AsSpan(0, used).CopyTo(exact);
        _outgoing.Enqueue(exact);
    }
}
