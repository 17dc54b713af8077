using System;
using System.IO;

namespace TlsEngine;

/// <summary>
/// A <see cref="Stream"/> over any inner stream, with TLS done by a <see cref="TlsConnection"/>:
/// for code that wants SslStream-like use. Reads and writes are synchronous at heart; the
/// async methods inherited from <see cref="Stream"/> run them on the thread pool.
/// </summary>
public sealed partial class TlsStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveInnerOpen;
    private readonly byte[] _transfer = new byte[16 * 1024 + 512];

    // The engine is not thread-safe; one reader and one writer may run at once, as with SslStream.
    private readonly object _gate = new();
    private readonly byte[] _fill = new byte[16 * 1024 + 512];
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>; the handshake runs on <see cref="Authenticate"/> or the first read or write.</summary>
    public TlsStream(Stream inner, TlsConnection connection, bool leaveInnerOpen = false)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _leaveInnerOpen = leaveInnerOpen;
    }

    /// <summary>The engine underneath, for negotiated parameters and errors.</summary>
    public TlsConnection Connection { get; }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Runs the handshake to completion.</summary>
    /// <exception cref="TlsException">The handshake failed; the alert was sent.</exception>
    /// <exception cref="IOException">The transport closed during the handshake.</exception>
    public void Authenticate()
    {
        while (true)
        {
            TlsStatus status;
            lock (_gate)
            {
                status = Connection.DoHandshake();
            }

            FlushOutbound();
            switch (status)
            {
                case TlsStatus.Ok:
                    return;
                case TlsStatus.WantRead:
                    if (!FillInbound())
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
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Reads decrypted data; 0 at the peer's close_notify.</summary>
    /// <exception cref="TlsException">The connection failed.</exception>
    /// <exception cref="IOException">The transport closed without close_notify (truncation).</exception>
#if NET8_0_OR_GREATER
    public override int Read(Span<byte> buffer)
#else
    public int Read(Span<byte> buffer)
#endif
    {
        while (true)
        {
            TlsStatus status;
            int read;
            lock (_gate)
            {
                status = Connection.Read(buffer, out read);
            }

            FlushOutbound();
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
                    if (!FillInbound())
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

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Encrypts and sends all of <paramref name="buffer"/>.</summary>
#if NET8_0_OR_GREATER
    public override void Write(ReadOnlySpan<byte> buffer)
#else
    public void Write(ReadOnlySpan<byte> buffer)
#endif
    {
        while (true)
        {
            TlsStatus status;
            int written;
            lock (_gate)
            {
                status = Connection.Write(buffer, out written);
            }

            buffer = buffer.Slice(written);
            FlushOutbound();
            switch (status)
            {
                case TlsStatus.Ok:
                case TlsStatus.WantWrite:
                    if (buffer.Length == 0 && status == TlsStatus.Ok)
                    {
                        return;
                    }

                    break;
                case TlsStatus.WantRead:
                    if (!FillInbound())
                    {
                        throw new IOException("The transport closed during the TLS handshake.");
                    }

                    break;
                default:
                    throw Failure();
            }
        }
    }

    /// <summary>Sends close_notify (our direction ends; reading may continue until the peer closes).</summary>
    public void Shutdown()
    {
        lock (_gate)
        {
            Connection.Shutdown();
        }

        FlushOutbound();
    }

    /// <inheritdoc />
    public override void Flush() => FlushOutbound();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                if (Connection.IsHandshakeComplete && Connection.LastError == null)
                {
                    Shutdown();
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Best effort: the transport may already be gone.
            }

            Connection.Dispose();
            if (!_leaveInnerOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private Exception Failure()
    {
        FlushOutbound();
        return new TlsException(Connection.LastError ?? new TlsError(TlsFailureReason.ConnectionClosed, TlsAlertDescription.CloseNotify, false, "The connection is closed."));
    }

    private void FlushOutbound()
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

            _inner.Write(chunk, 0, chunk.Length);
        }

        _inner.Flush();
    }

    private bool FillInbound()
    {
        byte[] buffer = _fill;
        int n = _inner.Read(buffer, 0, buffer.Length);
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
