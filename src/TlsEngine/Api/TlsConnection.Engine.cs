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
    /// The buffer pair over the core: runs it on <see cref="Inbound"/>'s bytes, decrypting in place
    /// there, and copies application data into <paramref name="destination"/>; what does not fit, or
    /// arrives while only the handshake is wanted (0-RTT data), waits in the received queue.
    /// </summary>
    /// <returns>Bytes placed in <paramref name="destination"/>.</returns>
    private int RunInbound(bool wantData, Span<byte> destination)
    {
        while (true)
        {
            int consumed = 0;
            bool found = Run(Inbound.PeekWritable(), wantData, ref consumed, out Span<byte> plaintext);
            int delivered = 0;
            if (found)
            {
                delivered = wantData ? Math.Min(destination.Length, plaintext.Length) : 0;
                plaintext.Slice(0, delivered).CopyTo(destination);
                _received.WriteUnbounded(plaintext.Slice(delivered));
            }

            Inbound.Skip(consumed);
            if (!found || wantData)
            {
                return delivered;
            }
        }
    }

    /// <summary>
    /// Consumes whole records from <paramref name="input"/>, from <paramref name="consumed"/> on, until
    /// the goal is met (handshake complete, or application data found), the input runs out, or the
    /// pending output is full.
    /// </summary>
    /// <param name="input">Received bytes; records are decrypted in place.</param>
    /// <param name="wantData">Stop at, and hand back, the first application data.</param>
    /// <param name="consumed">Advanced past every record taken.</param>
    /// <param name="plaintext">Application data, decrypted in place: a slice of <paramref name="input"/>.</param>
    /// <returns>True when <paramref name="plaintext"/> holds application data.</returns>
    private bool Run(Span<byte> input, bool wantData, scoped ref int consumed, out Span<byte> plaintext)
    {
        plaintext = default;
        try
        {
            if (_state == null && !_handshakeStarted)
            {
                ObserveHandshakeStart();
            }

            _state ??= _context.Config is ServerConfig server ? new ExpectClientHello(server) : ClientHelloFlight.Start(_context, (ClientConfig)_context.Config);
            while (!_failed)
            {
                // Nothing moves while the host owes a decision or a signature.
                if (_state is AwaitHost waiting)
                {
                    if (!waiting.IsComplete)
                    {
                        return false;
                    }

                    _state = waiting.Resume(_context);
                    continue;
                }

                while (!_failed && _state is not AwaitHost && _context.Channel.TryTakeMessage(out HandshakeMessage message))
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
                        return false;
                    }
                }

                if ((_context.IsConnected && !wantData) || _peerClosed || Outbound.Length >= Outbound.Capacity)
                {
                    return false;
                }

                if (!_context.Records.TryReadRecord(input, ref consumed, out Record record))
                {
                    return false;
                }

                if (HandleRecord(record))
                {
                    plaintext = record.Content;
                    return true;
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
            ObserveHandshakeCompletion();
            FlushPendingWrites();
        }

        return false;
    }

    /// <returns>True when the record is application data with content, for the host.</returns>
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
                    return true;
                }

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
        bool sendAlert = TlsFailureReasons.AnsweredWithAlert(reason) && !_context.SentCloseNotify;

        _failed = true;
        LastError = new TlsError(reason, alert, sendAlert, message);
        ObserveHandshakeFailure(reason, alert);
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
