namespace TlsEngine.Datagram;

/// <summary>
/// The sliding anti-replay window of one epoch (RFC 6347 §4.1.2.6, RFC 9147 §4.5.1): a bitmap of
/// the last <see cref="Size"/> sequence numbers below and including the highest one received.
/// <see cref="Check"/> runs before deprotection; <see cref="Accept"/> only after the record
/// authenticated, so forged records can neither slide the window nor burn a sequence number.
/// </summary>
internal sealed class ReplayWindow
{
    /// <summary>RFC 6347 §4.1.2.6: 32 records MUST be supported, 64 are preferred.</summary>
    public const int Size = 64;

    /// <summary>Sequence numbers are 48 bits on the wire (RFC 6347 §4.1, RFC 9147 §4.1).</summary>
    public const ulong MaxSequence = (1UL << 48) - 1;

    private bool _any;
    private ulong _highest;

    // Bit i set: sequence number _highest - i was accepted.
    private ulong _bitmap;

    /// <summary>The highest accepted sequence number, or null before the first.</summary>
    public ulong? Highest => _any ? _highest : null;

    /// <summary>One plus the highest accepted sequence number: what sequence number reconstruction aims at (RFC 9147 §4.2.2).</summary>
    public ulong NextExpected => _any ? _highest + 1 : 0;

    /// <summary>Whether a record with this sequence number may be deprotected: <see cref="RecordDrop.None"/>, or why not.</summary>
    public RecordDrop Check(ulong sequence)
    {
        if (sequence > MaxSequence)
        {
            return RecordDrop.SequenceOutOfRange;
        }

        if (!_any || sequence > _highest)
        {
            return RecordDrop.None;
        }

        ulong offset = _highest - sequence;
        if (offset >= Size)
        {
            return RecordDrop.TooOld;
        }

        return (_bitmap & (1UL << (int)offset)) != 0 ? RecordDrop.Duplicate : RecordDrop.None;
    }

    /// <summary>Marks an authenticated record as received, sliding the window when it is the newest; false when <see cref="Check"/> refuses it.</summary>
    public bool Accept(ulong sequence)
    {
        if (Check(sequence) != RecordDrop.None)
        {
            return false;
        }

        if (!_any)
        {
            _any = true;
            _highest = sequence;
            _bitmap = 1;
            return true;
        }

        if (sequence > _highest)
        {
            ulong shift = sequence - _highest;
            _bitmap = shift >= Size ? 1 : (_bitmap << (int)shift) | 1;
            _highest = sequence;
            return true;
        }

        _bitmap |= 1UL << (int)(_highest - sequence);
        return true;
    }
}
