using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace TlsEngine;

public sealed partial class TlsDuplexPipe
{
    /// <summary>Transport → engine → <see cref="Input"/>, until close_notify, failure, truncation or the application stops reading.</summary>
    private async Task ReadPumpAsync(CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult result = await _transport.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                TlsStatus status = Decrypt(ref buffer);
                _transport.Input.AdvanceTo(buffer.Start, buffer.End);
                ThrowIfHostDecision(status);

                // KeyUpdate answers and alerts go out before anything else is read.
                bool pending;
                lock (_engineGate)
                {
                    pending = Connection.PendingTransmit > 0;
                }

                if (pending)
                {
                    await TransmitAsync(cancellationToken).ConfigureAwait(false);
                }

                if (status == TlsStatus.Failed)
                {
                    throw Failure();
                }

                FlushResult flush = await _input.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (status == TlsStatus.Closed || flush.IsCompleted)
                {
                    break;
                }

                if (result.IsCompleted)
                {
                    // RFC 8446 §6.1: an end without close_notify may be a truncation attack; the application must not take it for the end of the data.
                    throw new IOException("The transport closed without a TLS close_notify.");
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
            if (ex is TlsException)
            {
                // The connection is dead both ways: the application's writes fail with the same error.
                _fault = ex;
                _output.Reader.CancelPendingRead();
            }
        }

        await _input.Writer.CompleteAsync(error).ConfigureAwait(false);
        await _transport.Input.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary><see cref="Output"/> → engine → transport; close_notify when the application completes <see cref="Output"/>.</summary>
    private async Task WritePumpAsync(CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult result = await _output.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (_fault != null)
                {
                    throw Failure();
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    while (!buffer.IsEmpty)
                    {
                        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                        try
                        {
                            TlsStatus status = Seal(ref buffer);
                            FlushResult flush = await _transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                            if (status == TlsStatus.Failed)
                            {
                                throw Failure();
                            }

                            if (flush.IsCompleted)
                            {
                                throw new IOException("The transport stopped taking data.");
                            }
                        }
                        finally
                        {
                            _sendGate.Release();
                        }
                    }
                }
                finally
                {
                    _output.Reader.AdvanceTo(buffer.Start);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }

            // RFC 8446 §6.1: close_notify ends our direction; the peer may still send until its own.
            lock (_engineGate)
            {
                Connection.Shutdown();
            }

            await TransmitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
            if (ex is TlsException && _fault == null)
            {
                // The engine failed while sealing (a key at the end of its life): its alert still goes out.
                await TransmitQuietly().ConfigureAwait(false);
            }
        }

        await _output.Reader.CompleteAsync(error).ConfigureAwait(false);
        await _transport.Output.CompleteAsync(error is TlsException ? null : error).ConfigureAwait(false);
    }

    private async Task TransmitQuietly()
    {
        try
        {
            await TransmitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // Best effort: the transport may already be gone.
        }
    }

    /// <summary>
    /// Lets the engine take every complete record at the start of <paramref name="buffer"/>, decrypting
    /// in place and copying the plaintext into <see cref="Input"/> (unflushed); slices off what it took.
    /// </summary>
    private TlsStatus Decrypt(ref ReadOnlySequence<byte> buffer)
    {
        TlsStatus status = TlsStatus.WantRead;
        while (!buffer.IsEmpty)
        {
            ReadOnlyMemory<byte> first = buffer.First;
            int consumed;
            lock (_engineGate)
            {
                // The bytes are this reader's until AdvanceTo, and the engine rewrites only records it
                // consumes, which the transport drops: decrypting in place there is safe and saves a copy.
                status = ReceiveAll(MemoryMarshal.AsMemory(first).Span, out consumed);
                if (consumed == 0 && buffer.Length > first.Length && status is not (TlsStatus.Closed or TlsStatus.Failed))
                {
                    // A record spans segments: the one copy, into a buffer that holds the largest record.
                    int length = (int)Math.Min(buffer.Length, _receiveScratch.Length);
                    buffer.Slice(0, length).CopyTo(_receiveScratch);
                    status = ReceiveAll(_receiveScratch.AsSpan(0, length), out consumed);
                }
            }

            buffer = buffer.Slice(consumed);
            if (consumed == 0 || status is not (TlsStatus.Ok or TlsStatus.WantRead or TlsStatus.WantWrite))
            {
                break;
            }
        }

        return status;
    }

    /// <summary>Calls Receive until it stops making progress in <paramref name="window"/>. Under the engine lock.</summary>
    private TlsStatus ReceiveAll(Span<byte> window, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            TlsStatus status = Connection.Receive(window.Slice(consumed), out int used, out Span<byte> plaintext);
            if (plaintext.Length > 0)
            {
                plaintext.CopyTo(_input.Writer.GetSpan(plaintext.Length));
                _input.Writer.Advance(plaintext.Length);
            }

            consumed += used;
            if (used == 0 || status is TlsStatus.Closed or TlsStatus.Failed)
            {
                return status;
            }
        }
    }

    /// <summary>
    /// Seals up to <see cref="SealChunk"/> bytes from the start of <paramref name="buffer"/> straight
    /// into the transport's output memory and slices off what was taken. Under the send gate.
    /// </summary>
    private TlsStatus Seal(ref ReadOnlySequence<byte> buffer)
    {
        ReadOnlySpan<byte> plaintext;
        ReadOnlyMemory<byte> first = buffer.First;
        if (first.Length >= _sealScratch.Length || buffer.IsSingleSegment)
        {
            plaintext = first.Span.Slice(0, Math.Min(first.Length, SealChunk));
        }
        else
        {
            // Small segments would make small records: gather one full record's worth first.
            int length = (int)Math.Min(buffer.Length, _sealScratch.Length);
            buffer.Slice(0, length).CopyTo(_sealScratch);
            plaintext = _sealScratch.AsSpan(0, length);
        }

        TlsStatus status = TlsStatus.Ok;
        int taken = 0;
        lock (_engineGate)
        {
            while (taken < plaintext.Length)
            {
                Span<byte> output = _transport.Output.GetSpan(Connection.GetSendSize(Math.Min(plaintext.Length - taken, _sealScratch.Length)));
                status = Connection.Send(plaintext.Slice(taken), output, out int consumed, out int written);
                _transport.Output.Advance(written);
                taken += consumed;
                if (status is not (TlsStatus.Ok or TlsStatus.WantWrite))
                {
                    break;
                }
            }
        }

        buffer = buffer.Slice(taken);
        return status;
    }
}
