using System;
using TlsEngine.Datagram;

namespace TlsEngine;

public sealed partial class DtlsConnection
{
    private bool _peerConnectionIdApplied;

    /// <summary>
    /// The connection id this side issued (<see cref="TlsDatagramOptions.ConnectionIdLength"/> random
    /// bytes, a copy), known from creation so that a server can register it in its routing table at once;
    /// null when connection ids are not wanted. Records carry it only once <see cref="ConnectionIdsNegotiated"/>.
    /// </summary>
    public byte[]? LocalConnectionId => _context.Config.ConnectionId is byte[] id ? (byte[])id.Clone() : null;

    /// <summary>The connection id the peer asked for, put on every protected record this side sends (a copy); null until negotiated.</summary>
    public byte[]? PeerConnectionId => _context.PeerConnectionId is byte[] id ? (byte[])id.Clone() : null;

    /// <summary>True once both hellos carried the connection_id extension (RFC 9146 §3, RFC 9147 §9).</summary>
    public bool ConnectionIdsNegotiated => _context.PeerConnectionId != null;

    /// <summary>
    /// True when the last datagram given to <see cref="ReceiveDatagram"/> held a record that authenticated
    /// and was newer (higher epoch and sequence number) than every record authenticated before it. Only
    /// then may a host move the peer's address to the datagram's source (RFC 9146 §6, RFC 9147 §9):
    /// an attacker can replay or reorder old datagrams from any address, but cannot forge a newer one.
    /// </summary>
    public bool LastDatagramAuthenticated { get; private set; }

    /// <summary>
    /// Reads the connection id of the first record of a datagram, for a host that routes datagrams by
    /// the ids its connections issued (all of one length, <paramref name="connectionIdLength"/>): a
    /// DTLS 1.3 record with the C bit (RFC 9147 §4) or a DTLS 1.2 tls12_cid record (RFC 9146 §4).
    /// Nothing is authenticated here: route the datagram, and trust its source address only after
    /// <see cref="LastDatagramAuthenticated"/>. False for a datagram without an id (a ClientHello, a
    /// plaintext record, a peer that does not use ids) or one too short.
    /// </summary>
    public static bool TryReadConnectionId(ReadOnlySpan<byte> datagram, int connectionIdLength, out ReadOnlySpan<byte> connectionId) =>
        DtlsRecordLayer.TryReadConnectionId(datagram, connectionIdLength, out connectionId);

    /// <summary>Once the hellos have settled the peer's id, every protected record written carries it.</summary>
    private void ApplyConnectionIds()
    {
        if (!_peerConnectionIdApplied && _context.PeerConnectionId is byte[] peer)
        {
            _peerConnectionIdApplied = true;
            _channel.Records.SetSendConnectionId(peer);
        }
    }
}
