namespace TlsEngine;

/// <summary>
/// What exactly went wrong. Every failure carries one; its <see cref="TlsErrorKind"/> and the alert
/// sent are derived from it in one place (<see cref="TlsFailureReasons"/>), never chosen ad hoc.
/// </summary>
public enum TlsFailureReason
{
    // ---- Records (RFC 8446 §5, RFC 5246 §6) ----

    /// <summary>A record's content type is not one TLS defines.</summary>
    UnknownContentType,

    /// <summary>A record header's legacy_record_version is not 0x03xx.</summary>
    InvalidRecordVersion,

    /// <summary>A record is longer than the protocol allows (record_overflow).</summary>
    RecordOverflow,

    /// <summary>A protected record failed authentication (bad_record_mac).</summary>
    BadRecordMac,

    /// <summary>An unprotected record arrived where only protected records are legal.</summary>
    UnprotectedRecordUnderKeys,

    /// <summary>A content type arrived that the current epoch does not allow (e.g. application data before keys).</summary>
    UnexpectedContentType,

    /// <summary>A change_cipher_spec that is malformed, repeated, protected or out of place.</summary>
    UnexpectedChangeCipherSpec,

    /// <summary>A TLS 1.3 protected record's inner plaintext has no non-zero content type.</summary>
    MissingInnerContentType,

    /// <summary>A zero-length handshake or alert record, which RFC 8446 §5.1 forbids.</summary>
    EmptyRecord,

    /// <summary>Too many consecutive records carrying nothing.</summary>
    TooManyEmptyRecords,

    /// <summary>A handshake message was split across a change of keys (RFC 8446 §5.1).</summary>
    HandshakeMessageSpansKeyChange,

    /// <summary>Another content type interrupted a fragmented handshake message.</summary>
    InterleavedContentType,

    /// <summary>An alert record that is not exactly two bytes or has an unknown level.</summary>
    MalformedAlert,

    /// <summary>TLS 1.2: too many warning alerts in a row.</summary>
    TooManyWarningAlerts,

    /// <summary>The client sent more 0-RTT data than max_early_data_size (RFC 8446 §4.2.10).</summary>
    TooMuchEarlyData,

    /// <summary>Too many post-handshake messages with no application data between them.</summary>
    TooManyPostHandshakeMessages,

    /// <summary>A handshake message declares a length above the configured limit.</summary>
    HandshakeMessageTooLarge,

    /// <summary>A DTLS handshake fragment does not parse, or its range lies outside its message (RFC 9147 §5.2, RFC 6347 §4.2.2).</summary>
    MalformedHandshakeFragment,

    /// <summary>A DTLS handshake fragment disagrees with earlier fragments of the same message_seq: another msg_type or length, or different bytes where they overlap (RFC 9147 §5.5).</summary>
    HandshakeFragmentMismatch,

    /// <summary>A DTLS ACK record does not parse: a length that is not a whole number of record numbers, trailing bytes, a sequence number beyond 48 bits, or too many entries (RFC 9147 §7).</summary>
    MalformedAck,

    // ---- Handshake messages ----

    /// <summary>A message or extension does not parse (decode_error).</summary>
    MalformedMessage,

    /// <summary>A handshake message arrived that the current state does not expect.</summary>
    UnexpectedMessage,

    /// <summary>A field holds a value the protocol forbids here (illegal_parameter).</summary>
    IllegalParameter,

    /// <summary>An extension appears twice in one message.</summary>
    DuplicateExtension,

    /// <summary>A required extension is absent (missing_extension).</summary>
    MissingExtension,

    /// <summary>An extension appears in a message that must not carry it (unsupported_extension).</summary>
    UnsupportedExtension,

    /// <summary>A key share is malformed or not a valid point for its group.</summary>
    InvalidKeyShare,

    /// <summary>A key share's length is not the one its group defines (an ML-KEM key or ciphertext, or a hybrid share, of the wrong size).</summary>
    InvalidKeyShareLength,

    /// <summary>The client's ML-KEM encapsulation key fails the FIPS 203 §7.2 modulus check.</summary>
    InvalidEncapsulationKey,

    /// <summary>A ClientHello's or ServerHello's legacy_version is SSL 3.0 or older (RFC 8446 Appendix D.5).</summary>
    ObsoleteLegacyVersion,

    /// <summary>The server's random carries the RFC 8446 §4.1.3 downgrade sentinel.</summary>
    DowngradeDetected,

    /// <summary>A Finished message's verify_data does not match.</summary>
    BadFinished,

    /// <summary>A CertificateVerify or ServerKeyExchange signature does not verify.</summary>
    BadSignature,

    /// <summary>A PSK binder does not verify.</summary>
    BadPskBinder,

    /// <summary>A PSK binder's length is not the length of its PSK's hash (RFC 8446 §4.2.11.2).</summary>
    InvalidPskBinderLength,

    /// <summary>The peer asked for TLS 1.2 renegotiation, which is refused.</summary>
    RenegotiationRefused,

    /// <summary>The server selected a protocol version the client did not offer (RFC 8446 §4.2.1).</summary>
    VersionNotOffered,

    /// <summary>The server selected a cipher suite the client did not offer (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3).</summary>
    CipherSuiteNotOffered,

    /// <summary>The server chose a key exchange group the client did not offer, or answered a share the client did not send.</summary>
    GroupNotOffered,

    /// <summary>The peer signed with a signature scheme that was not offered to it (RFC 8446 §4.4.3).</summary>
    SignatureSchemeNotOffered,

    /// <summary>The server resumed a session or selected a PSK the client did not offer, or one that does not fit the suite (RFC 8446 §4.2.11).</summary>
    ResumptionNotOffered,

    /// <summary>The server selected a PSK without a key share although the client offered only psk_dhe_ke (RFC 8446 §4.2.9, §4.2.11).</summary>
    PskKeyExchangeModeNotOffered,

    /// <summary>The server selected an application protocol the client did not offer (RFC 7301 §3.2).</summary>
    ApplicationProtocolNotOffered,

    /// <summary>The ServerHello does not echo the client's legacy_session_id (RFC 8446 §4.1.3).</summary>
    SessionIdNotEchoed,

    /// <summary>A compression method other than null was offered in TLS 1.3 or selected, or null was not offered (RFC 8446 §4.1.2).</summary>
    CompressionNotNull,

    /// <summary>A HelloRetryRequest that would not change the ClientHello, asks for a share already sent, or whose suite the ServerHello changes (RFC 8446 §4.1.4).</summary>
    InvalidHelloRetryRequest,

    /// <summary>The server sent a second HelloRetryRequest (RFC 8446 §4.1.4).</summary>
    SecondHelloRetryRequest,

    /// <summary>The second ClientHello changes more than the HelloRetryRequest asked for (RFC 8446 §4.1.2).</summary>
    InvalidSecondClientHello,

    /// <summary>DTLS: a ClientHello echoes a cookie this server did not issue, issued for another address, or expired (RFC 9147 §5.1).</summary>
    InvalidCookie,

    /// <summary>An extension the peer knows of sits in a message where it does not belong, or pre_shared_key is not last (RFC 8446 §4.2, §4.2.11).</summary>
    MisplacedExtension,

    /// <summary>The server accepted 0-RTT data without selecting the first PSK it was sent under (RFC 8446 §4.2.10).</summary>
    EarlyDataAcceptedWithoutPsk,

    /// <summary>A certificate_request_context that must be empty, or must echo the request's, does not (RFC 8446 §4.3.2, §4.4.2).</summary>
    InvalidRequestContext,

    /// <summary>The server sent an empty certificate chain (RFC 8446 §4.4.2.4).</summary>
    EmptyServerCertificate,

    /// <summary>A KeyUpdate's request_update is neither update_not_requested nor update_requested (RFC 8446 §4.6.3).</summary>
    InvalidKeyUpdate,

    /// <summary>A NewSessionTicket's lifetime exceeds seven days (RFC 8446 §4.6.1).</summary>
    InvalidTicketLifetime,

    /// <summary>The peer's ec_point_formats leaves out the uncompressed form (RFC 8422 §5.1.2).</summary>
    UncompressedPointsRefused,

    /// <summary>A record_size_limit below 64, or a server's above what the negotiated version allows (RFC 8449 §4).</summary>
    InvalidRecordSizeLimit,

    /// <summary>A max_fragment_length with an undefined value, a server's answer that does not echo the client's, or one beside record_size_limit (RFC 6066 §4, RFC 8449 §5).</summary>
    InvalidMaxFragmentLength,

    // ---- Negotiation ----

    /// <summary>No protocol version is shared (protocol_version).</summary>
    NoCommonVersion,

    /// <summary>No cipher suite, group or signature scheme is shared, or a required feature is missing (handshake_failure).</summary>
    NoCommonParameters,

    /// <summary>The client offers no cipher suite the server accepts (handshake_failure).</summary>
    NoCommonCipherSuite,

    /// <summary>The client supports no key exchange group the server accepts (handshake_failure).</summary>
    NoCommonGroup,

    /// <summary>The client accepts no signature scheme the server's key can make (handshake_failure).</summary>
    NoCommonSignatureScheme,

    /// <summary>No application protocol is shared (no_application_protocol).</summary>
    NoApplicationProtocol,

    /// <summary>No certificate is configured for the server name the client asked for (unrecognized_name).</summary>
    UnrecognizedName,

    /// <summary>TLS 1.2 without secure renegotiation (RFC 5746).</summary>
    InsecureTls12Peer,

    /// <summary>
    /// TLS 1.2 without the extended master secret (RFC 7627 §5.2, §5.3) while
    /// the options require it (RequireExtendedMasterSecret, the default).
    /// </summary>
    ExtendedMasterSecretMissing,

    /// <summary>A client retrying with a lower version signals TLS_FALLBACK_SCSV to a server that speaks a higher one (RFC 7507, inappropriate_fallback).</summary>
    InappropriateFallback,

    /// <summary>No external PSK was agreed and certificates cannot stand in: a server without a certificate, or a client without a name to verify one (handshake_failure).</summary>
    NoAcceptablePsk,

    // ---- Certificates ----

    /// <summary>A certificate cannot be parsed, or the chain is malformed (bad_certificate).</summary>
    CertificateMalformed,

    /// <summary>No path leads to a trust anchor (unknown_ca).</summary>
    CertificateUnknownIssuer,

    /// <summary>A certificate in the path is expired or not yet valid (certificate_expired).</summary>
    CertificateExpired,

    /// <summary>The leaf is not valid for the expected name (bad_certificate).</summary>
    CertificateNameMismatch,

    /// <summary>A certificate's signature does not verify under its issuer's key.</summary>
    CertificateBadSignature,

    /// <summary>Basic constraints, path length, key usage or extended key usage forbid this path.</summary>
    CertificateNotAllowed,

    /// <summary>A name in the path violates an issuer's name constraints (RFC 5280 §4.2.1.10).</summary>
    CertificateNameConstraintViolation,

    /// <summary>A certificate carries a critical extension this engine does not process.</summary>
    CertificateUnhandledCriticalExtension,

    /// <summary>A key or certificate signature the path policy refuses: RSA outside 2048 to 8192 bits, a curve other than P-256, P-384 or P-521, a SHA-1 or MD5 signature.</summary>
    CertificateWeakCrypto,

    /// <summary>The certificate's key type does not fit the negotiated parameters (unsupported_certificate).</summary>
    CertificateUnsupported,

    /// <summary>The peer sent no certificate and one is required.</summary>
    CertificateRequired,

    /// <summary>No certificate in the verified chain has a SubjectPublicKeyInfo matching a configured pin (bad_certificate).</summary>
    CertificatePinMismatch,

    /// <summary>A certificate type (X.509 or raw public key) the peer selected or sent was not offered, or none is shared (RFC 7250 §4, unsupported_certificate).</summary>
    CertificateTypeNotOffered,

    /// <summary>The peer's raw public key is not one of the pinned keys (RFC 7250 §6, bad_certificate).</summary>
    RawPublicKeyNotPinned,

    /// <summary>The host rejected the peer's certificate with an alert of its choice.</summary>
    CertificateRejectedByHost,

    // ---- The peer, limits, the engine ----

    /// <summary>The peer sent a fatal alert.</summary>
    PeerAlert,

    /// <summary>The peer sent close_notify before the handshake completed.</summary>
    PeerClosedDuringHandshake,

    /// <summary>The host called Shutdown before the handshake completed: user_canceled, then close_notify, was sent.</summary>
    HandshakeCanceled,

    /// <summary>The connection was already closed when the host asked for more.</summary>
    ConnectionClosed,

    /// <summary>A configured limit was reached.</summary>
    LimitExceeded,

    /// <summary>A DTLS flight was retransmitted the configured number of times without an answer (RFC 9147 §5.8, RFC 6347 §4.2.4).</summary>
    HandshakeTimedOut,

    /// <summary>A failure inside the engine or its crypto provider.</summary>
    Internal,
}
