using System;
using System.Collections.Generic;
using TlsEngine.Handshake;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

internal sealed partial class DatagramHandshakeChannel
{
    /// <summary>Application messages held for the host at most; more are dropped until it takes some.</summary>
    public const int MaxReceivedMessages = 256;

    // Records of an epoch whose keys were not there yet (reordered across a key change), retried once keys change.
    private const int MaxHeldRecords = 8;

    private readonly Queue<byte[]> _received = new();
    private readonly List<RecordNumber> _ackNumbers = new();
    private readonly List<byte[]> _held = new();
    private readonly Queue<byte[]> _retry = new();

    /// <summary>The peer's close_notify arrived under its keys.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>Application messages received and not yet taken.</summary>
    public int ReceivedMessages => _received.Count;

    public bool TryTakeApplicationMessage(out byte[] message)
    {
        if (_received.Count == 0)
        {
            message = Array.Empty<byte>();
            return false;
        }

        message = _received.Dequeue();
        return true;
    }

    public byte[]? PeekApplicationMessage() => _received.Count > 0 ? _received.Peek() : null;

    /// <summary>
    /// Reads the record at <paramref name="offset"/> of a received datagram (decrypting it in place) and
    /// moves past it. Invalid or unexpected records are dropped and counted (RFC 9147 §4.5.2); only an
    /// authenticated record can end the connection (a fatal alert, a malformed protected message).
    /// </summary>
    public void ReadRecord(Span<byte> datagram, ref int offset)
    {
        int start = offset;
        RecordDrop drop = _records.TryReadRecord(datagram, ref offset, out DtlsRecord record);
        if (drop == RecordDrop.UnknownEpoch)
        {
            Hold(datagram.Slice(start, offset - start));
        }
        else if (drop == RecordDrop.AuthenticationFailed)
        {
            CheckIntegrity();
        }

        if (drop != RecordDrop.None)
        {
            return;
        }

        Span<byte> content = record.Content(datagram);
        switch (record.Type)
        {
            case ContentType.Handshake:
                OnHandshakeRecord(record, content);
                break;
            case ContentType.Alert:
                OnAlert(record, content);
                break;
            case DtlsRecordHeader.Ack:
                OnAck(record, content);
                break;
            case ContentType.ChangeCipherSpec:
                OnChangeCipherSpec(record, content);
                break;
            case ContentType.ApplicationData:
                OnApplicationData(record, content);
                break;
            default:
                Drop(RecordDrop.NotAllowedInEpoch);
                break;
        }
    }

    /// <summary>A record held for keys that have arrived since: read it now (false when none is waiting).</summary>
    public bool ReadHeldRecord()
    {
        if (_retry.Count == 0)
        {
            return false;
        }

        byte[] record = _retry.Dequeue();
        int offset = 0;
        ReadRecord(record, ref offset);
        return true;
    }

    private void Hold(ReadOnlySpan<byte> record)
    {
        if (!HandshakeComplete && _held.Count < MaxHeldRecords && record.Length > 0)
        {
            _held.Add(record.ToArray());
        }
    }

    private void RetryHeldRecords()
    {
        foreach (byte[] record in _held)
        {
            _retry.Enqueue(record);
        }

        _held.Clear();
    }

    private void OnHandshakeRecord(in DtlsRecord record, ReadOnlySpan<byte> content)
    {
        if (!record.IsProtected && ((_readEpoch != 0 && !OnlyOldMessages(content)) || HasNewFinished(content)))
        {
            // RFC 9147 §4.5.2: once the peer writes under keys, every new message of its comes protected; a
            // plaintext one is a forgery. Only a retransmission of an earlier flight may still come in epoch 0.
            Drop(RecordDrop.Unauthenticated);
            return;
        }

        ExpectFirstClientHello(content);
        FragmentOutcome outcome;
        try
        {
            outcome = _reassembler.Add(record.Epoch, content);
        }
        catch (TlsFailureException) when (!record.IsProtected)
        {
            // Nothing authenticates a plaintext record: a forged one must not end the handshake.
            Drop(RecordDrop.Malformed);
            return;
        }

        // A server does not acknowledge plaintext ClientHello records: it may have answered with a
        // stateless HelloRetryRequest (RFC 9147 §5.1), and an ACK would end the client's retransmissions
        // of a flight that only the next ClientHello can complete, so a lost retry would leave both
        // sides waiting. Its ServerHello acknowledges the ClientHello implicitly (RFC 9147 §7.1).
        if (_version != TlsVersion.Tls12 && !(_isServer && record.Epoch == 0))
        {
            _acks.OnHandshakeRecord(new RecordNumber(record.Epoch, record.Sequence), outcome, AckDelay);
        }

        if (outcome.SuggestsPeerRetransmission())
        {
            // The peer resent what this side already has: it missed our flight (RFC 9147 §5.8.1,
            // RFC 6347 §4.2.4), or, once ours was answered, our ACK (RFC 9147 §7.1). After the handshake
            // the peer's messages are answered by ACKs only, never by one of our flights.
            if (_version == TlsVersion.Tls13 && HandshakeComplete)
            {
                _acks.AckNow();
            }
            else if (_flight.OnPeerRetransmission())
            {
                _retransmitNow = true;
            }
        }
    }

    /// <summary>True when every fragment in the record belongs to a message already handed over (a retransmission).</summary>
    private bool OnlyOldMessages(ReadOnlySpan<byte> content)
    {
        while (!content.IsEmpty)
        {
            if (!DtlsHandshakeHeader.TryRead(content, out DtlsHandshakeHeader header) || header.MessageSeq >= _reassembler.NextMessageSeq
                || content.Length - DtlsHandshakeHeader.Length < header.FragmentLength)
            {
                return false;
            }

            content = content.Slice(DtlsHandshakeHeader.Length + header.FragmentLength);
        }

        return true;
    }

    /// <summary>A Finished is always protected (RFC 9147 §5, RFC 6347 §4.1 after the change_cipher_spec): one in plaintext is forged.</summary>
    private bool HasNewFinished(ReadOnlySpan<byte> content)
    {
        while (DtlsHandshakeHeader.TryRead(content, out DtlsHandshakeHeader header) && content.Length - DtlsHandshakeHeader.Length >= header.FragmentLength)
        {
            if (header.MsgType == Messages.HandshakeType.Finished && header.MessageSeq >= _reassembler.NextMessageSeq)
            {
                return true;
            }

            content = content.Slice(DtlsHandshakeHeader.Length + header.FragmentLength);
        }

        return false;
    }

    /// <summary>
    /// A server that has received nothing yet takes the first ClientHello's message_seq as its start:
    /// after a stateless HelloRetryRequest, the second ClientHello (message_seq 1) reaches a connection
    /// that never saw the first, and its ServerHello carries the same number (RFC 9147 §5.2).
    /// </summary>
    private void ExpectFirstClientHello(ReadOnlySpan<byte> content)
    {
        if (!_isServer || _messageReceived || _reassembler.NextMessageSeq != 0 || _reassembler.HasBufferedFragments
            || !DtlsHandshakeHeader.TryRead(content, out DtlsHandshakeHeader header)
            || header.MsgType != Messages.HandshakeType.ClientHello || header.MessageSeq is 0 or > 1)
        {
            return;
        }

        _reassembler.ExpectFirst(header.MessageSeq);
        _nextSendSeq = header.MessageSeq;
    }

    private void OnAlert(in DtlsRecord record, ReadOnlySpan<byte> content)
    {
        if (!record.IsProtected && _readEpoch != 0)
        {
            // RFC 9147 §4.5.2: once keys are in use a plaintext alert is unauthenticated; drop it.
            Drop(RecordDrop.Unauthenticated);
            return;
        }

        if (content.Length != 2)
        {
            Drop(RecordDrop.Malformed);
            return;
        }

        var description = (TlsAlertDescription)content[1];
        if (description == TlsAlertDescription.CloseNotify)
        {
            if (!HandshakeComplete)
            {
                throw new TlsFailureException(TlsFailureReason.PeerClosedDuringHandshake, "The peer closed the connection during the handshake.");
            }

            PeerClosed = true;
            return;
        }

        // RFC 8446 §6: in (D)TLS 1.3 every other alert is fatal; in DTLS 1.2 a warning is ignored.
        if (content[0] == 2 || _version != TlsVersion.Tls12)
        {
            throw new TlsFailureException(TlsFailureReason.PeerAlert, $"The peer sent a fatal {description} alert.", description);
        }
    }

    private void OnAck(in DtlsRecord record, ReadOnlySpan<byte> content)
    {
        if (_version == TlsVersion.Tls12)
        {
            Drop(RecordDrop.NotAllowedInEpoch);
            return;
        }

        if (!record.IsProtected && _readEpoch != 0)
        {
            Drop(RecordDrop.Unauthenticated);
            return;
        }

        try
        {
            AckCodec.Read(content, _ackNumbers);
        }
        catch (TlsFailureException) when (!record.IsProtected)
        {
            Drop(RecordDrop.Malformed);
            return;
        }

        // An epoch-0 ACK is unauthenticated: it may ask for the flight again, like an empty ACK (RFC 9147 §7.1, at
        // most once per timer period), but must not acknowledge it, or a forged one would stop the timer for good.
        // An ACK protected under application keys is authenticated and may name records of any epoch:
        // after a KeyUpdate the two directions' epochs differ (RFC 9147 §8).
        RecordNumber[] acknowledged = record.IsProtected ? _ackNumbers.ToArray() : Array.Empty<RecordNumber>();
        ulong ackEpoch = record.Epoch >= TrafficEpoch.Application ? ulong.MaxValue : record.Epoch;
        switch (_flight.OnAck(acknowledged, ackEpoch))
        {
            case AckEffect.Retransmit:
                _retransmitNow = true;
                break;
            case AckEffect.FlightAcknowledged:
                OnFlightAcknowledged();
                break;
        }
    }

    private void OnChangeCipherSpec(in DtlsRecord record, ReadOnlySpan<byte> content)
    {
        // RFC 6347 §4.1: DTLS 1.2's change_cipher_spec is a plaintext record of the epoch it ends; DTLS 1.3 has none (RFC 9147 §5).
        if (_version != TlsVersion.Tls12)
        {
            Drop(RecordDrop.NotAllowedInEpoch);
            return;
        }

        if (content.Length != 1 || content[0] != 1)
        {
            Drop(RecordDrop.Malformed);
            return;
        }

        if (record.Epoch != _readEpoch)
        {
            // A retransmission from before the switch: the switch happened already.
            Drop(RecordDrop.NotAllowedInEpoch);
            return;
        }

        ChangeCipherSpecPending = true;
    }

    private void OnApplicationData(in DtlsRecord record, ReadOnlySpan<byte> content)
    {
        // RFC 8446 §6.1: data received after close_notify is ignored, even a record reordered past it.
        bool allowed = record.IsProtected && HandshakeComplete && !PeerClosed && _version switch
        {
            TlsVersion.Tls13 => record.Epoch >= TrafficEpoch.Application,
            TlsVersion.Tls12 => _tls12Application && record.Epoch == _readEpoch,
            _ => false,
        };
        if (!allowed)
        {
            Drop(RecordDrop.NotAllowedInEpoch);
            return;
        }

        // DTLS 1.2: application data under the epoch our final flight opened proves the peer has that flight
        // (RFC 6347 §4.2.4), so a replayed handshake message no longer makes us resend it.
        if (_version == TlsVersion.Tls12 && !_postHandshakeFlight)
        {
            _flight.Complete();
        }

        if (_received.Count >= MaxReceivedMessages)
        {
            Drop(RecordDrop.ReceiveQueueFull);
            return;
        }

        _received.Enqueue(content.ToArray());
    }

    private void Drop(RecordDrop reason) => _records.Drops.Count(reason);
}
