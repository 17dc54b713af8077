using System;

namespace TlsEngine;

/// <summary>
/// Carries a failure from deep inside record or handshake processing up to the driving call,
/// which turns it into the connection's <c>LastError</c> and a fatal alert. It never leaves
/// the engine: peer bytes cannot make a public method throw.
/// </summary>
internal sealed class TlsFailureException : Exception
{
    /// <param name="reason">What went wrong; the kind and the alert follow from it.</param>
    /// <param name="message">A secret-free explanation for humans.</param>
    /// <param name="alert">Only where the alert is not the engine's to choose: a host's rejection, a TLS 1.2 client's missing certificate.</param>
    public TlsFailureException(TlsFailureReason reason, string message, TlsAlertDescription? alert = null)
        : base(message)
    {
        Reason = reason;
        Kind = TlsFailureReasons.Kind(reason);
        Alert = alert ?? TlsFailureReasons.Alert(reason);
    }

    public TlsFailureReason Reason { get; }

    public TlsErrorKind Kind { get; }

    public TlsAlertDescription Alert { get; }

    // Shorthands for the commonest reasons.
    public static TlsFailureException Decode(string message) => new(TlsFailureReason.MalformedMessage, message);

    public static TlsFailureException Unexpected(string message) => new(TlsFailureReason.UnexpectedMessage, message);

    public static TlsFailureException Illegal(string message) => new(TlsFailureReason.IllegalParameter, message);

    public static TlsFailureException Negotiation(string message) => new(TlsFailureReason.NoCommonParameters, message);

    public static TlsFailureException MissingExtension(string message) => new(TlsFailureReason.MissingExtension, message);

    public static TlsFailureException UnsupportedExtension(string message) => new(TlsFailureReason.UnsupportedExtension, message);

    public static TlsFailureException BadRecordMac() => new(TlsFailureReason.BadRecordMac, "A record failed authentication.");

    public static TlsFailureException RecordOverflow(string message) => new(TlsFailureReason.RecordOverflow, message);

    public static TlsFailureException Internal(string message) => new(TlsFailureReason.Internal, message);
}
