using System;

namespace TlsEngine.Datagram;

/// <summary>
/// One handshake message being put together from fragments. Its storage grows with the highest
/// byte received rather than with the declared length, so a fragment claiming a long message
/// costs what it carries until the rest arrives; a bitmap records which body bytes are in.
/// </summary>
internal sealed class MessageAssembly
{
    private const int MinCapacity = 256;

    // The TLS header slot (4 bytes) then the body, so the finished message needs no copy.
    private byte[] _buffer = Array.Empty<byte>();

    // Bit i set: body byte i has been received.
    private ulong[] _received = Array.Empty<ulong>();
    private int _capacity;
    private int _receivedCount;

    public MessageAssembly(byte msgType, int length, ulong epoch)
    {
        MsgType = msgType;
        Length = length;
        Epoch = epoch;
    }

    public byte MsgType { get; }

    public int Length { get; }

    /// <summary>The epoch of the record that carried the first fragment; every other fragment must share it.</summary>
    public ulong Epoch { get; }

    public bool IsComplete => _receivedCount == Length;

    /// <summary>How many leading body bytes are in without a gap: the next in-order fragment starts here.</summary>
    public int ContiguousPrefix { get; private set; }

    /// <summary>The bytes this message holds on the heap.</summary>
    public int AllocatedBytes => _buffer.Length + (_received.Length * sizeof(ulong));

    /// <summary>What <see cref="AllocatedBytes"/> would become if a fragment ending at <paramref name="end"/> were added.</summary>
    public int AllocatedBytesAfter(int end)
    {
        int capacity = CapacityFor(end);
        return capacity == _capacity ? AllocatedBytes : DtlsHandshakeHeader.TlsLength + capacity + (BitmapWords(capacity) * sizeof(ulong));
    }

    /// <summary>
    /// Adds a fragment already checked to lie inside the message; returns how many body bytes were
    /// new. Bytes received before must come again unchanged (RFC 9147 §5.5: receivers SHOULD abort
    /// with illegal_parameter when a retransmitted byte changes).
    /// </summary>
    public int Add(in DtlsHandshakeHeader header, ReadOnlySpan<byte> fragment, ulong epoch)
    {
        if (header.MsgType != MsgType || header.MessageLength != Length)
        {
            throw new TlsFailureException(TlsFailureReason.HandshakeFragmentMismatch, $"A fragment of handshake message {header.MessageSeq} changes its type or length.");
        }

        if (epoch != Epoch)
        {
            // RFC 9147 §5.1 after RFC 8446 §5.1: a handshake message must not span a change of keys.
            throw new TlsFailureException(TlsFailureReason.HandshakeMessageSpansKeyChange, $"The fragments of handshake message {header.MessageSeq} arrived under different epochs.");
        }

        Grow(header.FragmentEnd);
        int added = 0;
        Span<byte> body = _buffer.AsSpan(DtlsHandshakeHeader.TlsLength);
        for (int i = 0; i < fragment.Length; i++)
        {
            int at = header.FragmentOffset + i;
            ref ulong word = ref _received[at >> 6];
            ulong bit = 1UL << (at & 63);
            if ((word & bit) != 0)
            {
                if (body[at] != fragment[i])
                {
                    throw new TlsFailureException(TlsFailureReason.HandshakeFragmentMismatch, $"A fragment of handshake message {header.MessageSeq} changes bytes received before.");
                }

                continue;
            }

            body[at] = fragment[i];
            word |= bit;
            added++;
        }

        _receivedCount += added;
        while (ContiguousPrefix < _capacity && (_received[ContiguousPrefix >> 6] & (1UL << (ContiguousPrefix & 63))) != 0)
        {
            ContiguousPrefix++;
        }

        return added;
    }

    /// <summary>The finished message in TLS form (4-byte header and body); the assembly is spent afterwards.</summary>
    public byte[] TakeTlsMessage()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException("The message is not complete.");
        }

        // Complete means every byte up to Length arrived, so the buffer holds exactly the message.
        byte[] message = _buffer.Length == DtlsHandshakeHeader.TlsLength + Length ? _buffer : new byte[DtlsHandshakeHeader.TlsLength + Length];
        message[0] = MsgType;
        DtlsHandshakeHeader.WriteUInt24(message.AsSpan(1), Length);
        _buffer = Array.Empty<byte>();
        _received = Array.Empty<ulong>();
        return message;
    }

    private static int BitmapWords(int capacity) => (capacity + 63) >> 6;

    private int CapacityFor(int end) =>
        end <= _capacity ? _capacity : Math.Min(Length, Math.Max(end, Math.Max(_capacity * 2, MinCapacity)));

    private void Grow(int end)
    {
        int capacity = CapacityFor(end);
        if (capacity == _capacity && _buffer.Length != 0)
        {
            return;
        }

        byte[] buffer = new byte[DtlsHandshakeHeader.TlsLength + capacity];
        _buffer.AsSpan().CopyTo(buffer);
        ulong[] received = new ulong[BitmapWords(capacity)];
        _received.AsSpan().CopyTo(received);
        _buffer = buffer;
        _received = received;
        _capacity = capacity;
    }
}
