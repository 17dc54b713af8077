using System;
using TlsEngine.Handshake;
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
    /// <exception cref="InvalidOperationException">The buffer pair's Inbound or Read queue holds data on this connection.</exception>
    public TlsStatus Receive(Span<byte> received, out int consumed, out Span<byte> plaintext)
    {
        ThrowIfDisposed();
        consumed = 0;
        plaintext = default;
        if (Inbound.Length > 0 || _received.Length > 0)
        {
            // Bytes or plaintext already queued by the buffer pair would be skipped or reordered.
            throw new InvalidOperationException("Receive() on a connection whose Inbound or Read queue holds data: use one input API per connection.");
        }

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

        return NoDataStatus();
    }

    /// <summary>
    /// Copies pending bytes (<see cref="PendingTransmit"/>) into <paramref name="output"/>; on a client
    /// that has not started, produces the ClientHello first, and after a completed host decision
    /// (<see cref="CompletePrivateKeyOperation"/>, <see cref="CompleteCertificateValidation"/>) the rest of the flight. <c>WantWrite</c> while bytes remain for
    /// another call; otherwise the handshake's status (<c>WantRead</c> while it waits for the peer,
    /// <c>Ok</c> once it is complete, <c>Failed</c> after the alert has been taken).
    /// </summary>
    public TlsStatus Transmit(Span<byte> output, out int written)
    {
        ThrowIfDisposed();
        // A decision the host has just completed resumes here too: after CompletePrivateKeyOperation the
        // host's next call may well be Transmit, and the rest of the flight must be in what it takes.
        if ((_state == null || _state is AwaitHost { IsComplete: true }) && !_failed)
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
    /// itself: the engine never overwrites plaintext it has not taken. Given <see cref="GetSendSize"/>
    /// bytes it takes all of it (moving it within <paramref name="output"/> first when records would
    /// reach it); given less, it takes only records that end before the plaintext that remains.
    /// <c>Ok</c> when all of it was taken;
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
            // Nothing is taken: plaintext the host placed in output must survive the pending bytes.
            int at = plaintext.Length > 0 && output.Overlaps(plaintext, out int offset) ? offset : int.MaxValue;
            return Transmit(output.Slice(0, WritableBefore(at, output.Length)), out written);
        }

        // Where the plaintext not yet taken starts in output, when it lies there and must survive this call.
        int rest = PlaceAliasedPlaintext(ref plaintext, output);
        written = Outbound.Read(output.Slice(0, WritableBefore(rest, output.Length)));
        try
        {
            while (consumed < plaintext.Length && Outbound.Length == 0)
            {
                if (_context.Records.WriteKeyExhaustedNow)
                {
                    // RFC 8446 §5.5: the KeyUpdate goes out ahead of the next record, through the pending queue.
                    UpdateExhaustedWriteKey();
                    written += Outbound.Read(output.Slice(written, WritableBefore(rest, output.Length) - written));
                    continue;
                }

                int overhead = _context.Records.SealedLength(ContentType.ApplicationData, 0);
                int take = Math.Min(Math.Min(plaintext.Length - consumed, _context.Records.MaxSendFragment), output.Length - written - overhead);
                // A record is longer than its content: unless it takes the last of the plaintext, it must end
                // before the plaintext after it, which the host still owns.
                if (take <= 0 || (consumed + take < plaintext.Length && written + overhead > rest))
                {
                    break;
                }

                written += _context.Records.WriteRecord(ContentType.ApplicationData, plaintext.Slice(consumed, take), output.Slice(written));
                consumed += take;
                rest = rest == int.MaxValue ? rest : rest + take;
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
    /// Plaintext the host placed inside <paramref name="output"/> must not be overwritten before it is
    /// sealed: pending bytes, a KeyUpdate and every record but the last are written ahead of it, and
    /// each record is longer than its content. When all of it fits, the plaintext moves (if it must)
    /// to the end of what this call writes, where sealing never reaches it; plaintext written just
    /// after the header of a lone record stays where it is.
    /// </summary>
    /// <returns>
    /// <see cref="int.MaxValue"/> when nothing written can reach plaintext still to be sealed; else the
    /// position in <paramref name="output"/> of the plaintext's first byte, below which writing is safe.
    /// </returns>
    private int PlaceAliasedPlaintext(ref ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        if (plaintext.Length == 0 || !output.Overlaps(plaintext, out int at))
        {
            return int.MaxValue;
        }

        long size = SendSize(plaintext.Length);
        if (size > output.Length)
        {
            return at;
        }

        int need = (int)size;
        int overhead = _context.Records.SealedLength(ContentType.ApplicationData, 0);
        if (at < need - plaintext.Length - overhead)
        {
            Span<byte> tail = output.Slice(need - plaintext.Length, plaintext.Length);
            plaintext.CopyTo(tail);
            plaintext = tail;
        }

        return int.MaxValue;
    }

    private static int WritableBefore(int rest, int length) => Math.Max(0, Math.Min(rest, length));

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

        long size = SendSize(plaintextLength);
        return size <= int.MaxValue ? (int)size
            : throw new ArgumentOutOfRangeException(nameof(plaintextLength), "Sealing this much takes more than int.MaxValue bytes.");
    }

    // In long: near int.MaxValue bytes of plaintext the record overheads overflow an int.
    private long SendSize(int plaintextLength)
    {
        long fragment = _context.Records.MaxSendFragment;
        int records = (int)((plaintextLength + fragment - 1) / fragment);
        long overhead = _context.Records.SealedLength(ContentType.ApplicationData, 0);
        return Outbound.Length + (long)plaintextLength + (records * overhead)
            + ((long)_context.Records.KeyUpdatesWithin(records) * RecordLayer.KeyUpdateRecordLength);
    }
}
