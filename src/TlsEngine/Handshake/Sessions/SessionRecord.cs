using System;

namespace TlsEngine.Handshake;

/// <summary>
/// A session a client keeps for a later resumption: a TLS 1.3 ticket and its PSK (RFC 8446
/// §4.6.1), or a TLS 1.2 session with its ticket (RFC 5077) and/or session id.
/// </summary>
internal sealed class SessionRecord
{
    public SessionRecord(byte[] ticket, uint lifetimeSeconds, uint ageAdd, byte[] resumptionSecret, TlsCipherSuite suite, string? serverName, DateTimeOffset receivedAt, uint maxEarlyDataSize)
    {
        Ticket = ticket;
        LifetimeSeconds = lifetimeSeconds;
        AgeAdd = ageAdd;
        ResumptionSecret = resumptionSecret;
        CipherSuite = suite;
        ServerName = serverName;
        ReceivedAt = receivedAt;
        MaxEarlyDataSize = maxEarlyDataSize;
    }

    public TlsVersion Version { get; set; } = TlsVersion.Tls13;

    /// <summary>Received over DTLS: offered only by DTLS connections, as a stream ticket only by TLS ones.</summary>
    public bool Datagram { get; set; }

    /// <summary>TLS 1.2: the server's session id (empty when the server keeps no session cache).</summary>
    public byte[] SessionId { get; set; } = Array.Empty<byte>();

    /// <summary>The opaque ticket as the server sent it (empty for a TLS 1.2 session resumed by id only).</summary>
    public byte[] Ticket { get; }

    public uint LifetimeSeconds { get; }

    public uint AgeAdd { get; }

    public TlsCipherSuite CipherSuite { get; }

    public string? ServerName { get; }

    public DateTimeOffset ReceivedAt { get; }

    public uint MaxEarlyDataSize { get; }

    /// <summary>The PSK derived for this ticket (RFC 8446 §4.6.1), or the TLS 1.2 master secret.</summary>
    public byte[] ResumptionSecret { get; }

    /// <summary>
    /// How the client that made the session checked the server's certificate. A resumed session
    /// skips that check, so it is offered only under the same roots and the same checks.
    /// </summary>
    public VerificationScope? VerifiedUnder { get; set; }

    /// <summary>The host's view of this session, made once so that the cache and the connection hand out the same object.</summary>
    public object? PublicView { get; set; }

    public bool IsExpired(DateTimeOffset now) => now - ReceivedAt > TimeSpan.FromSeconds(LifetimeSeconds);
}
