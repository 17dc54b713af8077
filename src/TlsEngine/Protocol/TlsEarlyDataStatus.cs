namespace TlsEngine;

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
