namespace TlsEngine.Datagram;

/// <summary>
/// Why a datagram record was discarded. Invalid records are dropped silently, never answered with
/// an alert and never thrown (RFC 9147 §4.5.2, RFC 6347 §4.1.2.7): on an unreliable transport a
/// forged or damaged datagram must not tear the association down.
/// </summary>
internal enum RecordDrop : byte
{
    /// <summary>Not dropped: the record is usable.</summary>
    None,

    /// <summary>Fewer bytes than the header, or than its length field promises.</summary>
    Truncated,

    /// <summary>The first byte is neither a known plaintext content type nor 001xxxxx (RFC 9147 §4.1).</summary>
    UnknownFirstByte,

    /// <summary>The C bit is set but this endpoint receives no connection id.</summary>
    UnexpectedConnectionId,

    /// <summary>The record version is not a DTLS version (major byte 0xFE).</summary>
    BadVersion,

    /// <summary>The length field exceeds what any record may carry.</summary>
    RecordTooLong,

    /// <summary>A protected record shorter than the 16-byte sample record number encryption needs (RFC 9147 §4.2.3).</summary>
    CiphertextTooShort,

    /// <summary>The sequence number was already received (RFC 9147 §4.5.1, RFC 6347 §4.1.2.6).</summary>
    Duplicate,

    /// <summary>The sequence number is left of the replay window.</summary>
    TooOld,

    /// <summary>The sequence number lies beyond the 48-bit space.</summary>
    SequenceOutOfRange,
}
