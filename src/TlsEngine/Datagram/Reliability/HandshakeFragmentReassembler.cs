using System;
using System.Collections.Generic;

namespace TlsEngine.Datagram;

/// <summary>
/// Receives DTLS handshake fragments in any order, duplicated or overlapping, and hands over whole
/// messages strictly in message_seq order (RFC 9147 §5.2, §5.5; RFC 6347 §4.2.2, §4.2.3).
/// </summary>
/// <remarks>
/// Messages below the next expected message_seq are discarded and reported
/// (<see cref="FragmentOutcome.OldMessage"/>). Later messages are buffered within two bounds: at
/// most <c>maxFutureMessages</c> beyond the next expected one, and at most <c>maxBufferedBytes</c>
/// held for them together. A fragment past either bound is dropped, not refused: RFC 9147 §5.2
/// lets a receiver discard future messages, the peer retransmits them, and a burst of reordered
/// datagrams must not end the handshake. The next expected message itself is bounded only by the
/// maximum message size, so the handshake can always make progress.
/// </remarks>
internal sealed class HandshakeFragmentReassembler
{
    /// <summary>A flight has at most a handful of messages; this leaves room for a whole one to run ahead.</summary>
    public const int DefaultMaxFutureMessages = 16;

    private readonly Dictionary<int, MessageAssembly> _messages = new();
    private readonly int _maxMessageSize;
    private readonly int _maxBufferedBytes;
    private readonly int _maxFutureMessages;

    /// <param name="maxMessageSize">The largest body any message may declare (the handshake message size limit).</param>
    /// <param name="maxBufferedBytes">The heap bytes all messages after the next expected one may hold together; by default <paramref name="maxMessageSize"/>.</param>
    /// <param name="maxFutureMessages">How far past the next expected message_seq fragments are kept.</param>
    public HandshakeFragmentReassembler(int maxMessageSize, int? maxBufferedBytes = null, int maxFutureMessages = DefaultMaxFutureMessages)
    {
        if (maxMessageSize is < 0 or > DtlsHandshakeHeader.MaxUInt24)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessageSize));
        }

        if (maxBufferedBytes < 0 || maxFutureMessages < 0)
        {
            throw new ArgumentOutOfRangeException(maxFutureMessages < 0 ? nameof(maxFutureMessages) : nameof(maxBufferedBytes));
        }

        _maxMessageSize = maxMessageSize;
        _maxBufferedBytes = maxBufferedBytes ?? maxMessageSize;
        _maxFutureMessages = maxFutureMessages;
    }

    /// <summary>next_receive_seq (RFC 9147 §5.2): the message_seq the next message handed over has; 65536 once all are used.</summary>
    public int NextMessageSeq { get; private set; }

    /// <summary>Fragments discarded so far because a bound was reached.</summary>
    public int DroppedFragments { get; private set; }

    /// <summary>True while any fragment is held; keys must not change then.</summary>
    public bool HasBufferedFragments => _messages.Count > 0;

    /// <summary>The heap bytes held for messages after the next expected one.</summary>
    public int FutureBytes
    {
        get
        {
            int total = 0;
            foreach (KeyValuePair<int, MessageAssembly> entry in _messages)
            {
                total += entry.Key > NextMessageSeq ? entry.Value.AllocatedBytes : 0;
            }

            return total;
        }
    }

    /// <summary>
    /// Sets next_receive_seq before anything was received: a DTLS 1.2 server that answered a
    /// ClientHello with a stateless HelloVerifyRequest next expects message_seq 1 (RFC 6347 §4.2.2).
    /// </summary>
    public void ExpectFirst(ushort messageSeq)
    {
        if (HasBufferedFragments || NextMessageSeq != 0)
        {
            throw new InvalidOperationException("Messages were already received.");
        }

        NextMessageSeq = messageSeq;
    }

    /// <summary>
    /// Takes the fragments in the payload of one authenticated handshake record of
    /// <paramref name="epoch"/>. A fragment that does not parse, lies outside its message, declares
    /// a message over the size limit or contradicts bytes already held ends the handshake
    /// (<see cref="TlsFailureException"/>); everything else is reported in the outcome.
    /// </summary>
    public FragmentOutcome Add(ulong epoch, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            // As RFC 8446 §5.1 forbids for TLS: a handshake record carries at least one fragment.
            throw new TlsFailureException(TlsFailureReason.EmptyRecord, "A handshake record was empty.");
        }

        FragmentOutcome outcome = FragmentOutcome.None;
        while (!payload.IsEmpty)
        {
            if (!DtlsHandshakeHeader.TryRead(payload, out DtlsHandshakeHeader header))
            {
                throw new TlsFailureException(TlsFailureReason.MalformedHandshakeFragment, "A handshake record ends inside a fragment header.");
            }

            if (header.FragmentEnd > header.MessageLength)
            {
                throw new TlsFailureException(TlsFailureReason.MalformedHandshakeFragment, $"A fragment of handshake message {header.MessageSeq} reaches past the message's length.");
            }

            if (payload.Length - DtlsHandshakeHeader.Length < header.FragmentLength)
            {
                throw new TlsFailureException(TlsFailureReason.MalformedHandshakeFragment, "A handshake record ends inside a fragment.");
            }

            if (header.MessageLength > _maxMessageSize)
            {
                throw new TlsFailureException(TlsFailureReason.HandshakeMessageTooLarge, $"A handshake message of {header.MessageLength} bytes exceeds the limit of {_maxMessageSize}.");
            }

            outcome |= AddFragment(epoch, header, payload.Slice(DtlsHandshakeHeader.Length, header.FragmentLength));
            payload = payload.Slice(DtlsHandshakeHeader.Length + header.FragmentLength);
        }

        return outcome;
    }

    /// <summary>Hands over the next message when all its bytes are in; messages after a gap wait.</summary>
    public bool TryTake(out DtlsHandshakeMessage message)
    {
        message = default;
        if (!_messages.TryGetValue(NextMessageSeq, out MessageAssembly? next) || !next.IsComplete)
        {
            return false;
        }

        _messages.Remove(NextMessageSeq);
        message = new DtlsHandshakeMessage((ushort)NextMessageSeq, next.Epoch, next.TakeTlsMessage());
        NextMessageSeq++;
        return true;
    }

    /// <summary>Drops everything held, for example when the peer's epoch-0 messages are over.</summary>
    public void Clear() => _messages.Clear();

    private FragmentOutcome AddFragment(ulong epoch, in DtlsHandshakeHeader header, ReadOnlySpan<byte> fragment)
    {
        int seq = header.MessageSeq;
        if (seq < NextMessageSeq)
        {
            return FragmentOutcome.OldMessage;
        }

        if (seq - NextMessageSeq > _maxFutureMessages)
        {
            DroppedFragments++;
            return FragmentOutcome.Dropped | FragmentOutcome.OutOfOrder;
        }

        if (header.FragmentLength == 0 && header.MessageLength > 0)
        {
            // Carries nothing; there is nothing to keep or to compare.
            return FragmentOutcome.Duplicate;
        }

        bool inOrder = seq == InOrderMessageSeq() && (!_messages.TryGetValue(seq, out MessageAssembly? held) || header.FragmentOffset <= held.ContiguousPrefix);
        bool created = !_messages.TryGetValue(seq, out MessageAssembly? message);
        message ??= new MessageAssembly(header.MsgType, header.MessageLength, epoch);
        if (seq > NextMessageSeq && FutureBytes - (created ? 0 : message.AllocatedBytes) + message.AllocatedBytesAfter(header.FragmentEnd) > _maxBufferedBytes)
        {
            DroppedFragments++;
            return FragmentOutcome.Dropped | FragmentOutcome.OutOfOrder;
        }

        int added = message.Add(header, fragment, epoch);
        if (created)
        {
            _messages.Add(seq, message);
        }

        FragmentOutcome outcome = created || added > 0 ? FragmentOutcome.Buffered : FragmentOutcome.Duplicate;
        return inOrder || (message.IsComplete && added == 0) ? outcome : outcome | FragmentOutcome.OutOfOrder;
    }

    // The first message_seq not yet complete: fragments of it are in order, so a flight whose messages
    // share a record or datagram does not look disrupted before the caller takes the first message.
    private int InOrderMessageSeq()
    {
        int seq = NextMessageSeq;
        while (_messages.TryGetValue(seq, out MessageAssembly? message) && message.IsComplete)
        {
            seq++;
        }

        return seq;
    }
}
