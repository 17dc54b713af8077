using System;

namespace TlsEngine;

/// <summary>A TLS 1.3 NewSessionTicket kept by the client for a later resumption (RFC 8446 §4.6.1).</summary>
public sealed class TlsSessionTicket
{
    internal TlsSessionTicket(byte[] ticket, uint lifetimeSeconds, uint ageAdd, byte[] resumptionSecret, TlsCipherSuite suite, string? serverName, DateTimeOffset receivedAt, uint maxEarlyDataSize)
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

    /// <summary>The opaque ticket as the server sent it.</summary>
    public byte[] Ticket { get; }

    /// <summary>How long the server allows the ticket to be used, in seconds (at most 7 days).</summary>
    public uint LifetimeSeconds { get; }

    /// <summary>The value added to the ticket age to obfuscate it.</summary>
    public uint AgeAdd { get; }

    /// <summary>The suite the ticket's PSK is bound to.</summary>
    public TlsCipherSuite CipherSuite { get; }

    /// <summary>The server name the ticket was issued under.</summary>
    public string? ServerName { get; }

    /// <summary>When the ticket arrived, by the connection's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The server's max_early_data_size for this ticket; 0 when 0-RTT is not allowed.</summary>
    public uint MaxEarlyDataSize { get; }

    /// <summary>The PSK derived for this ticket (RFC 8446 §4.6.1).</summary>
    internal byte[] ResumptionSecret { get; }

    /// <summary>True when the ticket is past its lifetime at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => now - ReceivedAt > TimeSpan.FromSeconds(LifetimeSeconds);
}
