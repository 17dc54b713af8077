using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using TlsEngine.Handshake;

namespace TlsEngine;

/// <summary>
/// A session kept by the client for a later resumption: a TLS 1.3 ticket (RFC 8446 §4.6.1), or a
/// TLS 1.2 session with its ticket (RFC 5077) and/or session id.
/// </summary>
public sealed class TlsSessionTicket
{
    internal TlsSessionTicket(byte[] ticket, uint lifetimeSeconds, uint ageAdd, byte[] resumptionSecret, TlsCipherSuite suite, string? serverName, DateTimeOffset receivedAt, uint maxEarlyDataSize)
        : this(new SessionRecord(ticket, lifetimeSeconds, ageAdd, resumptionSecret, suite, serverName, receivedAt, maxEarlyDataSize))
    {
    }

    private TlsSessionTicket(SessionRecord record)
    {
        Record = record;
        record.PublicView = this;
    }

    /// <summary>The protocol version the session belongs to.</summary>
    public TlsVersion Version
    {
        get => Record.Version;
        internal set => Record.Version = value;
    }

    /// <summary>The opaque ticket as the server sent it (empty for a TLS 1.2 session resumed by id only).</summary>
    public byte[] Ticket => Record.Ticket;

    /// <summary>How long the server allows the ticket to be used, in seconds (at most 7 days).</summary>
    public uint LifetimeSeconds => Record.LifetimeSeconds;

    /// <summary>The value added to the ticket age to obfuscate it.</summary>
    public uint AgeAdd => Record.AgeAdd;

    /// <summary>The suite the ticket's PSK is bound to.</summary>
    public TlsCipherSuite CipherSuite => Record.CipherSuite;

    /// <summary>The server name the ticket was issued under.</summary>
    public string? ServerName => Record.ServerName;

    /// <summary>When the ticket arrived, by the connection's clock.</summary>
    public DateTimeOffset ReceivedAt => Record.ReceivedAt;

    /// <summary>The server's max_early_data_size for this ticket; 0 when 0-RTT is not allowed.</summary>
    public uint MaxEarlyDataSize => Record.MaxEarlyDataSize;

    /// <summary>The session as the handshake keeps it.</summary>
    internal SessionRecord Record { get; }

    /// <summary>The PSK derived for this ticket (RFC 8446 §4.6.1), or the TLS 1.2 master secret.</summary>
    internal byte[] ResumptionSecret => Record.ResumptionSecret;

    /// <summary>How the client that made the session checked the server's certificate (see <see cref="SessionRecord.VerifiedUnder"/>).</summary>
    internal object? VerifiedUnder
    {
        get => Record.VerifiedUnder;
        set => Record.VerifiedUnder = (VerificationScope?)value;
    }

    /// <summary>True when the ticket is past its lifetime at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => Record.IsExpired(now);

    /// <summary>The verification scope of <paramref name="options"/>, compared with <see cref="VerifiedUnder"/> before a session is offered.</summary>
    internal static VerificationScope VerificationOf(TlsClientOptions options) =>
        new(options.TrustAnchors?.Anchors, options.DangerousAcceptAnyServerCertificate, options.DangerousSkipHostNameCheck, options.DelegateCertificateValidation,
            OptionRules.Pins(options.CertificatePins, nameof(options.CertificatePins)),
            options.PeerCertificateTypes.Contains(TlsCertificateType.RawPublicKey) ? options.PinnedPeerPublicKeys.Select(key => (byte[])key.Clone()).ToArray() : null);

    /// <summary>The one public object for <paramref name="record"/>.</summary>
    internal static TlsSessionTicket Of(SessionRecord record) => record.PublicView as TlsSessionTicket ?? new TlsSessionTicket(record);
}

/// <summary>A live, read-only view of the sessions a connection received.</summary>
internal sealed class SessionTicketList : IReadOnlyList<TlsSessionTicket>
{
    private readonly List<SessionRecord> _records;

    public SessionTicketList(List<SessionRecord> records)
    {
        _records = records;
    }

    public int Count => _records.Count;

    public TlsSessionTicket this[int index] => TlsSessionTicket.Of(_records[index]);

    public IEnumerator<TlsSessionTicket> GetEnumerator()
    {
        foreach (SessionRecord record in _records)
        {
            yield return TlsSessionTicket.Of(record);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
