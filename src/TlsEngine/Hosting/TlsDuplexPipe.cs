using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;

namespace TlsEngine;

/// <summary>
/// TLS over an <see cref="IDuplexPipe"/>, the way Kestrel hosts connection middleware: given the
/// transport's pipe and a <see cref="TlsConnection"/>, <see cref="Input"/> yields the peer's
/// decrypted application data and whatever the application writes to <see cref="Output"/> is sealed
/// and flushed to the transport. Runs on the caller-buffered core: records are decrypted in place
/// in the transport's buffers and sealed straight into the transport's output memory.
/// </summary>
/// <remarks>
/// Call <see cref="AuthenticateAsync"/> first. Completing <see cref="Output"/> sends close_notify and
/// completes the transport's output; the peer's close_notify completes <see cref="Input"/>. A failed
/// connection sends its alert and faults both pipes with a <see cref="TlsException"/>; a transport
/// that ends without close_notify faults <see cref="Input"/> with an <see cref="IOException"/>
/// (truncation). Host decisions (delegated validation or signing) are not supported here.
/// </remarks>
public sealed partial class TlsDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    // The largest TLSCiphertext: a header and 2^14 + 2048 bytes (RFC 5246 §6.2.3; TLS 1.3 allows less, RFC 8446 §5.2).
    private const int MaxRecordLength = 5 + 16384 + 2048;

    // Plaintext sealed between flushes: a large write streams out instead of piling up in the transport's pipe.
    private const int SealChunk = 64 * 1024;

    private readonly IDuplexPipe _transport;
    private readonly Pipe _input;
    private readonly Pipe _output;

    // The engine is not thread-safe: the two pumps take turns under this lock.
    private readonly object _engineGate = new();

    // Records reach the transport in the order they were sealed: sealing and flushing happen under this gate.
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _receiveScratch = new byte[MaxRecordLength];
    private readonly byte[] _sealScratch = new byte[16384];
    private Task? _reading;
    private Task? _writing;
    private volatile Exception? _fault;
    private bool _disposed;

    /// <summary>Wraps <paramref name="transport"/>; nothing moves until <see cref="AuthenticateAsync"/>.</summary>
    /// <param name="transport">The connection's transport (a socket's pipe, or Kestrel's <c>ConnectionContext.Transport</c>).</param>
    /// <param name="connection">A client or server engine that has not started; disposed with this pipe.</param>
    /// <param name="options">Options for the plaintext pipes (pool, thresholds); the defaults otherwise.</param>
    public TlsDuplexPipe(IDuplexPipe transport, TlsConnection connection, PipeOptions? options = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _input = new Pipe(options ?? PipeOptions.Default);
        _output = new Pipe(options ?? PipeOptions.Default);
    }

    /// <summary>The engine underneath, for negotiated parameters and errors.</summary>
    public TlsConnection Connection { get; }

    /// <summary>The peer's application data, decrypted. Completes at the peer's close_notify.</summary>
    public PipeReader Input => _input.Reader;

    /// <summary>Plaintext to send; flushed writes are sealed and sent. Complete it to send close_notify.</summary>
    public PipeWriter Output => _output.Writer;

    /// <summary>
    /// Runs the handshake over the transport, then starts moving data through <see cref="Input"/>
    /// and <see cref="Output"/>.
    /// </summary>
    /// <exception cref="TlsException">The handshake failed; the alert was sent. <see cref="TlsException.Error"/> says why.</exception>
    /// <exception cref="IOException">The transport ended during the handshake.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task AuthenticateAsync(CancellationToken cancellationToken = default)
    {
        if (_reading != null)
        {
            throw new InvalidOperationException("The handshake has already run.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        CancellationToken token = linked.Token;
        TlsStatus status = TlsStatus.WantRead;
        while (true)
        {
            // The client's first flight, the answers to what arrived, or the alert after a failure.
            await TransmitAsync(token).ConfigureAwait(false);
            if (status == TlsStatus.Failed)
            {
                throw Failure();
            }

            if (Connection.IsHandshakeComplete)
            {
                break;
            }

            ReadResult result = await _transport.Input.ReadAsync(token).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            long before = buffer.Length;
            status = Decrypt(ref buffer);
            bool progressed = buffer.Length != before;
            _transport.Input.AdvanceTo(buffer.Start, buffer.End);
            ThrowIfHostDecision(status);
            if (result.IsCompleted && !progressed && status != TlsStatus.Failed)
            {
                throw new IOException("The transport closed during the TLS handshake.");
            }
        }

        // Data that came with the last flight (0.5-RTT data, a first request) is already in Input.
        await _input.Writer.FlushAsync(token).ConfigureAwait(false);
        _reading = Task.Run(() => ReadPumpAsync(_stop.Token), CancellationToken.None);
        _writing = Task.Run(() => WritePumpAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Completes <see cref="Output"/> (close_notify, when the connection is healthy), waits for both
    /// directions to stop, and disposes the engine. The transport's pipes are completed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        if (_writing != null)
        {
            await Quietly(_writing).ConfigureAwait(false);
        }

        _stop.Cancel();
        if (_reading != null)
        {
            await Quietly(_reading).ConfigureAwait(false);
        }
        else
        {
            await _transport.Input.CompleteAsync().ConfigureAwait(false);
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
        }

        await _input.Reader.CompleteAsync().ConfigureAwait(false);
        lock (_engineGate)
        {
            Connection.Dispose();
        }

        _stop.Dispose();
        _sendGate.Dispose();
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The pumps report failures through the pipes; disposal only waits for them to stop.
        }
    }

    private static void ThrowIfHostDecision(TlsStatus status)
    {
        if (status is TlsStatus.WantCertificateValidation or TlsStatus.WantPrivateKeyOperation)
        {
            throw new NotSupportedException("TlsDuplexPipe does not delegate host decisions: drive the TlsConnection directly to use them.");
        }
    }

    private TlsException Failure()
    {
        TlsError? error;
        lock (_engineGate)
        {
            error = Connection.LastError;
        }

        return new TlsException(error ?? new TlsError(TlsFailureReason.ConnectionClosed, TlsAlertDescription.CloseNotify, false, "The connection is closed."));
    }

    /// <summary>Sends what the engine has queued (a flight, an alert, a KeyUpdate answer) and flushes the transport.</summary>
    private async ValueTask TransmitAsync(CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int total = 0;
            while (true)
            {
                TlsStatus status;
                lock (_engineGate)
                {
                    Span<byte> span = _transport.Output.GetSpan(Math.Max(Connection.PendingTransmit, 1));
                    status = Connection.Transmit(span, out int written);
                    _transport.Output.Advance(written);
                    total += written;
                }

                if (status != TlsStatus.WantWrite)
                {
                    break;
                }
            }

            if (total > 0)
            {
                await _transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }
}
