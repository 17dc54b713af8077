using System;
using TlsEngine.Handshake;
using TlsEngine.Handshake.Client;
using TlsEngine.Handshake.Server;
using TlsEngine.Records;

namespace TlsEngine;

public sealed partial class TlsConnection
{
    /// <summary>Application data written during the handshake goes out right behind the final flight.</summary>
    private void FlushPendingWrites()
    {
        if (_context.IsConnected && !_failed && _pendingWrites.Length > 0)
        {
            TrySend(() => _context.Records.Write(ContentType.ApplicationData, _pendingWrites.Peek(), Outbound));
            _pendingWrites.Skip(_pendingWrites.Length);
        }
    }

    /// <summary>
    /// Sealing can fail too (a key at the end of its life ends the connection rather than reuse a
    /// nonce): the failure becomes LastError, never an exception out of the public API.
    /// </summary>
    private bool TrySend(Action send)
    {
        try
        {
            send();
            return true;
        }
        catch (TlsFailureException failure)
        {
            Fail(failure.Reason, failure.Alert, failure.Message);
            return false;
        }
    }

    private TlsStatus HandshakeStatus()
    {
        if (_failed)
        {
            return TlsStatus.Failed;
        }

        if (_state is AwaitHost { IsComplete: false } waiting)
        {
            return waiting.Decision == HostDecision.CertificateValidation ? TlsStatus.WantCertificateValidation : TlsStatus.WantPrivateKeyOperation;
        }

        if (Outbound.Length > 0)
        {
            return TlsStatus.WantWrite;
        }

        return _context.IsConnected ? TlsStatus.Ok : TlsStatus.WantRead;
    }

    /// <summary>
    /// Consumes whole records from Inbound until the goal is met (handshake complete, or
    /// application data available), input runs out, or Outbound is full.
    /// </summary>
    /// <param name="wantData">Stop once application data is available.</param>
    /// <param name="destination">The caller's read buffer: a record's plaintext may be decrypted straight into it.</param>
    /// <returns>Bytes of application data placed directly in <paramref name="destination"/>.</returns>
    private int Run(bool wantData, Span<byte> destination = default)
    {
        int direct = 0;
        try
        {
            _state ??= _context.Config is ServerConfig server ? new ExpectClientHello(server) : ClientHelloFlight.Start(_context, (ClientConfig)_context.Config);
            while (!_failed)
            {
                // Nothing moves while the host owes a decision or a signature.
                if (_state is AwaitHost waiting)
                {
                    if (!waiting.IsComplete)
                    {
                        return 0;
                    }

                    _state = waiting.Resume(_context);
                    continue;
                }

                while (!_failed && _state is not AwaitHost && _context.Reassembler.TryTake(out HandshakeMessage message))
                {
                    if (_context.IsConnected && ++_postHandshakeMessages > _context.Config.MaxPostHandshakeMessagesWithoutData)
                    {
                        throw new TlsFailureException(TlsFailureReason.TooManyPostHandshakeMessages, "Too many post-handshake messages without application data.");
                    }

                    if (HelloRequests.IgnoredDuringHandshake(_context, message))
                    {
                        continue;
                    }

                    _state = _state.Handle(_context, message);
                    if (_context.IsConnected && !wantData)
                    {
                        return 0;
                    }
                }

                if ((_context.IsConnected && !wantData) || (wantData && _received.Length > 0 && (_context.IsConnected || _context.AcceptingEarlyData))
                    || _peerClosed || Outbound.Length >= Outbound.Capacity)
                {
                    return 0;
                }

                // Straight into the caller's buffer only when nothing is queued ahead of this record.
                Span<byte> target = wantData && _received.Length == 0 && (_context.IsConnected || _context.AcceptingEarlyData) ? destination : default;
                if (!_context.Records.TryReadRecord(Inbound, out Record record, target))
                {
                    return direct;
                }

                if (HandleRecord(record))
                {
                    direct = record.Content.Length;
                    if (direct > 0)
                    {
                        return direct;
                    }
                }
            }
        }
        catch (TlsFailureException failure)
        {
            Fail(failure.Reason, failure.Alert, failure.Message);
        }
        catch (Exception ex)
        {
            // Last line of defence: peer bytes must never surface as an exception.
            Fail(TlsFailureReason.Internal, TlsAlertDescription.InternalError, $"Internal error ({ex.GetType().Name}).");
        }
        finally
        {
            FlushPendingWrites();
        }

        return 0;
    }

    /// <returns>True when the record was application data left in the caller's destination.</returns>
    /// <remarks>The record layer already applied the record policy: only legal records arrive here.</remarks>
    private bool HandleRecord(Record record)
    {
        switch (record.Type)
        {
            case ContentType.ChangeCipherSpec:
                _state!.HandleChangeCipherSpec(_context);
                break;
            case ContentType.Alert:
                // The record layer passes up only close_notify; warnings were absorbed and fatal alerts failed there.
                if (!_context.IsConnected)
                {
                    throw new TlsFailureException(TlsFailureReason.PeerClosedDuringHandshake, "The peer closed the connection during the handshake.");
                }

                _peerClosed = true;
                break;
            case ContentType.ApplicationData:
                if (!_context.IsConnected && !_context.AcceptingEarlyData)
                {
                    // The record policy already refuses this in every epoch before the handshake ends; the check
                    // stays so that a mistake in when an epoch is entered fails closed.
                    throw new TlsFailureException(TlsFailureReason.UnexpectedContentType, "Application data arrived before the handshake completed.");
                }

                if (record.Content.Length > 0)
                {
                    _postHandshakeMessages = 0;
                }

                if (record.InDestination)
                {
                    return true;
                }

                _received.WriteUnbounded(record.Content);
                break;
        }

        return false;
    }

    private void Fail(TlsFailureReason reason, TlsAlertDescription alert, string message)
    {
        if (_failed)
        {
            return;
        }

        // An alert the peer sent, or its close, is answered with silence; so is anything after our own
        // close_notify, which promised the peer no further messages (RFC 8446 §6.1).
        bool sendAlert = reason is not (TlsFailureReason.PeerAlert or TlsFailureReason.PeerClosedDuringHandshake) && !_context.SentCloseNotify;

        _failed = true;
        LastError = new TlsError(reason, alert, sendAlert, message);
        if (sendAlert)
        {
            try
            {
                _context.Records.Write(ContentType.Alert, new byte[] { 2, (byte)alert }, Outbound);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The error is recorded; an alert that cannot be framed is simply not sent.
            }
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(TlsConnection));
        }
    }
}
