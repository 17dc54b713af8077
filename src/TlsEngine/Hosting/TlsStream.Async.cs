using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace TlsEngine;

public sealed partial class TlsStream
{
    /// <summary>Runs the handshake without blocking a thread on the transport.</summary>
    /// <exception cref="TlsException">The handshake failed; the alert was sent.</exception>
    public async Task AuthenticateAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TlsStatus status;
            lock (_gate)
            {
                status = Connection.DoHandshake();
            }

            await FlushOutboundAsync(cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case TlsStatus.Ok:
                    return;
                case TlsStatus.WantRead:
                    if (!await FillInboundAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new IOException("The transport closed during the TLS handshake.");
                    }

                    break;
                case TlsStatus.WantWrite:
                    break;
                default:
                    throw Failure();
            }
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadCoreAsync(new Memory<byte>(buffer, offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteCoreAsync(new ReadOnlyMemory<byte>(buffer, offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => FlushOutboundAsync(cancellationToken).AsTask();

#if NET8_0_OR_GREATER
    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ReadCoreAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => WriteCoreAsync(buffer, cancellationToken);

    /// <summary>Sends close_notify (best effort) and disposes the connection and, unless left open, the inner stream.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            try
            {
                if (Connection.IsHandshakeComplete && Connection.LastError == null)
                {
                    lock (_gate)
                    {
                        Connection.Shutdown();
                    }

                    await FlushOutboundAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Best effort: the transport may already be gone.
            }
        }

        Dispose(true);
        GC.SuppressFinalize(this);
    }
#endif

    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TlsStatus status;
            int read;
            lock (_gate)
            {
                status = Connection.Read(buffer.Span, out read);
            }

            await FlushOutboundAsync(cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case TlsStatus.Ok:
                    if (read > 0 || buffer.Length == 0)
                    {
                        return read;
                    }

                    break;
                case TlsStatus.Closed:
                    return 0;
                case TlsStatus.WantRead:
                    if (!await FillInboundAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new IOException("The transport closed without a TLS close_notify.");
                    }

                    break;
                case TlsStatus.WantWrite:
                    break;
                default:
                    throw Failure();
            }
        }
    }

    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TlsStatus status;
            int written;
            lock (_gate)
            {
                status = Connection.Write(buffer.Span, out written);
            }

            buffer = buffer.Slice(written);
            await FlushOutboundAsync(cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case TlsStatus.Ok when buffer.Length == 0:
                    return;
                case TlsStatus.Ok:
                case TlsStatus.WantWrite:
                    break;
                case TlsStatus.WantRead:
                    if (!await FillInboundAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new IOException("The transport closed during the TLS handshake.");
                    }

                    break;
                default:
                    throw Failure();
            }
        }
    }

    private async ValueTask FlushOutboundAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            byte[] chunk;
            lock (_gate)
            {
                if (Connection.Outbound.Length == 0)
                {
                    break;
                }

                chunk = Connection.Outbound.ReadAll();
            }

            await _inner.WriteAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
        }

        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> FillInboundAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = _fill;
        int n = await _inner.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
        if (n <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            Connection.Inbound.Write(buffer.AsSpan(0, n));
        }

        return true;
    }
}
