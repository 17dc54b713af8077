using System;
using System.Collections.Generic;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>A range of one flight message: body bytes of a handshake message, or the whole payload of another record.</summary>
internal readonly struct FlightPiece : IEquatable<FlightPiece>
{
    public FlightPiece(int message, int offset, int length)
    {
        Message = message;
        Offset = offset;
        Length = length;
    }

    /// <summary>The index of the message in its flight.</summary>
    public int Message { get; }

    public int Offset { get; }

    public int Length { get; }

    public int End => Offset + Length;

    public bool Equals(FlightPiece other) => Message == other.Message && Offset == other.Offset && Length == other.Length;

    public override bool Equals(object? obj) => obj is FlightPiece other && Equals(other);

    public override int GetHashCode() => (Message * 31 + Offset) * 31 + Length;

    public override string ToString() => $"#{Message}[{Offset}..{End})";
}

/// <summary>
/// One message of a flight as the caller gave it, and which of its bytes the peer acknowledged.
/// A handshake message is kept in TLS form (4-byte header and body) with its message_seq, so any
/// range of its body can be sent again as a fragment; anything else (DTLS 1.2's
/// change_cipher_spec) is resent whole.
/// </summary>
internal sealed class FlightMessage
{
    // Acknowledged ranges, sorted and merged; an empty body is acknowledged by the range [0, 0).
    private readonly List<(int Start, int End)> _acked = new();

    public FlightMessage(ulong epoch, ContentType type, ushort messageSeq, byte[] data)
    {
        Epoch = epoch;
        Type = type;
        MessageSeq = messageSeq;
        Data = data;
        Length = IsHandshake ? HandshakeFragmenter.Body(data).Length : data.Length;
    }

    /// <summary>The epoch the message is protected under; a retransmission keeps it (RFC 9147 §5.8.1).</summary>
    public ulong Epoch { get; }

    public ContentType Type { get; }

    public bool IsHandshake => Type == ContentType.Handshake;

    public ushort MessageSeq { get; }

    /// <summary>A handshake message in TLS form, or another record's payload.</summary>
    public byte[] Data { get; }

    /// <summary>The bytes pieces address: the body of a handshake message, the whole payload otherwise.</summary>
    public int Length { get; }

    public bool IsAcknowledged => _acked.Count > 0 && _acked[0].Start == 0 && _acked[0].End >= Length;

    /// <summary>Marks a range acknowledged; true when it covered bytes not acknowledged before.</summary>
    public bool Acknowledge(int start, int end)
    {
        bool wasAcknowledged = IsAcknowledged;
        int before = AcknowledgedBytes();
        int i = 0;
        while (i < _acked.Count && _acked[i].End < start)
        {
            i++;
        }

        int mergedStart = start;
        int mergedEnd = end;
        while (i < _acked.Count && _acked[i].Start <= end)
        {
            mergedStart = Math.Min(mergedStart, _acked[i].Start);
            mergedEnd = Math.Max(mergedEnd, _acked[i].End);
            _acked.RemoveAt(i);
        }

        _acked.Insert(i, (mergedStart, mergedEnd));
        return AcknowledgedBytes() > before || (IsAcknowledged && !wasAcknowledged);
    }

    /// <summary>Adds the ranges still unacknowledged, as pieces of message <paramref name="index"/>.</summary>
    public void AddPending(int index, List<FlightPiece> pieces)
    {
        if (IsAcknowledged)
        {
            return;
        }

        if (Length == 0)
        {
            pieces.Add(new FlightPiece(index, 0, 0));
            return;
        }

        if (!IsHandshake && _acked.Count > 0)
        {
            // Not fragmentable: a partly acknowledged record cannot be; resend it whole.
            pieces.Add(new FlightPiece(index, 0, Length));
            return;
        }

        int at = 0;
        foreach ((int start, int end) in _acked)
        {
            if (start > at)
            {
                pieces.Add(new FlightPiece(index, at, start - at));
            }

            at = Math.Max(at, end);
        }

        if (at < Length)
        {
            pieces.Add(new FlightPiece(index, at, Length - at));
        }
    }

    private int AcknowledgedBytes()
    {
        int total = 0;
        foreach ((int start, int end) in _acked)
        {
            total += end - start;
        }

        return total;
    }
}
