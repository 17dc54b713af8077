namespace TlsEngine;

/// <summary>
/// The one place where a failure reason becomes a kind and an alert (RFC 8446 §6.2 names which
/// alert each class of error deserves). Call sites state what went wrong, never which alert to send.
/// </summary>
public static class TlsFailureReasons
{
    /// <summary>
    /// Whether this side answers the failure with an alert: not when the peer ended the connection
    /// (its alert or close needs no answer), nor when a DTLS peer stopped answering (nobody listens).
    /// </summary>
    internal static bool AnsweredWithAlert(TlsFailureReason reason) =>
        reason is not (TlsFailureReason.PeerAlert or TlsFailureReason.PeerClosedDuringHandshake or TlsFailureReason.HandshakeTimedOut);

    /// <summary>The class of failure a reason belongs to.</summary>
    public static TlsErrorKind Kind(TlsFailureReason reason) => reason switch
    {
        TlsFailureReason.TooManyEmptyRecords or TlsFailureReason.TooManyPostHandshakeMessages or TlsFailureReason.TooManyWarningAlerts
            or TlsFailureReason.HandshakeMessageTooLarge or TlsFailureReason.LimitExceeded or TlsFailureReason.HandshakeTimedOut => TlsErrorKind.Limit,
        TlsFailureReason.NoCommonVersion or TlsFailureReason.NoCommonParameters or TlsFailureReason.NoCommonCipherSuite
            or TlsFailureReason.NoCommonGroup or TlsFailureReason.NoCommonSignatureScheme or TlsFailureReason.NoApplicationProtocol
            or TlsFailureReason.UnrecognizedName or TlsFailureReason.InsecureTls12Peer or TlsFailureReason.ExtendedMasterSecretMissing
            or TlsFailureReason.RenegotiationRefused
            or TlsFailureReason.InappropriateFallback or TlsFailureReason.NoAcceptablePsk => TlsErrorKind.Negotiation,
        >= TlsFailureReason.CertificateMalformed and <= TlsFailureReason.CertificateRejectedByHost => TlsErrorKind.Certificate,
        TlsFailureReason.PeerAlert => TlsErrorKind.PeerAlert,
        TlsFailureReason.PeerClosedDuringHandshake or TlsFailureReason.ConnectionClosed or TlsFailureReason.HandshakeCanceled => TlsErrorKind.Closed,
        TlsFailureReason.Internal => TlsErrorKind.Internal,
        _ => TlsErrorKind.Protocol,
    };

    /// <summary>The alert the engine sends for a reason (for host rejections and peer alerts, the default only).</summary>
    public static TlsAlertDescription Alert(TlsFailureReason reason) => reason switch
    {
        TlsFailureReason.RecordOverflow => TlsAlertDescription.RecordOverflow,
        TlsFailureReason.BadRecordMac => TlsAlertDescription.BadRecordMac,
        TlsFailureReason.InvalidRecordVersion or TlsFailureReason.MalformedAlert or TlsFailureReason.MalformedMessage
            or TlsFailureReason.EmptyServerCertificate or TlsFailureReason.MalformedHandshakeFragment
            or TlsFailureReason.MalformedAck => TlsAlertDescription.DecodeError,
        TlsFailureReason.UnknownContentType or TlsFailureReason.UnprotectedRecordUnderKeys or TlsFailureReason.UnexpectedContentType
            or TlsFailureReason.UnexpectedChangeCipherSpec or TlsFailureReason.MissingInnerContentType or TlsFailureReason.EmptyRecord
            or TlsFailureReason.TooManyEmptyRecords or TlsFailureReason.HandshakeMessageSpansKeyChange or TlsFailureReason.InterleavedContentType
            or TlsFailureReason.TooManyWarningAlerts or TlsFailureReason.TooMuchEarlyData or TlsFailureReason.TooManyPostHandshakeMessages
            or TlsFailureReason.UnexpectedMessage or TlsFailureReason.SecondHelloRetryRequest => TlsAlertDescription.UnexpectedMessage,
        TlsFailureReason.IllegalParameter or TlsFailureReason.DuplicateExtension or TlsFailureReason.InvalidKeyShare
            or TlsFailureReason.InvalidKeyShareLength or TlsFailureReason.InvalidEncapsulationKey
            or TlsFailureReason.DowngradeDetected or TlsFailureReason.HandshakeMessageTooLarge
            or TlsFailureReason.VersionNotOffered or TlsFailureReason.CipherSuiteNotOffered or TlsFailureReason.GroupNotOffered
            or TlsFailureReason.SignatureSchemeNotOffered or TlsFailureReason.ResumptionNotOffered or TlsFailureReason.ApplicationProtocolNotOffered
            or TlsFailureReason.SessionIdNotEchoed or TlsFailureReason.CompressionNotNull or TlsFailureReason.InvalidHelloRetryRequest
            or TlsFailureReason.InvalidSecondClientHello or TlsFailureReason.InvalidCookie or TlsFailureReason.MisplacedExtension or TlsFailureReason.EarlyDataAcceptedWithoutPsk
            or TlsFailureReason.InvalidRequestContext or TlsFailureReason.InvalidKeyUpdate or TlsFailureReason.InvalidTicketLifetime
            or TlsFailureReason.UncompressedPointsRefused or TlsFailureReason.InvalidPskBinderLength
            or TlsFailureReason.PskKeyExchangeModeNotOffered or TlsFailureReason.InvalidRecordSizeLimit
            or TlsFailureReason.InvalidMaxFragmentLength
            or TlsFailureReason.HandshakeFragmentMismatch => TlsAlertDescription.IllegalParameter,
        TlsFailureReason.MissingExtension => TlsAlertDescription.MissingExtension,
        TlsFailureReason.UnsupportedExtension => TlsAlertDescription.UnsupportedExtension,
        TlsFailureReason.ObsoleteLegacyVersion or TlsFailureReason.NoCommonVersion => TlsAlertDescription.ProtocolVersion,
        TlsFailureReason.BadFinished or TlsFailureReason.BadSignature or TlsFailureReason.BadPskBinder => TlsAlertDescription.DecryptError,
        TlsFailureReason.RenegotiationRefused => TlsAlertDescription.NoRenegotiation,
        TlsFailureReason.NoCommonParameters or TlsFailureReason.NoCommonCipherSuite or TlsFailureReason.NoCommonGroup
            or TlsFailureReason.NoCommonSignatureScheme or TlsFailureReason.InsecureTls12Peer
            or TlsFailureReason.NoAcceptablePsk or TlsFailureReason.ExtendedMasterSecretMissing => TlsAlertDescription.HandshakeFailure,
        TlsFailureReason.NoApplicationProtocol => TlsAlertDescription.NoApplicationProtocol,
        TlsFailureReason.UnrecognizedName => TlsAlertDescription.UnrecognizedName,
        TlsFailureReason.InappropriateFallback => TlsAlertDescription.InappropriateFallback,
        TlsFailureReason.CertificateUnknownIssuer => TlsAlertDescription.UnknownCa,
        TlsFailureReason.CertificateExpired => TlsAlertDescription.CertificateExpired,
        TlsFailureReason.CertificateUnsupported or TlsFailureReason.CertificateTypeNotOffered => TlsAlertDescription.UnsupportedCertificate,
        TlsFailureReason.CertificateRequired => TlsAlertDescription.CertificateRequired,
        TlsFailureReason.CertificateMalformed or TlsFailureReason.CertificateNameMismatch or TlsFailureReason.CertificateBadSignature
            or TlsFailureReason.CertificateNotAllowed or TlsFailureReason.CertificateNameConstraintViolation
            or TlsFailureReason.CertificateUnhandledCriticalExtension or TlsFailureReason.CertificateWeakCrypto
            or TlsFailureReason.CertificateRejectedByHost or TlsFailureReason.CertificatePinMismatch
            or TlsFailureReason.RawPublicKeyNotPinned => TlsAlertDescription.BadCertificate,
        TlsFailureReason.PeerClosedDuringHandshake or TlsFailureReason.ConnectionClosed => TlsAlertDescription.CloseNotify,
        TlsFailureReason.HandshakeCanceled => TlsAlertDescription.UserCanceled,

        // The peer has stopped answering, so no alert fits better; the alert is unlikely to arrive anyway.
        TlsFailureReason.HandshakeTimedOut => TlsAlertDescription.InternalError,
        _ => TlsAlertDescription.InternalError,
    };
}
