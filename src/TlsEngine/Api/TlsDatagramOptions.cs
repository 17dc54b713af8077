using System;

namespace TlsEngine;

/// <summary>
/// How a <see cref="DtlsConnection"/> uses its datagram transport: the largest datagram, the
/// handshake retransmission timer (RFC 9147 §5.8.2, RFC 6347 §4.2.4.1) and, on a server, the
/// stateless address check. Read when a connection is created; one instance may serve many.
/// </summary>
public sealed class TlsDatagramOptions
{
    /// <summary>The smallest <see cref="Mtu"/> accepted: room for a record and a useful fragment.</summary>
    public const int MinMtu = 256;

    private readonly object _lock = new();
    private byte[]? _randomCookieKey;

    /// <summary>
    /// The most payload bytes per datagram this side sends (the path MTU less the IP and UDP headers).
    /// Handshake messages are fragmented to fit; an application message must fit one datagram.
    /// Below <see cref="MinMtu"/> is refused at creation.
    /// </summary>
    public int Mtu { get; set; } = 1200;

    /// <summary>The first retransmission timeout; it doubles at each retransmission (RFC 9147 §5.8.2).</summary>
    public TimeSpan InitialRetransmitTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The timeout stops doubling here.</summary>
    public TimeSpan MaxRetransmitTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retransmissions of one flight on the timer before the handshake fails with <see cref="TlsFailureReason.HandshakeTimedOut"/>.</summary>
    public int MaxRetransmissions { get; set; } = 7;

    /// <summary>
    /// Server: the HMAC key of the stateless cookies (at least 16 bytes). Give every connection of
    /// one server the same key, so that a cookie issued by one verifies on whichever connection the
    /// client's second ClientHello reaches. Null: a random key made once for this options instance.
    /// </summary>
    public byte[]? CookieKey { get; set; }

    /// <summary>
    /// Server: answer a ClientHello without a valid cookie with a stateless HelloRetryRequest (DTLS 1.3,
    /// RFC 9147 §5.1) or HelloVerifyRequest (DTLS 1.2, RFC 6347 §4.2.1) before doing work for it.
    /// </summary>
    public bool ValidatePeerAddress { get; set; } = true;

    /// <summary>The longest connection id (RFC 9146 §3: a one-byte length).</summary>
    public const int MaxConnectionIdLength = 255;

    /// <summary>
    /// Connection ids (RFC 9146 for DTLS 1.2, RFC 9147 §9 for DTLS 1.3). Null (the default): none are
    /// offered or answered. 1 to 255: each connection makes a random id of this many bytes
    /// (<see cref="DtlsConnection.LocalConnectionId"/>) and asks the peer to put it on every protected
    /// record it sends, so that a host can route a datagram by it (<see cref="DtlsConnection.TryReadConnectionId"/>)
    /// whatever address it came from. 0: this side puts the peer's id on its records but asks for none.
    /// Ids are used only when both sides want them; a constant length per server lets the host parse
    /// them. Outside 0..255 is refused at creation.
    /// </summary>
    public int? ConnectionIdLength { get; set; }

    /// <summary>Refuses inconsistent settings with an <see cref="ArgumentException"/> naming the option.</summary>
    internal void Validate()
    {
        if (Mtu < MinMtu)
        {
            throw new ArgumentException($"{nameof(Mtu)} must be at least {MinMtu} bytes.", nameof(Mtu));
        }

        if (InitialRetransmitTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(InitialRetransmitTimeout)} must be positive.", nameof(InitialRetransmitTimeout));
        }

        if (MaxRetransmitTimeout < InitialRetransmitTimeout)
        {
            throw new ArgumentException($"{nameof(MaxRetransmitTimeout)} must not be below {nameof(InitialRetransmitTimeout)}.", nameof(MaxRetransmitTimeout));
        }

        if (MaxRetransmissions < 0)
        {
            throw new ArgumentException($"{nameof(MaxRetransmissions)} must not be negative.", nameof(MaxRetransmissions));
        }

        if (ConnectionIdLength is < 0 or > MaxConnectionIdLength)
        {
            throw new ArgumentException($"{nameof(ConnectionIdLength)} must be between 0 and {MaxConnectionIdLength}.", nameof(ConnectionIdLength));
        }

        if (CookieKey != null && CookieKey.Length < 16)
        {
            throw new ArgumentException($"{nameof(CookieKey)} must be at least 16 bytes.", nameof(CookieKey));
        }
    }

    /// <summary>The configured cookie key (a copy), or the random one of this instance.</summary>
    internal byte[] EffectiveCookieKey(TlsRandom random)
    {
        if (CookieKey != null)
        {
            return (byte[])CookieKey.Clone();
        }

        lock (_lock)
        {
            _randomCookieKey ??= random.GetBytes(32);
            return _randomCookieKey;
        }
    }
}
