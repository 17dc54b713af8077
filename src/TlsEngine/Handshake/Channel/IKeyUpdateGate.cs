namespace TlsEngine.Handshake;

/// <summary>
/// A channel on which a KeyUpdate takes effect later than it is sent: DTLS 1.3 switches to the new
/// write keys only once the peer acknowledged the KeyUpdate, and sends no further KeyUpdate before
/// then (RFC 9147 §8). The stream channel, where a KeyUpdate applies at once, does not implement it.
/// </summary>
internal interface IKeyUpdateGate
{
    /// <summary>A KeyUpdate was sent and is not yet acknowledged.</summary>
    bool WriteKeyUpdatePending { get; }
}
