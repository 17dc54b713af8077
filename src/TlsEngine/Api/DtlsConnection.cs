using System;
using TlsEngine.Crypto;
using TlsEngine.Datagram;
using TlsEngine.Handshake;
using TlsEngine.Handshake.Client;
using TlsEngine.Handshake.Server;
using TlsEngine.Records;

namespace TlsEngine;

/// <summary>
/// One DTLS connection, client or server, that never performs I/O: the host hands it each datagram
/// received (<see cref="ReceiveDatagram"/>), sends each datagram it produces
/// (<see cref="TryTakeDatagram"/>), and calls <see cref="HandleTimeout"/> when <see cref="NextTimeout"/>
/// has passed. DTLS 1.3 (RFC 9147) and DTLS 1.2 (RFC 6347) are negotiated from
/// <see cref="TlsOptions.MinVersion"/> and <see cref="TlsOptions.MaxVersion"/>, where
/// <see cref="TlsVersion.Tls13"/> stands for DTLS 1.3 and <see cref="TlsVersion.Tls12"/> for DTLS 1.2.
/// Invalid datagrams are dropped and counted (<see cref="DroppedRecords"/>), never answered (RFC 9147 §4.5.2).
/// Not thread-safe.
/// </summary>
/// <remarks>
/// Over datagrams the connection refuses at creation, with an <see cref="ArgumentException"/> naming
/// the option, what it cannot do yet: 0-RTT (<see cref="TlsClientOptions.EarlyData"/>,
/// <see cref="TlsServerOptions.MaxEarlyDataSize"/>) and host decisions
/// (<see cref="TlsClientOptions.DelegateCertificateValidation"/>, <see cref="TlsServerOptions.DelegatePrivateKeyOperations"/>).
/// <see cref="TlsOptions.MiddleboxCompatibility"/>, <see cref="TlsOptions.InboundCapacity"/> and
/// <see cref="TlsOptions.OutboundCapacity"/> are ignored: DTLS 1.3 has no compatibility mode, and
/// datagrams are queued whole. Application data is not retransmitted: DTLS, like UDP, may lose it.
/// DTLS 1.3 resumes sessions from tickets (<see cref="TlsClientOptions.SessionCache"/>,
/// <see cref="TlsServerOptions.SessionTicketKeys"/>); a ticket received over DTLS is offered only by DTLS
/// connections and accepted only by DTLS servers, and the reverse for TLS. DTLS 1.2 does not resume.
/// </remarks>
public sealed partial class DtlsConnection : IDisposable
{
    /// <summary>The largest datagram read (the UDP limit); longer input is dropped.</summary>
    public const int MaxDatagramSize = 65535;

    private readonly HandshakeContext _context;
    private readonly DatagramHandshakeChannel _channel;
    private byte[] _buffer = Array.Empty<byte>();
    private HandshakeState? _state;
    private bool _failed;
    private bool _closeSent;
    private bool _disposed;

    private DtlsConnection(TlsOptions options, bool isServer, TlsDatagramOptions? datagram, ReadOnlySpan<byte> peerAddress)
    {
        options.Validate();
        datagram ??= new TlsDatagramOptions();
        datagram.Validate();
        RefuseStreamOnlyOptions(options);
        byte[]? connectionId = datagram.ConnectionIdLength is int idLength ? options.Random.GetBytes(idLength) : null;
        HandshakeConfig config = OptionSnapshots.Of(options) with { Datagram = true, ConnectionId = connectionId };
        if (config is ServerConfig server)
        {
            config = server with { ValidatePeerAddress = datagram.ValidatePeerAddress, CookieKey = datagram.EffectiveCookieKey(options.Random) };
        }

        ICryptoProvider provider = TlsConnection.ProviderFor(options, config, null);
        var transport = new DatagramTransport(datagram.Mtu, datagram.InitialRetransmitTimeout, datagram.MaxRetransmitTimeout, datagram.MaxRetransmissions);
        _channel = new DatagramHandshakeChannel(config, isServer, provider, transport);
        _context = new HandshakeContext(config, isServer, provider, _channel) { PeerAddress = peerAddress.ToArray() };
        if (datagram.CookieKey != null && config is ServerConfig { CookieKey: { } copy })
        {
            // This connection's own copy of the host's key is zeroed with the keys; a random key is shared by the options' connections.
            _context.Own(copy);
        }

        IsServer = isServer;
    }

    /// <summary>Creates a client; <see cref="Connect"/> writes its first flight.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent or cannot work over datagrams (ParamName names the option).</exception>
    public static DtlsConnection CreateClient(TlsClientOptions options, TlsDatagramOptions? datagram = null) =>
        new(options ?? throw new ArgumentNullException(nameof(options)), false, datagram, default);

    /// <summary>Creates a server for one client.</summary>
    /// <param name="options">The server's options.</param>
    /// <param name="datagram">Transport settings; share one instance (or one <see cref="TlsDatagramOptions.CookieKey"/>) across a server's connections.</param>
    /// <param name="peerAddress">The client's transport address (any stable encoding, e.g. IP and port bytes), bound into the stateless cookie.</param>
    /// <exception cref="ArgumentException">The options are inconsistent or cannot work over datagrams.</exception>
    public static DtlsConnection CreateServer(TlsServerOptions options, TlsDatagramOptions? datagram = null, ReadOnlySpan<byte> peerAddress = default) =>
        new(options ?? throw new ArgumentNullException(nameof(options)), true, datagram, peerAddress);

    /// <summary>True for the server role.</summary>
    public bool IsServer { get; }

    /// <summary>True once both Finished messages have been exchanged.</summary>
    public bool IsHandshakeComplete => _context.IsConnected;

    /// <summary>The negotiated version: <see cref="TlsVersion.Tls13"/> means DTLS 1.3, <see cref="TlsVersion.Tls12"/> DTLS 1.2.</summary>
    public TlsVersion? NegotiatedVersion => _context.Version;

    /// <summary>The negotiated cipher suite.</summary>
    public TlsCipherSuite? CipherSuite => _context.Version != null ? _context.Suite?.Suite : null;

    /// <summary>The key exchange group used.</summary>
    public TlsNamedGroup? NegotiatedGroup => _context.Group;

    /// <summary>True when the handshake resumed a session from a ticket (DTLS 1.3).</summary>
    public bool IsResumed => _context.IsResumed;

    /// <summary>True when the server answered with a DTLS 1.3 HelloRetryRequest (a DTLS 1.2 HelloVerifyRequest, which only checks the address, does not count).</summary>
    public bool HelloRetryRequested => _context.HelloRetryRequested;

    /// <summary>Why the connection failed; null until it does.</summary>
    public TlsError? LastError { get; private set; }

    /// <summary>Records dropped as invalid, replayed, unexpected or undecryptable (RFC 9147 §4.5.2).</summary>
    public long DroppedRecords => _channel.Drops.Total;

    /// <summary>Times this side sent (part of) a flight again: on its timer, on an ACK or on the peer's retransmission.</summary>
    public int Retransmissions => _channel.Retransmissions;

    /// <summary>Datagrams waiting for <see cref="TryTakeDatagram"/>.</summary>
    public int PendingDatagrams => _channel.PendingDatagrams;

    /// <summary>Application messages received and waiting for <see cref="TryReceive"/>.</summary>
    public int PendingMessages => _channel.ReceivedMessages;

    /// <summary>
    /// When <see cref="HandleTimeout"/> is due (by the options' TimeProvider): a flight's retransmission
    /// or an ACK. Null when nothing waits on time.
    /// </summary>
    public DateTimeOffset? NextTimeout => _failed || _disposed || _state == null ? null : _channel.NextTimeout;

    /// <summary>
    /// The longest application message <see cref="Send"/> accepts: one record in one datagram of the
    /// MTU. Before the handshake completes it assumes the costliest record of either version.
    /// </summary>
    public int MaxMessageSize => _channel.MaxMessageSize;

    /// <summary>Client: starts the handshake; the first flight waits in <see cref="TryTakeDatagram"/>.</summary>
    /// <exception cref="InvalidOperationException">On a server.</exception>
    public TlsStatus Connect()
    {
        ThrowIfDisposed();
        if (IsServer)
        {
            throw new InvalidOperationException("Connect() is for client connections; use Accept() on a server.");
        }

        if (_state == null)
        {
            Guarded(() => _state = ClientHelloFlight.Start(_context, (ClientConfig)_context.Config));
        }

        return Status();
    }

    /// <summary>Server: gets ready for the client's ClientHello (which <see cref="ReceiveDatagram"/> brings).</summary>
    /// <exception cref="InvalidOperationException">On a client.</exception>
    public TlsStatus Accept()
    {
        ThrowIfDisposed();
        if (!IsServer)
        {
            throw new InvalidOperationException("Accept() is for server connections; use Connect() on a client.");
        }

        _state ??= new ExpectClientHello((ServerConfig)_context.Config);
        return Status();
    }

    /// <summary>
    /// One datagram as received. It is copied into the connection's buffer and its records are
    /// decrypted in place there; whatever is invalid is dropped and counted.
    /// </summary>
    /// <exception cref="InvalidOperationException">On a client before <see cref="Connect"/>.</exception>
    public TlsStatus ReceiveDatagram(ReadOnlySpan<byte> datagram)
    {
        ThrowIfDisposed();
        if (_state == null)
        {
            if (!IsServer)
            {
                throw new InvalidOperationException("Call Connect() before passing datagrams to a client.");
            }

            Accept();
        }

        LastDatagramAuthenticated = false;
        if (_failed || datagram.IsEmpty || datagram.Length > MaxDatagramSize)
        {
            return Status();
        }

        if (_buffer.Length < datagram.Length)
        {
            _buffer = new byte[Math.Max(datagram.Length, 2048)];
        }

        datagram.CopyTo(_buffer);
        _channel.Records.NewestRecordAuthenticated = false;
        Process(_buffer.AsSpan(0, datagram.Length));
        LastDatagramAuthenticated = _channel.Records.NewestRecordAuthenticated;
        return Status();
    }

    /// <summary>Copies the next datagram to send into <paramref name="destination"/>; false when none is waiting.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the datagram (at most the MTU).</exception>
    public bool TryTakeDatagram(Span<byte> destination, out int length)
    {
        ThrowIfDisposed();
        byte[]? next = _channel.PeekDatagram();
        if (next == null)
        {
            length = 0;
            return false;
        }

        if (destination.Length < next.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the datagram is {next.Length}.", nameof(destination));
        }

        _channel.TryTakeDatagram(out _);
        next.CopyTo(destination);
        length = next.Length;
        return true;
    }

    /// <summary>
    /// Call when <see cref="NextTimeout"/> has passed: resends the flight the peer has not answered
    /// (the timeout doubles each time) or sends a due ACK. After <see cref="TlsDatagramOptions.MaxRetransmissions"/>
    /// the connection fails with <see cref="TlsFailureReason.HandshakeTimedOut"/>, sending no alert.
    /// </summary>
    public TlsStatus HandleTimeout()
    {
        ThrowIfDisposed();
        if (_state != null && !_failed)
        {
            Guarded(_channel.HandleTimeout);
        }

        return Status();
    }

    /// <summary>Sends one application message as one record in one datagram; the peer receives it whole or not at all.</summary>
    /// <exception cref="ArgumentException">The message is longer than <see cref="MaxMessageSize"/>.</exception>
    /// <exception cref="InvalidOperationException">The handshake is not complete.</exception>
    public TlsStatus Send(ReadOnlySpan<byte> message)
    {
        ThrowIfDisposed();
        if (_failed || _closeSent || _channel.PeerClosed)
        {
            return Status();
        }

        if (!IsHandshakeComplete)
        {
            throw new InvalidOperationException("Application data can be sent once the handshake is complete.");
        }

        if (message.Length > MaxMessageSize)
        {
            throw new ArgumentException($"The message is {message.Length} bytes; at most {MaxMessageSize} fit one datagram.", nameof(message));
        }

        try
        {
            SendDueKeyUpdate();
            _channel.Flush();
            _channel.SendApplicationData(message);
        }
        catch (TlsFailureException failure)
        {
            Fail(failure.Reason, failure.Alert, failure.Message);
        }

        return Status();
    }

    /// <summary>Copies the next application message, whole, into <paramref name="destination"/>; false when none is waiting.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the message.</exception>
    public bool TryReceive(Span<byte> destination, out int length)
    {
        ThrowIfDisposed();
        byte[]? next = _channel.PeekApplicationMessage();
        if (next == null)
        {
            length = 0;
            return false;
        }

        if (destination.Length < next.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the message is {next.Length}.", nameof(destination));
        }

        _channel.TryTakeApplicationMessage(out _);
        next.CopyTo(destination);
        length = next.Length;
        return true;
    }

    /// <summary>Sends close_notify; nothing is sent after it. Drain <see cref="TryTakeDatagram"/> still.</summary>
    public TlsStatus Close()
    {
        ThrowIfDisposed();
        if (!_failed && !_closeSent && _state != null)
        {
            _closeSent = true;
            try
            {
                _channel.SendAlert(TlsAlertDescription.CloseNotify);
            }
            catch (TlsFailureException failure)
            {
                Fail(failure.Reason, failure.Alert, failure.Message);
            }
        }

        return Status();
    }

    /// <summary>Zeroes the keys and the receive buffer, and drops what is queued.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _context.Dispose();
        // The last datagram was decrypted in place here.
        Array.Clear(_buffer, 0, _buffer.Length);
    }
}
