using System;
using TlsEngine.Handshake;
using TlsEngine.Records;

namespace TlsEngine;

public sealed partial class DtlsConnection
{
    private TlsStatus Status()
    {
        if (_failed)
        {
            return TlsStatus.Failed;
        }

        if (_channel.PendingDatagrams > 0)
        {
            return TlsStatus.WantWrite;
        }

        if (_closeSent || _channel.PeerClosed)
        {
            return TlsStatus.Closed;
        }

        return IsHandshakeComplete ? TlsStatus.Ok : TlsStatus.WantRead;
    }

    /// <summary>
    /// Reads the datagram record by record, handing the handshake what each one completes before
    /// the next record is read (a message may install the keys the next record needs), then writes
    /// what the step produced: a new flight, a retransmission, an ACK.
    /// </summary>
    private void Process(Span<byte> datagram)
    {
        try
        {
            int offset = 0;
            while (offset < datagram.Length && !_failed)
            {
                _channel.ReadRecord(datagram, ref offset);
                Drive();
            }

            while (!_failed && _channel.ReadHeldRecord())
            {
                Drive();
            }

            if (!_failed)
            {
                SendDueKeyUpdate();
                _channel.Flush();
            }
        }
        catch (TlsFailureException failure)
        {
            Fail(failure.Reason, failure.Alert, failure.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Last line of defence: peer bytes must never surface as an exception.
            Fail(TlsFailureReason.Internal, TlsAlertDescription.InternalError, $"Internal error ({ex.GetType().Name}).");
        }
    }

    /// <summary>Hands the states every complete message, and DTLS 1.2's change_cipher_spec once a state expects it.</summary>
    private void Drive()
    {
        while (!_failed)
        {
            if (_channel.TryTakeMessage(out HandshakeMessage message))
            {
                _state = _state!.Handle(_context, message);
                ApplyConnectionIds();
            }
            else if (_channel.ChangeCipherSpecPending && _state is Tls12Finished)
            {
                // RFC 6347 §4.1: change_cipher_spec is unordered with the messages; it applies when the
                // messages before it are through, which is when a state expects it.
                _channel.ChangeCipherSpecPending = false;
                _state.HandleChangeCipherSpec(_context);
            }
            else
            {
                return;
            }

            if (_context.IsConnected)
            {
                _channel.MarkHandshakeComplete();
            }
        }
    }

    private void Guarded(Action step)
    {
        try
        {
            step();
            ApplyConnectionIds();
            if (_context.IsConnected)
            {
                _channel.MarkHandshakeComplete();
            }

            SendDueKeyUpdate();
            _channel.Flush();
        }
        catch (TlsFailureException failure)
        {
            Fail(failure.Reason, failure.Alert, failure.Message);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or ArgumentException or InvalidOperationException))
        {
            Fail(TlsFailureReason.Internal, TlsAlertDescription.InternalError, $"Internal error ({ex.GetType().Name}).");
        }
    }

    private void Fail(TlsFailureReason reason, TlsAlertDescription alert, string message)
    {
        if (_failed)
        {
            return;
        }

        bool sendAlert = TlsFailureReasons.AnsweredWithAlert(reason) && !_closeSent;
        _failed = true;
        if (sendAlert)
        {
            try
            {
                _channel.SendAlert(alert);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An alert that cannot be written (say, under a write key at its usage limit) is not sent.
                sendAlert = false;
            }
        }

        LastError = new TlsError(reason, alert, sendAlert, message);
    }

    /// <summary>What cannot work over datagrams yet is refused, naming the option.</summary>
    private static void RefuseStreamOnlyOptions(TlsOptions options)
    {
        static void Refuse(bool set, string option, string why)
        {
            if (set)
            {
                throw new ArgumentException($"{option} is not supported over datagrams: {why}.", option);
            }
        }

        if (options is TlsClientOptions client)
        {
            Refuse(client.EarlyData != null, nameof(TlsClientOptions.EarlyData), "DTLS connections do not send 0-RTT data");
            Refuse(client.DelegateCertificateValidation, nameof(TlsClientOptions.DelegateCertificateValidation), "DTLS connections validate certificates themselves");
        }
        else if (options is TlsServerOptions server)
        {
            Refuse(server.MaxEarlyDataSize > 0, nameof(TlsServerOptions.MaxEarlyDataSize), "DTLS connections do not accept 0-RTT data");
            Refuse(server.DelegatePrivateKeyOperations, nameof(TlsServerOptions.DelegatePrivateKeyOperations), "DTLS connections sign with the configured key");
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(DtlsConnection));
        }
    }
}
