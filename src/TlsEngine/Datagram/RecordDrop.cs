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

    /// <summary>
    /// No read keys for the record's epoch: not installed yet, already retired, or keys of the
    /// other DTLS version's record format (RFC 9147 §4.2.1, RFC 6347 §4.1).
    /// </summary>
    UnknownEpoch,

    /// <summary>The AEAD tag did not verify (RFC 9147 §4.5.2); counted against the key's forgery limit (§4.5.3).</summary>
    AuthenticationFailed,

    /// <summary>The DTLS 1.3 inner plaintext is all zeros: no content type (RFC 8446 §5.4).</summary>
    MissingContentType,

    /// <summary>The DTLS 1.3 inner content type is none that may be protected (RFC 9147 §4.1, Figure 5).</summary>
    UnexpectedContentType,

    /// <summary>
    /// The content type is not accepted in the record's epoch: application data before application
    /// keys, anything but handshake, alert and ACK in epoch 0, an ACK in DTLS 1.2 (RFC 9147 §4.5.2).
    /// </summary>
    NotAllowedInEpoch,

    /// <summary>A plaintext alert, ACK, change_cipher_spec or new handshake message arrived once protected keys were in use: anyone could have sent it.</summary>
    Unauthenticated,

    /// <summary>An unprotected handshake record or an alert that does not parse; nothing authenticates it, so it cannot end the handshake.</summary>
    Malformed,

    /// <summary>Application messages the host has not taken filled the receive queue.</summary>
    ReceiveQueueFull,
}
