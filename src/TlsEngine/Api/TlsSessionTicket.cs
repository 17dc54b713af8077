using System;

namespace TlsEngine;

/// <summary>
/// A session kept by the client for a later resumption: a TLS 1.3 ticket (RFC 8446 §4.6.1), or a
/// TLS 1.2 session with its ticket (RFC 5077) and/or session id.
/// </summary>
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

    /// <summary>The protocol version the session belongs to.</summary>
    public TlsVersion Version { get; internal set; } = TlsVersion.Tls13;

    /// <summary>TLS 1.2: the server's session id (empty when the server keeps no session cache).</summary>
    internal byte[] SessionId { get; set; } = Array.Empty<byte>();

    /// <summary>The opaque ticket as the server sent it (empty for a TLS 1.2 session resumed by id only).</summary>
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

    /// <summary>The PSK derived for this ticket (RFC 8446 §4.6.1), or the TLS 1.2 master secret.</summary>
    internal byte[] ResumptionSecret { get; }

    /// <summary>
    /// How the client that made the session checked the server's certificate. A resumed session
    /// skips that check, so a ticket is offered only under the same roots and the same checks: a
    /// cache shared with a client that skipped the name check (or every check) must not let its
    /// sessions stand in for a verified server.
    /// </summary>
    internal object? VerifiedUnder { get; set; }

    /// <summary>The verification scope of <paramref name="options"/>, compared with <see cref="VerifiedUnder"/> before a session is offered.</summary>
    internal static object VerificationOf(TlsClientOptions options) =>
        new VerificationScope(options.TrustAnchors, options.DangerousAcceptAnyServerCertificate, options.DangerousSkipHostNameCheck, options.DelegateCertificateValidation);

    /// <summary>True when the ticket is past its lifetime at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => now - ReceivedAt > TimeSpan.FromSeconds(LifetimeSeconds);
}

/// <summary>The roots (null is the machine's) and the flags that decide how a server's certificate is checked.</summary>
internal sealed class VerificationScope : IEquatable<VerificationScope>
{
    private readonly TlsTrustAnchors? _anchors;
    private readonly int _flags;

    public VerificationScope(TlsTrustAnchors? anchors, bool acceptAny, bool skipName, bool delegated)
    {
        _anchors = anchors;
        _flags = (acceptAny ? 1 : 0) | (skipName ? 2 : 0) | (delegated ? 4 : 0);
    }

    public bool Equals(VerificationScope? other) => other != null && _flags == other._flags && SameRoots(_anchors, other._anchors);

    public override bool Equals(object? obj) => Equals(obj as VerificationScope);

    public override int GetHashCode() => _flags;

    // Hosts often load the same roots anew for each connection: the certificates decide, not the instance.
    private static bool SameRoots(TlsTrustAnchors? a, TlsTrustAnchors? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a == null || b == null || a.Anchors.Count != b.Anchors.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Anchors.Count; i++)
        {
            if (!a.Anchors[i].Der.AsSpan().SequenceEqual(b.Anchors[i].Der))
            {
                return false;
            }
        }

        return true;
    }
}
