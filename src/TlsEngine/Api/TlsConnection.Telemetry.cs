namespace TlsEngine;

public sealed partial class TlsConnection
{
    private bool _handshakeStarted;
    private bool _handshakeEnded;
    private long _handshakeStartTimestamp;

    private void ObserveHandshakeStart()
    {
        _handshakeStarted = true;
        if (TlsTelemetry.Enabled)
        {
            _handshakeStartTimestamp = TlsTelemetry.Timestamp();
            TlsTelemetry.HandshakeStarted(IsServer);
        }
    }

    /// <summary>Reports the handshake's completion once, after whichever call completed it.</summary>
    private void ObserveHandshakeCompletion()
    {
        if (_handshakeEnded || !_context.IsConnected)
        {
            return;
        }

        _handshakeEnded = true;
        _context.ReleaseHandshakeStorage();
        if (TlsTelemetry.Enabled)
        {
            TlsTelemetry.HandshakeCompleted(IsServer, _context.Version, _context.IsResumed, _context.EarlyDataStatus, _handshakeStartTimestamp);
        }
    }

    /// <summary>A failure counts against the handshake only while one is under way.</summary>
    private void ObserveHandshakeFailure(TlsFailureReason reason, TlsAlertDescription alert)
    {
        if (!_handshakeStarted || _handshakeEnded || _context.IsConnected)
        {
            return;
        }

        _handshakeEnded = true;
        if (TlsTelemetry.Enabled)
        {
            TlsTelemetry.HandshakeFailed(IsServer, reason, alert);
        }
    }
}
