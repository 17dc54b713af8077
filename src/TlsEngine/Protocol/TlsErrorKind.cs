namespace TlsEngine;

/// <summary>Why a connection failed.</summary>
public enum TlsErrorKind
{
    /// <summary>The peer broke the protocol: malformed, unexpected or illegal bytes.</summary>
    Protocol,

    /// <summary>The peer's certificate or its proof of possession was not acceptable.</summary>
    Certificate,

    /// <summary>The peer sent a fatal alert.</summary>
    PeerAlert,

    /// <summary>The connection was already closed.</summary>
    Closed,

    /// <summary>The two sides share no acceptable parameters (version, suite, group, ALPN).</summary>
    Negotiation,

    /// <summary>A configured limit was reached.</summary>
    Limit,

    /// <summary>A failure inside the engine or its crypto provider.</summary>
    Internal,
}
