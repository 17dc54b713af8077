using System;
using TlsEngine.Datagram;
using TlsEngine.Handshake;

namespace TlsEngine;

public sealed partial class DtlsConnection
{
    /// <summary>
    /// Sends a KeyUpdate (RFC 9147 §8, RFC 8446 §4.6.3) as its own flight, optionally asking the peer
    /// to update its keys too. This side keeps writing under its current keys until the peer
    /// acknowledges the KeyUpdate, then switches; while an earlier KeyUpdate waits for its ACK, the new
    /// one is sent once that ACK arrives (several such requests make one KeyUpdate).
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection is not an established, open DTLS 1.3 connection.</exception>
    public TlsStatus RequestKeyUpdate(bool requestPeerUpdate)
    {
        ThrowIfDisposed();
        if (!IsHandshakeComplete || _failed || _closeSent || NegotiatedVersion != TlsVersion.Tls13)
        {
            throw new InvalidOperationException("KeyUpdate needs an established, open DTLS 1.3 connection.");
        }

        Guarded(() => Connected.SendKeyUpdate(_context, requestPeerUpdate));
        return Status();
    }

    /// <summary>The channel, for tests that lower key usage limits or look at epochs.</summary>
    internal DatagramHandshakeChannel Channel => _channel;

    /// <summary>
    /// After each step: a KeyUpdate owed while the last one waited for its ACK goes out now, and a
    /// write key past half its usage limit is replaced (RFC 8446 §5.5, RFC 9147 §4.5.3).
    /// </summary>
    private void SendDueKeyUpdate()
    {
        if (_failed || _closeSent || !IsHandshakeComplete || NegotiatedVersion != TlsVersion.Tls13 || _channel.WriteKeyUpdatePending)
        {
            return;
        }

        if (_context.KeyUpdateOwed)
        {
            bool request = _context.KeyUpdateRequestOwed;
            _context.KeyUpdateOwed = false;
            _context.KeyUpdateRequestOwed = false;
            Connected.SendKeyUpdate(_context, request);
        }
        else if (_channel.WriteKeyWearingOut)
        {
            Connected.SendKeyUpdate(_context, requestPeerUpdate: false);
        }
    }
}
