using System;

namespace TlsEngine;

/// <summary>
/// An OpenSSL-flavoured facade for porting C code written against <c>SSL_connect</c> and memory
/// BIOs: int returns and <c>SSL_get_error</c> codes over the same engine. <c>BIO_write</c> on
/// the read BIO is <see cref="WriteInbound"/>, <c>BIO_read</c> on the write BIO is <see cref="ReadOutbound"/>.
/// </summary>
public sealed class SslCompat : IDisposable
{
    /// <summary>SSL_ERROR_NONE.</summary>
    public const int SSL_ERROR_NONE = 0;

    /// <summary>SSL_ERROR_SSL: a protocol failure; see <see cref="LastError"/>.</summary>
    public const int SSL_ERROR_SSL = 1;

    /// <summary>SSL_ERROR_WANT_READ.</summary>
    public const int SSL_ERROR_WANT_READ = 2;

    /// <summary>SSL_ERROR_WANT_WRITE.</summary>
    public const int SSL_ERROR_WANT_WRITE = 3;

    /// <summary>SSL_ERROR_SYSCALL: the transport ended without close_notify.</summary>
    public const int SSL_ERROR_SYSCALL = 5;

    /// <summary>SSL_ERROR_ZERO_RETURN: the peer sent close_notify.</summary>
    public const int SSL_ERROR_ZERO_RETURN = 6;

    private int _lastError = SSL_ERROR_NONE;
    private bool _transportEnded;

    /// <summary>Wraps a connection.</summary>
    public SslCompat(TlsConnection connection)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    /// <summary>The engine underneath.</summary>
    public TlsConnection Connection { get; }

    /// <summary>The typed error behind SSL_ERROR_SSL.</summary>
    public TlsError? LastError => Connection.LastError;

    /// <summary>SSL_connect: 1 when the handshake is complete, &lt;0 otherwise (see <see cref="GetError"/>).</summary>
    public int Connect() => Handshake(Connection.Connect);

    /// <summary>SSL_accept.</summary>
    public int Accept() => Handshake(Connection.Accept);

    /// <summary>SSL_do_handshake.</summary>
    public int DoHandshake() => Handshake(Connection.DoHandshake);

    /// <summary>SSL_read: bytes read (&gt;0), 0 on a controlled shutdown, &lt;0 with the reason in <see cref="GetError"/>.</summary>
    public int Read(Span<byte> buffer)
    {
        TlsStatus status = Connection.Read(buffer, out int read);
        if (status == TlsStatus.Ok && read > 0)
        {
            _lastError = SSL_ERROR_NONE;
            return read;
        }

        return Fail(status == TlsStatus.Ok ? TlsStatus.WantRead : status);
    }

    /// <summary>SSL_write: bytes written (&gt;0) or &lt;0 with the reason in <see cref="GetError"/>.</summary>
    public int Write(ReadOnlySpan<byte> buffer)
    {
        TlsStatus status = Connection.Write(buffer, out int written);
        if (status == TlsStatus.Ok && (written > 0 || buffer.Length == 0))
        {
            _lastError = SSL_ERROR_NONE;
            return written;
        }

        return Fail(status == TlsStatus.Ok ? TlsStatus.WantWrite : status);
    }

    /// <summary>SSL_shutdown: 0 once our close_notify is queued, 1 once the peer's has arrived too, &lt;0 on error.</summary>
    public int Shutdown()
    {
        TlsStatus status = Connection.Shutdown();
        switch (status)
        {
            case TlsStatus.Closed:
                _lastError = SSL_ERROR_NONE;
                return 1;
            case TlsStatus.Ok:
            case TlsStatus.WantWrite:
                // Like OpenSSL over a memory BIO: close_notify queued counts as sent.
                _lastError = SSL_ERROR_NONE;
                return Connection.IsPeerClosed ? 1 : 0;
            default:
                return Fail(status);
        }
    }

    /// <summary>SSL_get_error for the last call's return value.</summary>
    public int GetError(int returnValue) => returnValue > 0 ? SSL_ERROR_NONE : _lastError;

    /// <summary>BIO_write on the read BIO: peer bytes in. Returns how many were taken.</summary>
    public int WriteInbound(ReadOnlySpan<byte> data) => Connection.Inbound.Write(data);

    /// <summary>BIO_read on the write BIO: bytes for the peer out. Returns how many were copied.</summary>
    public int ReadOutbound(Span<byte> destination) => Connection.Outbound.Read(destination);

    /// <summary>BIO_ctrl_pending on the write BIO.</summary>
    public int PendingOutbound => Connection.Outbound.Length;

    /// <summary>Tells the facade the transport ended (read returned 0), so a later WANT_READ becomes SSL_ERROR_SYSCALL.</summary>
    public void SetTransportEnded() => _transportEnded = true;

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();

    private int Handshake(Func<TlsStatus> step)
    {
        TlsStatus status = step();
        if (status == TlsStatus.Ok)
        {
            _lastError = SSL_ERROR_NONE;
            return 1;
        }

        return Fail(status);
    }

    private int Fail(TlsStatus status)
    {
        _lastError = status switch
        {
            TlsStatus.WantRead => _transportEnded ? SSL_ERROR_SYSCALL : SSL_ERROR_WANT_READ,
            TlsStatus.WantWrite => SSL_ERROR_WANT_WRITE,
            TlsStatus.Closed => SSL_ERROR_ZERO_RETURN,
            _ => SSL_ERROR_SSL,
        };
        // SSL_read returns 0 for a clean close_notify; everything else is negative.
        return status == TlsStatus.Closed ? 0 : -1;
    }
}
