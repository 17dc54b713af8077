using System;

namespace TlsEngine;

/// <summary>
/// Carries a failure from deep inside record or handshake processing up to the driving call,
/// which turns it into <see cref="TlsConnection.LastError"/> and a fatal alert. It never leaves
/// the engine: peer bytes cannot make a public method throw.
/// </summary>
internal sealed class TlsFailureException : Exception
{
    public TlsFailureException(TlsErrorKind kind, TlsAlertDescription alert, string message)
        : base(message)
    {
        Kind = kind;
        Alert = alert;
    }

    public TlsErrorKind Kind { get; }

    public TlsAlertDescription Alert { get; }

    // The kind-to-alert choices live here so call sites state what went wrong, not which alert to send.
    public static TlsFailureException Decode(string message) => new(TlsErrorKind.Protocol, TlsAlertDescription.DecodeError, message);

    public static TlsFailureException Unexpected(string message) => new(TlsErrorKind.Protocol, TlsAlertDescription.UnexpectedMessage, message);

    public static TlsFailureException Illegal(string message) => new(TlsErrorKind.Protocol, TlsAlertDescription.IllegalParameter, message);

    public static TlsFailureException Negotiation(string message) => new(TlsErrorKind.Negotiation, TlsAlertDescription.HandshakeFailure, message);

    public static TlsFailureException MissingExtension(string message) => new(TlsErrorKind.Protocol, TlsAlertDescription.MissingExtension, message);

    public static TlsFailureException UnsupportedExtension(string message) => new(TlsErrorKind.Protocol, TlsAlertDescription.UnsupportedExtension, message);

    public static TlsFailureException DecryptError(string message) => new(TlsErrorKind.Protocol, TlsAlertDescription.DecryptError, message);

    public static TlsFailureException BadRecordMac() => new(TlsErrorKind.Protocol, TlsAlertDescription.BadRecordMac, "A record failed authentication.");

    public static TlsFailureException RecordOverflow(string message) => new(TlsErrorKind.Protocol, TlsAlertDescription.RecordOverflow, message);

    public static TlsFailureException Limit(string message, TlsAlertDescription alert = TlsAlertDescription.IllegalParameter) => new(TlsErrorKind.Limit, alert, message);

    public static TlsFailureException Certificate(TlsAlertDescription alert, string message) => new(TlsErrorKind.Certificate, alert, message);

    public static TlsFailureException Internal(string message) => new(TlsErrorKind.Internal, TlsAlertDescription.InternalError, message);
}
