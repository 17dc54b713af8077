using System;
using TlsEngine.Handshake;

namespace TlsEngine;

public sealed partial class TlsConnection
{
    /// <summary>While <see cref="TlsStatus.WantCertificateValidation"/>: the built-in validator's objection, or null when it found none.</summary>
    public TlsError? PendingCertificateVerdict =>
        _state is AwaitHost { Decision: HostDecision.CertificateValidation } && _context.PendingVerdict is { } verdict
            ? new TlsError(verdict.Reason, verdict.Alert, alertSent: false, verdict.Message)
            : null;

    /// <summary>While <see cref="TlsStatus.WantPrivateKeyOperation"/>: what to sign.</summary>
    public TlsPrivateKeyOperation? PendingPrivateKeyOperation =>
        _state is AwaitHost { Decision: HostDecision.PrivateKeyOperation } && _context.PendingSignature is { } request
            ? new TlsPrivateKeyOperation(request.Scheme, request.Data)
            : null;

    /// <summary>Accepts or rejects the peer's chain; call the driving method again afterwards.</summary>
    /// <exception cref="InvalidOperationException">No validation is pending.</exception>
    public void CompleteCertificateValidation(bool accept, TlsAlertDescription rejectionAlert = TlsAlertDescription.BadCertificate, string? reason = null)
    {
        if (_state is not AwaitHost { Decision: HostDecision.CertificateValidation } waiting || waiting.IsComplete)
        {
            throw new InvalidOperationException("No certificate validation is pending.");
        }

        waiting.Accepted = accept;
        waiting.RejectionAlert = rejectionAlert;
        waiting.RejectionReason = reason;
    }

    /// <summary>Supplies the signature the engine asked for; call the driving method again afterwards.</summary>
    /// <exception cref="InvalidOperationException">No private key operation is pending.</exception>
    public void CompletePrivateKeyOperation(byte[] signature)
    {
        if (_state is not AwaitHost { Decision: HostDecision.PrivateKeyOperation } waiting || waiting.IsComplete)
        {
            throw new InvalidOperationException("No private key operation is pending.");
        }

        waiting.Signature = signature ?? throw new ArgumentNullException(nameof(signature));
    }
}
