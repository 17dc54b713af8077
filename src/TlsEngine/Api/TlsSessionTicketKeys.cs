using System;
using TlsEngine.Crypto;
using TlsEngine.Handshake;

namespace TlsEngine;

/// <summary>
/// The server's ticket encryption keys, shared by every connection of a server: tickets are
/// sealed with AES-256-GCM under the current key, which rotates every
/// <see cref="RotationInterval"/>; the previous keys still open tickets until they age out.
/// Also the 0-RTT strike register: each ticket's early data is accepted at most once.
/// </summary>
public sealed class TlsSessionTicketKeys
{
    /// <summary>Creates a keyring; both sources default to the system's.</summary>
    public TlsSessionTicketKeys(TlsRandom? random = null, TimeProvider? timeProvider = null)
    {
        Ring = new TicketKeyRing(random ?? TlsRandom.System, timeProvider ?? TimeProvider.System);
    }

    /// <summary>How long a key seals new tickets before the next one takes over.</summary>
    public TimeSpan RotationInterval
    {
        get => Ring.RotationInterval;
        set => Ring.RotationInterval = value;
    }

    /// <summary>How many retired keys still open tickets.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count.</exception>
    public int RetiredKeysKept
    {
        get => Ring.RetiredKeysKept;
        set => Ring.RetiredKeysKept = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>Most ticket uses remembered for 0-RTT replay protection; past it, early data is refused.</summary>
    public int StrikeRegisterCapacity
    {
        get => Ring.StrikeRegisterCapacity;
        set => Ring.StrikeRegisterCapacity = value;
    }

    /// <summary>Most TLS 1.2 sessions kept for resumption by session id.</summary>
    public int SessionCacheCapacity
    {
        get => Ring.SessionCacheCapacity;
        set => Ring.SessionCacheCapacity = value;
    }

    /// <summary>The keys themselves, as the handshake uses them.</summary>
    internal TicketKeyRing Ring { get; }

    /// <summary>Starts a new current key now.</summary>
    public void Rotate() => Ring.Rotate();

    internal byte[] Seal(ICryptoProvider crypto, ReadOnlySpan<byte> state) => Ring.Seal(crypto, state);

    internal byte[]? Open(ICryptoProvider crypto, ReadOnlySpan<byte> ticket) => Ring.Open(crypto, ticket);
}
