using System;
using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.KeySchedule;
using TlsEngine.Records;

namespace TlsEngine;

public sealed partial class TlsConnection
{
    /// <summary>
    /// Like <c>SSL_shutdown</c>: queues close_notify. <c>WantWrite</c> until Outbound is drained,
    /// then <c>Ok</c> (our side is closed) or <c>Closed</c> (both sides are). During the handshake it
    /// cancels it instead: user_canceled then close_notify (RFC 8446 §6.1), queued writes are dropped,
    /// nothing follows, and <see cref="LastError"/> says <see cref="TlsFailureReason.HandshakeCanceled"/>.
    /// </summary>
    public TlsStatus Shutdown()
    {
        ThrowIfDisposed();
        if (_failed && LastError?.Reason != TlsFailureReason.HandshakeCanceled)
        {
            return TlsStatus.Failed;
        }

        if (!_context.SentCloseNotify)
        {
            _context.SentCloseNotify = true;
            bool canceling = !_context.IsConnected;
            if (canceling)
            {
                // Nothing written during the handshake may follow the close_notify.
                _pendingWrites.Clear();
                _failed = true;
                LastError = new TlsError(TlsFailureReason.HandshakeCanceled, TlsAlertDescription.UserCanceled, alertSent: true, "The host shut the connection down before the handshake completed.");
                ObserveHandshakeFailure(TlsFailureReason.HandshakeCanceled, TlsAlertDescription.UserCanceled);
            }

            bool sent = TrySend(() =>
            {
                if (canceling)
                {
                    _context.Records.Write(ContentType.Alert, new byte[] { 1, (byte)TlsAlertDescription.UserCanceled }, Outbound);
                }

                _context.Records.Write(ContentType.Alert, new byte[] { 1, (byte)TlsAlertDescription.CloseNotify }, Outbound);
            });
            if (!sent)
            {
                return TlsStatus.Failed;
            }
        }

        if (Outbound.Length > 0)
        {
            return TlsStatus.WantWrite;
        }

        return _peerClosed ? TlsStatus.Closed : TlsStatus.Ok;
    }

    /// <summary>Sends KeyUpdate (RFC 8446 §4.6.3), optionally asking the peer to update its keys too.</summary>
    /// <exception cref="InvalidOperationException">The handshake is not complete.</exception>
    public TlsStatus RequestKeyUpdate(bool requestPeerUpdate)
    {
        ThrowIfDisposed();
        if (!_context.IsConnected || _failed || _context.SentCloseNotify || _context.Version != TlsVersion.Tls13)
        {
            throw new InvalidOperationException("KeyUpdate needs an established, open TLS 1.3 connection.");
        }

        return TrySend(() => Connected.SendKeyUpdate(_context, requestPeerUpdate)) ? TlsStatus.WantWrite : TlsStatus.Failed;
    }

    /// <summary>
    /// Keying material exporter: RFC 8446 §7.5 for TLS 1.3, RFC 5705 for TLS 1.2 (where an empty
    /// <paramref name="context"/> means "no context", as OpenSSL's <c>use_context = 0</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The handshake is not complete.</exception>
    public byte[] ExportKeyingMaterial(string label, ReadOnlySpan<byte> context, int length)
    {
        ThrowIfDisposed();
        if (!_context.IsConnected)
        {
            throw new InvalidOperationException("Keying material can be exported only after the handshake.");
        }

        if (_context.Version == TlsVersion.Tls12)
        {
            // RFC 5705 §4: the context is prefixed with a 16-bit length.
            if (label == null || length <= 0 || length > 65535 || context.Length > 0xFFFF)
            {
                throw new ArgumentException("Invalid exporter label or length.");
            }

            return new Tls12KeySchedule(_context.Crypto, _context.RequireSuite)
                .Export(_context.RequireMasterSecret12, _context.ClientRandom, _context.ServerRandom, label, context, length);
        }

        // RFC 8446 §7.1: HkdfLabel.label is opaque<7..255> and carries "tls13 " before the exporter's label.
        if (label == null || length <= 0 || length > 255 * _context.RequireHkdf.HashLength || label.Length > 255 - 6)
        {
            throw new ArgumentException("Invalid exporter label or length.");
        }

        Hkdf hkdf = _context.RequireHkdf;
        using IHashContext emptyHash = _context.Crypto.CreateHash(hkdf.Hash);
        using IHashContext contextHash = _context.Crypto.CreateHash(hkdf.Hash);
        return TrafficKeys.Export(hkdf, _context.RequireExporterSecret, label, context, length, emptyHash, contextHash);
    }

    /// <summary>RFC 8446 §5.5: a key that reached its AEAD's usage limit is replaced before it seals another record.</summary>
    private void UpdateExhaustedWriteKey()
    {
        if (_context.IsConnected && _context.Version == TlsVersion.Tls13)
        {
            Connected.SendKeyUpdate(_context, requestPeerUpdate: false);
        }
    }
}
