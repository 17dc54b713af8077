using System;

namespace TlsEngine.Datagram;

/// <summary>
/// RFC 9147 §4: a record's full epoch and sequence number, as an ACK lists it
/// (<c>struct { uint64 epoch; uint64 sequence_number; } RecordNumber</c>). Ordered by epoch, then
/// sequence number, which is the numerically increasing order ACKs use (RFC 9147 §7).
/// </summary>
internal readonly struct RecordNumber : IEquatable<RecordNumber>, IComparable<RecordNumber>
{
    public RecordNumber(ulong epoch, ulong sequence)
    {
        Epoch = epoch;
        Sequence = sequence;
    }

    public ulong Epoch { get; }

    public ulong Sequence { get; }

    public static bool operator ==(RecordNumber left, RecordNumber right) => left.Equals(right);

    public static bool operator !=(RecordNumber left, RecordNumber right) => !left.Equals(right);

    public bool Equals(RecordNumber other) => Epoch == other.Epoch && Sequence == other.Sequence;

    public override bool Equals(object? obj) => obj is RecordNumber other && Equals(other);

    public override int GetHashCode() => (Epoch * 0x9E3779B97F4A7C15UL ^ Sequence).GetHashCode();

    public int CompareTo(RecordNumber other) => Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Sequence.CompareTo(other.Sequence);

    public override string ToString() => $"{Epoch}:{Sequence}";
}
