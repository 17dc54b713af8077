namespace TlsEngine.Handshake;

/// <summary>
/// TLS 1.3 traffic secrets numbered as DTLS 1.3 numbers their epochs (RFC 9147 §6.1): the stream
/// channel only tells early data, handshake and application keys apart; a datagram channel puts the
/// number on its records.
/// </summary>
internal static class TrafficEpoch
{
    /// <summary>client_early_traffic_secret (0-RTT).</summary>
    public const ulong EarlyData = 1;

    /// <summary>[sender]_handshake_traffic_secret.</summary>
    public const ulong Handshake = 2;

    /// <summary>[sender]_application_traffic_secret_0; each KeyUpdate adds one.</summary>
    public const ulong Application = 3;
}
