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
            _context.Records.Write(ContentType.ApplicationData, _pendingWrites.Peek(), Outbound);
            _pendingWrites.Skip(_pendingWrites.Length);
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
            _state ??= IsServer ? new ExpectClientHello(_serverOptions!) : ClientHelloFlight.Start(_context, _clientOptions!);
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
                    if (_context.IsConnected && ++_postHandshakeMessages > _context.Options.MaxPostHandshakeMessagesWithoutData)
                    {
                        throw new TlsFailureException(TlsFailureReason.TooManyPostHandshakeMessages, "Too many post-handshake messages without application data.");
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
            Fail(failure.Reason, failure.Alert, failure.Message, sendAlert: true);
        }
        catch (Exception ex)
        {
            // Last line of defence: peer bytes must never surface as an exception.
            Fail(TlsFailureReason.Internal, TlsAlertDescription.InternalError, $"Internal error ({ex.GetType().Name}).", sendAlert: true);
        }
        finally
        {
            FlushPendingWrites();
        }

        return 0;
    }

    /// <returns>True when the record was application data left in the caller's destination.</returns>
    private bool HandleRecord(Record record)
    {
        bool partial = _context.Reassembler.HasPartialMessage;
        _emptyRecordsInRow = record.Content.Length == 0 ? _emptyRecordsInRow + 1 : 0;
        // A peer could otherwise keep the engine busy forever with records that carry nothing.
        if (_emptyRecordsInRow > _context.Options.MaxEmptyRecordsInRow)
        {
            throw new TlsFailureException(TlsFailureReason.TooManyEmptyRecords, "Too many empty records in a row.");
        }

        switch (record.Type)
        {
            case ContentType.Handshake:
                _context.Reassembler.Add(record.Content);
                break;
            case ContentType.Alert:
                if (partial)
                {
                    throw TlsFailureException.Unexpected("An alert interrupted a fragmented handshake message.");
                }

                HandleAlert(record.Content);
                break;
            case ContentType.ChangeCipherSpec when _context.Version == TlsVersion.Tls12:
                if (record.Content.Length != 1 || record.Content[0] != 1 || partial || _context.IsConnected)
                {
                    throw TlsFailureException.Unexpected("Unexpected change_cipher_spec record.");
                }

                _state!.HandleChangeCipherSpec(_context);
                break;
            case ContentType.ChangeCipherSpec:
                // RFC 8446 §5: a single-byte 0x01 CCS is ignored during the handshake, and nothing else is.
                // Compatibility mode sends exactly one (RFC 8446 Appendix D.4).
                if (record.WasProtected || _context.IsConnected || record.Content.Length != 1 || record.Content[0] != 1 || ++_changeCipherSpecs > 1)
                {
                    throw TlsFailureException.Unexpected("Unexpected change_cipher_spec record.");
                }

                break;
            case ContentType.ApplicationData:
                if ((!_context.IsConnected && !_context.AcceptingEarlyData) || partial)
                {
                    throw TlsFailureException.Unexpected("Application data arrived before the handshake completed.");
                }

                if (_context.AcceptingEarlyData && (_context.EarlyDataReceived += record.Content.Length) > _context.MaxEarlyDataSize)
                {
                    throw TlsFailureException.Unexpected("The client sent more early data than max_early_data_size allows.");
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

    private void HandleAlert(ReadOnlySpan<byte> alert)
    {
        if (alert.Length != 2)
        {
            throw TlsFailureException.Decode("An alert record is not two bytes long.");
        }

        var description = (TlsAlertDescription)alert[1];
        if (description == TlsAlertDescription.CloseNotify)
        {
            if (!_context.IsConnected)
            {
                Fail(TlsFailureReason.PeerClosedDuringHandshake, description, "The peer closed the connection during the handshake.", sendAlert: false);
                return;
            }

            _peerClosed = true;
            return;
        }

        // RFC 8446 §6: user_canceled is the only alert that is not fatal.
        if (description == TlsAlertDescription.UserCanceled)
        {
            return;
        }

        Fail(TlsFailureReason.PeerAlert, description, $"The peer sent a fatal {description} alert.", sendAlert: false);
    }

    private void Fail(TlsFailureReason reason, TlsAlertDescription alert, string message, bool sendAlert)
    {
        if (_failed)
        {
            return;
        }

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
