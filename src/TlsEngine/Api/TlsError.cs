using System;

namespace TlsEngine;

/// <summary>A typed, secret-free description of a failure.</summary>
public sealed class TlsError
{
    /// <summary>Creates an error; its kind follows from the reason.</summary>
    public TlsError(TlsFailureReason reason, TlsAlertDescription alert, bool alertSent, string message)
    {
        Reason = reason;
        Kind = TlsFailureReasons.Kind(reason);
        Alert = alert;
        AlertSent = alertSent;
        Message = message ?? throw new ArgumentNullException(nameof(message));
    }

    /// <summary>What exactly went wrong; tests and hosts match on this, not on the message.</summary>
    public TlsFailureReason Reason { get; }

    /// <summary>The class of failure.</summary>
    public TlsErrorKind Kind { get; }

    /// <summary>The alert that was sent (or, for <see cref="TlsErrorKind.PeerAlert"/>, received).</summary>
    public TlsAlertDescription Alert { get; }

    /// <summary>
    /// True when the engine put this alert into Outbound; false when the peer sent it, or when our
    /// close_notify had already gone out and nothing may follow it.
    /// </summary>
    public bool AlertSent { get; }

    /// <summary>A human-readable explanation naming what was wrong.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}/{Reason} ({Alert}{(AlertSent ? " sent" : Reason is TlsFailureReason.PeerAlert or TlsFailureReason.PeerClosedDuringHandshake ? " received" : " not sent")}): {Message}";
}
