namespace TlsEngine;

/// <summary>What a driving call (<c>Connect</c>, <c>Accept</c>, <c>Read</c>, ...) asks the host to do next.</summary>
public enum TlsStatus
{
    /// <summary>Progress was made: the handshake is complete or data moved.</summary>
    Ok,

    /// <summary>More peer bytes are needed in <see cref="TlsConnection.Inbound"/>.</summary>
    WantRead,

    /// <summary><see cref="TlsConnection.Outbound"/> holds bytes the peer needs: send them, then call again.</summary>
    WantWrite,

    /// <summary>The peer sent close_notify: a clean end of the stream.</summary>
    Closed,

    /// <summary>The connection failed; see <see cref="TlsConnection.LastError"/> and drain Outbound (it holds the alert).</summary>
    Failed,
}

/// <summary>What became of 0-RTT data (RFC 8446 §4.2.10).</summary>
public enum TlsEarlyDataStatus
{
    /// <summary>No early data was sent or received.</summary>
    None,

    /// <summary>The server took the early data.</summary>
    Accepted,

    /// <summary>The client sent early data and the server discarded it; resend it if it matters.</summary>
    Rejected,
}
