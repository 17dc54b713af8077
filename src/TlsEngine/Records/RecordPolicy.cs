namespace TlsEngine.Records;

/// <summary>Which keys protect the records the peer sends us now.</summary>
internal enum ReadEpoch
{
    /// <summary>No read keys yet: the hellos (and TLS 1.2 up to the peer's change_cipher_spec).</summary>
    Plaintext,

    /// <summary>TLS 1.3 server reading accepted 0-RTT data under client_early_traffic_secret.</summary>
    EarlyData,

    /// <summary>TLS 1.3 handshake traffic keys.</summary>
    Handshake,

    /// <summary>TLS 1.3 application traffic keys (any generation).</summary>
    Application,

    /// <summary>TLS 1.2 after the peer's change_cipher_spec, until its Finished has verified.</summary>
    Tls12Handshake,

    /// <summary>TLS 1.2 after the peer's Finished.</summary>
    Tls12Application,
}

/// <summary>
/// The record policy (RFC 8446 §5, RFC 5246 §6): for every epoch, content type and protection,
/// whether a record is legal or which failure it is. Layers above the record layer only ever see
/// records this table allowed. Conditions that depend on history (a change_cipher_spec already
/// seen, a handshake message half-read) are checked by the record layer after this table.
/// </summary>
internal static class RecordPolicy
{
    /// <returns>Null when the record is legal, else the failure it provokes.</returns>
    public static TlsFailureReason? Check(ReadEpoch epoch, ContentType type, bool wasProtected) => (epoch, wasProtected, type) switch
    {
        // In the clear, only the hellos and alerts; TLS 1.3's compatibility change_cipher_spec in any handshake epoch.
        (ReadEpoch.Plaintext, false, ContentType.Handshake or ContentType.Alert or ContentType.ChangeCipherSpec) => null,
        (ReadEpoch.Plaintext, false, _) => TlsFailureReason.UnexpectedContentType,
        (ReadEpoch.EarlyData or ReadEpoch.Handshake, false, ContentType.ChangeCipherSpec) => null,
        (ReadEpoch.Application, false, ContentType.ChangeCipherSpec) => TlsFailureReason.UnexpectedChangeCipherSpec,

        // RFC 8446 §5: once keys are in use, nothing else may arrive unprotected (a forged close_notify
        // would truncate the stream, a forged KeyUpdate would desynchronise it).
        (ReadEpoch.EarlyData or ReadEpoch.Handshake or ReadEpoch.Application, false, _) => TlsFailureReason.UnprotectedRecordUnderKeys,

        // TLS 1.2 sends change_cipher_spec once per direction; after it, every other record is protected.
        (ReadEpoch.Tls12Handshake or ReadEpoch.Tls12Application, false, ContentType.ChangeCipherSpec) => TlsFailureReason.UnexpectedChangeCipherSpec,
        (ReadEpoch.Tls12Handshake or ReadEpoch.Tls12Application, false, _) => TlsFailureReason.UnprotectedRecordUnderKeys,

        // Protected content.
        (_, true, ContentType.ChangeCipherSpec) => TlsFailureReason.UnexpectedChangeCipherSpec,
        (ReadEpoch.EarlyData or ReadEpoch.Application or ReadEpoch.Tls12Application, true, ContentType.Handshake or ContentType.Alert or ContentType.ApplicationData) => null,
        (ReadEpoch.Handshake or ReadEpoch.Tls12Handshake, true, ContentType.Handshake or ContentType.Alert) => null,
        (ReadEpoch.Handshake or ReadEpoch.Tls12Handshake, true, ContentType.ApplicationData) => TlsFailureReason.UnexpectedContentType,
        _ => TlsFailureReason.UnexpectedContentType,
    };

    public static bool IsTls13Keyed(ReadEpoch epoch) => epoch is ReadEpoch.EarlyData or ReadEpoch.Handshake or ReadEpoch.Application;
}
