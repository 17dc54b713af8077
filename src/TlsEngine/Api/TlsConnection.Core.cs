using System;
using TlsEngine.Records;

namespace TlsEngine;

/// <summary>
/// The caller-buffered core: the host owns every byte. Received records are decrypted in place in
/// the host's buffer and their plaintext handed back as slices of it; outgoing records are sealed
/// straight into the host's span. The buffer pair (<see cref="Inbound"/>, <see cref="Outbound"/>,
/// <see cref="Read"/>, <see cref="Write"/>) is built on the same record path.
/// </summary>
public sealed partial class TlsConnection
{
    /// <summary>
    /// Bytes the engine has produced and the host has not yet taken with <see cref="Transmit"/> or
    /// <see cref="Send"/>: handshake flights, alerts, KeyUpdate and the answers to the peer's messages.
    /// </summary>
    public int PendingTransmit => Outbound.Length;

    /// <summary>
    /// Processes the records at the start of <paramref name="received"/> (the host's own buffer,
    /// bytes in the order they arrived). Handshake records drive the handshake; the first application
    /// data record is decrypted in place and returned as <paramref name="plaintext"/>, a slice of
    /// <paramref name="received"/>. The first <paramref name="consumed"/> bytes are then done with:
    /// the host reads the plaintext first, then drops them and keeps the rest (a partial record) for
    /// the next call. Any split of the input works.
    /// </summary>
    /// <returns>
    /// <c>Ok</c> with <paramref name="plaintext"/> when data arrived, or with none when the handshake
    /// completed in this call and nothing waits to be sent; <c>WantWrite</c> when the engine has
    /// bytes to send (call <see cref="Transmit"/>); <c>WantRead</c> when it needs more input;
    /// <c>Closed</c> after the peer's close_notify; <c>Failed</c> with the alert waiting for
    /// <see cref="Transmit"/>; or a host decision the handshake waits for.
    /// </returns>
    public TlsStatus Receive(Span<byte> received, out int consumed, out Span<byte> plaintext)
    {
        ThrowIfDisposed();
        consumed = 0;
        plaintext = default;
        if (_failed)
        {
            return TlsStatus.Failed;
        }

        bool wasConnected = _context.IsConnected;
        if (!_peerClosed && Run(received, wantData: true, ref consumed, out plaintext))
        {
            return TlsStatus.Ok;
        }

        // The handshake completed in this call with nothing left to send (a TLS 1.2 client, after the
        // server's Finished): Ok tells the host it may Send now rather than wait for the peer.
        if (!wasConnected && _context.IsConnected && !_failed && Outbound.Length == 0)
        {
            return TlsStatus.Ok;
        }

        if (_failed || !_context.IsConnected)
        {
            return HandshakeStatus();
        }

        if (_peerClosed)
        {
            return TlsStatus.Closed;
        }

        return Outbound.Length > 0 ? TlsStatus.WantWrite : TlsStatus.WantRead;
    }

    /// <summary>
    /// Copies pending bytes (<see cref="PendingTransmit"/>) into <paramref name="output"/>; on a client
    /// that has not started, produces the ClientHello first. <c>WantWrite</c> while bytes remain for
    /// another call; otherwise the handshake's status (<c>WantRead</c> while it waits for the peer,
    /// <c>Ok</c> once it is complete, <c>Failed</c> after the alert has been taken).
    /// </summary>
    public TlsStatus Transmit(Span<byte> output, out int written)
    {
        ThrowIfDisposed();
        if (_state == null && !_failed)
        {
            int none = 0;
            Run(default, wantData: false, ref none, out _);
        }

        written = Outbound.Read(output);
        if (Outbound.Length > 0)
        {
            return TlsStatus.WantWrite;
        }

        if (_context.IsConnected && !_failed)
        {
            return _peerClosed ? TlsStatus.Closed : TlsStatus.Ok;
        }

        return HandshakeStatus();
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> straight into <paramref name="output"/>, the host's send
    /// buffer, behind any pending bytes (which go first): records of up to 2^14 bytes (or the peer's
    /// record size limit, RFC 8449), smaller when
    /// <paramref name="output"/> has less room. The plaintext may lie in <paramref name="output"/>
    /// itself (the engine moves it before sealing). <c>Ok</c> when all of it was taken;
    /// <c>WantWrite</c> when <paramref name="output"/> filled up first: send it and call again with
    /// the rest (<see cref="GetSendSize"/> says how much room all of it needs). Before the handshake
    /// completes nothing is taken, pending handshake bytes are copied, and the handshake's status is returned.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called after <see cref="Shutdown"/>.</exception>
    public TlsStatus Send(ReadOnlySpan<byte> plaintext, Span<byte> output, out int consumed, out int written)
    {
        ThrowIfDisposed();
        consumed = 0;
        if (_context.SentCloseNotify)
        {
            throw new InvalidOperationException("Send() after Shutdown().");
        }

        if (!_context.IsConnected || _failed)
        {
            return Transmit(output, out written);
        }

        written = Outbound.Read(output);
        try
        {
            while (consumed < plaintext.Length && Outbound.Length == 0)
            {
                if (_context.Records.WriteKeyExhaustedNow)
                {
                    // RFC 8446 §5.5: the KeyUpdate goes out ahead of the next record, through the pending queue.
                    UpdateExhaustedWriteKey();
                    written += Outbound.Read(output.Slice(written));
                    continue;
                }

                int overhead = _context.Records.SealedLength(ContentType.ApplicationData, 0);
                int take = Math.Min(Math.Min(plaintext.Length - consumed, _context.Records.MaxSendFragment), output.Length - written - overhead);
                if (take <= 0)
                {
                    break;
                }

                written += _context.Records.WriteRecord(ContentType.ApplicationData, plaintext.Slice(consumed, take), output.Slice(written));
                consumed += take;
            }
        }
        catch (TlsFailureException failure)
        {
            // A key at the end of its life ends the connection rather than reuse a nonce.
            Fail(failure.Reason, failure.Alert, failure.Message);
            return TlsStatus.Failed;
        }

        return consumed == plaintext.Length && Outbound.Length == 0 ? TlsStatus.Ok : TlsStatus.WantWrite;
    }

    /// <summary>
    /// The room <see cref="Send"/> needs to take all of <paramref name="plaintextLength"/> bytes in one
    /// call: the pending bytes, full records and a KeyUpdate the engine may have to send first.
    /// Valid once the handshake is complete.
    /// </summary>
    public int GetSendSize(int plaintextLength)
    {
        if (plaintextLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(plaintextLength));
        }

        int fragment = _context.Records.MaxSendFragment;
        int records = (plaintextLength + fragment - 1) / fragment;
        int overhead = _context.Records.SealedLength(ContentType.ApplicationData, 0);
        return Outbound.Length + plaintextLength + (records * overhead)
            + (_context.Records.KeyUpdatesWithin(records) * RecordLayer.KeyUpdateRecordLength);
    }
}
