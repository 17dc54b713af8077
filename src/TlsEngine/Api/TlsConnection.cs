using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.KeySchedule;
using TlsEngine.Records;

namespace TlsEngine;

/// <summary>
/// One TLS connection, client or server, that never performs I/O: it consumes peer bytes from
/// <see cref="Inbound"/> and produces bytes for the peer in <see cref="Outbound"/>. Every driving
/// call returns a <see cref="TlsStatus"/> telling the host what to shuttle next. Not thread-safe.
/// </summary>
public sealed partial class TlsConnection : IDisposable
{
    private readonly HandshakeContext _context;
    private readonly TlsBuffer _received;
    private readonly TlsBuffer _pendingWrites;
    private HandshakeState? _state;
    private bool _failed;
    private bool _peerClosed;
    private bool _disposed;
    private int _postHandshakeMessages;

    private TlsConnection(TlsOptions options, bool isServer, ICryptoProvider? crypto)
    {
        options.Validate();
        // From here on the handshake reads only this copy: a host that changes the options object later
        // changes the connections it creates later, not this one.
        HandshakeConfig config = OptionSnapshots.Of(options);
        ICryptoProvider provider = ProviderFor(options, config, crypto);

        Inbound = new TlsBuffer(options.InboundCapacity);
        Outbound = new TlsBuffer(options.OutboundCapacity);
        _received = new TlsBuffer(int.MaxValue);
        _pendingWrites = new TlsBuffer(options.OutboundCapacity);
        _context = new HandshakeContext(config, isServer, Outbound, provider);
        _context.Records.WriteKeyExhausted = UpdateExhaustedWriteKey;
        IsServer = isServer;
    }

    /// <summary>
    /// The crypto provider a connection uses, checked against the configured groups. Auto means the
    /// platform unless a random source is injected: a seeded source means reproducible transcripts,
    /// which the platform's own randomness would break.
    /// </summary>
    internal static ICryptoProvider ProviderFor(TlsOptions options, HandshakeConfig config, ICryptoProvider? crypto)
    {
        ICryptoProvider provider = crypto ?? CryptoProviders.For(options.CryptoProvider == TlsCryptoProvider.Platform
            || (options.CryptoProvider == TlsCryptoProvider.Auto && ReferenceEquals(options.Random, TlsRandom.System)));
        foreach (TlsNamedGroup group in config.Groups)
        {
            if (!provider.SupportsGroup(group))
            {
                throw new ArgumentException($"The crypto provider does not support {group}.");
            }
        }

        return provider;
    }

    private TlsConnection(TlsClientOptions options, ICryptoProvider? crypto)
        : this(options, false, crypto)
    {
    }

    private TlsConnection(TlsServerOptions options, ICryptoProvider? crypto)
        : this(options, true, crypto)
    {
    }

    /// <summary>Creates a client connection; call <see cref="Connect"/> to start the handshake.</summary>
    /// <exception cref="ArgumentException">
    /// The options are inconsistent or exceed a protocol limit (the exception's ParamName names the
    /// option), or the client verifies certificates but has no <see cref="TlsClientOptions.ServerName"/>
    /// (see <see cref="TlsClientOptions.DangerousSkipHostNameCheck"/>).
    /// </exception>
    public static TlsConnection CreateClient(TlsClientOptions options) =>
        new(options ?? throw new ArgumentNullException(nameof(options)), null);

    /// <summary>Creates a server connection; call <see cref="Accept"/> to run the handshake.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent or lack a certificate.</exception>
    public static TlsConnection CreateServer(TlsServerOptions options) =>
        new(options ?? throw new ArgumentNullException(nameof(options)), null);

    internal static TlsConnection CreateClient(TlsClientOptions options, ICryptoProvider crypto) => new(options, crypto);

    internal static TlsConnection CreateServer(TlsServerOptions options, ICryptoProvider crypto) => new(options, crypto);

    /// <summary>Peer bytes go here (the "read BIO"). <see cref="TlsBuffer.Write"/> reports how much fit.</summary>
    public TlsBuffer Inbound { get; }

    /// <summary>Bytes for the peer come from here (the "write BIO"). Drain it after every call.</summary>
    public TlsBuffer Outbound { get; }

    /// <summary>The name of the crypto implementation in use (managed or platform).</summary>
    public string CryptoProviderName => _context.Crypto.Name;

    /// <summary>True for the server role.</summary>
    public bool IsServer { get; }

    /// <summary>True once both Finished messages have been exchanged.</summary>
    public bool IsHandshakeComplete => _context.IsConnected;

    /// <summary>True once the peer's close_notify has arrived.</summary>
    public bool IsPeerClosed => _peerClosed;

    /// <summary>Why the connection failed; null until it does.</summary>
    public TlsError? LastError { get; private set; }

    /// <summary>The negotiated protocol version, once the hellos are exchanged.</summary>
    public TlsVersion? Version => _context.Version;

    /// <summary>The negotiated cipher suite.</summary>
    public TlsCipherSuite? CipherSuite => _context.Version != null ? _context.Suite?.Suite : null;

    /// <summary>The key exchange group used.</summary>
    public TlsNamedGroup? Group => _context.Group;

    /// <summary>The ALPN protocol agreed, or null.</summary>
    public string? ApplicationProtocol => _context.ApplicationProtocol;

    /// <summary>The SNI name: the one the client sent (server) or was configured with (client).</summary>
    public string? ServerName => _context.ServerName;

    /// <summary>True when the handshake resumed a session from a ticket (no certificate was exchanged).</summary>
    public bool IsResumed => _context.IsResumed;

    /// <summary>
    /// The identity of the external PSK that authenticated this TLS 1.3 handshake (a copy), or null
    /// when certificates or a resumed session did (see <see cref="TlsClientOptions.ExternalPsks"/>).
    /// </summary>
    public byte[]? PskIdentity => (byte[]?)_context.ExternalPskIdentity?.Clone();

    /// <summary>Whether 0-RTT data was offered and what the server did with it.</summary>
    public TlsEarlyDataStatus EarlyDataStatus => _context.EarlyDataStatus;

    /// <summary>True when the server asked for another key share with HelloRetryRequest.</summary>
    public bool HelloRetryRequested => _context.HelloRetryRequested;

    /// <summary>The signature scheme the peer used in CertificateVerify.</summary>
    public TlsSignatureScheme? PeerSignatureScheme => _context.PeerSignatureScheme;

    /// <summary>The peer's certificate chain (DER, leaf first); empty when none was presented.</summary>
    public IReadOnlyList<byte[]> PeerCertificates => _context.PeerCertificates;

    /// <summary>The certificate type the server authenticated with (RFC 7250): X.509 unless a raw public key was negotiated.</summary>
    public TlsCertificateType ServerCertificateType => _context.ServerCertificateType;

    /// <summary>The certificate type negotiated for the client's certificate, when the server asked for one (RFC 7250).</summary>
    public TlsCertificateType ClientCertificateType => _context.ClientCertificateType;

    /// <summary>The peer's raw public key (SubjectPublicKeyInfo DER) when it authenticated with one; null otherwise.</summary>
    public byte[]? PeerRawPublicKey => (byte[]?)_context.PeerRawPublicKey?.Clone();

    /// <summary>Session tickets received from the server, kept for later resumption.</summary>
    public IReadOnlyList<TlsSessionTicket> SessionTickets => new SessionTicketList(_context.Tickets);

    /// <summary>Like <c>SSL_connect</c>: drives the client handshake.</summary>
    /// <exception cref="InvalidOperationException">Called on a server connection.</exception>
    public TlsStatus Connect()
    {
        if (IsServer)
        {
            throw new InvalidOperationException("Connect() is for client connections; use Accept() on a server.");
        }

        return DoHandshake();
    }

    /// <summary>Like <c>SSL_accept</c>: drives the server handshake.</summary>
    /// <exception cref="InvalidOperationException">Called on a client connection.</exception>
    public TlsStatus Accept()
    {
        if (!IsServer)
        {
            throw new InvalidOperationException("Accept() is for server connections; use Connect() on a client.");
        }

        return DoHandshake();
    }

    /// <summary>Like <c>SSL_do_handshake</c>: drives the handshake in either role.</summary>
    public TlsStatus DoHandshake()
    {
        ThrowIfDisposed();
        if (!_failed && !_context.IsConnected)
        {
            RunInbound(wantData: false, default);
        }

        return HandshakeStatus();
    }

    /// <summary>
    /// Like <c>SSL_read</c>: moves decrypted application data into <paramref name="destination"/>.
    /// Drives the handshake first if it is not complete. <c>Closed</c> once the peer's
    /// close_notify has arrived and all data before it was read.
    /// </summary>
    public TlsStatus Read(Span<byte> destination, out int bytesRead)
    {
        ThrowIfDisposed();
        bytesRead = 0;
        if (!_failed && _received.Length == 0 && !_peerClosed)
        {
            bytesRead = RunInbound(wantData: true, destination);
            if (bytesRead > 0)
            {
                return TlsStatus.Ok;
            }
        }

        if (_received.Length > 0 && !_failed)
        {
            bytesRead = _received.Read(destination);
            return TlsStatus.Ok;
        }

        return NoDataStatus();
    }

    /// <summary>
    /// A read that found no data: the handshake's status while it runs, Closed after the peer's
    /// close_notify, else what the host must do next (send pending bytes, or bring more).
    /// </summary>
    private TlsStatus NoDataStatus()
    {
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
    /// Like <c>SSL_write</c>: encrypts as much of <paramref name="data"/> as Outbound has room
    /// for and reports how much was taken. Before the handshake completes, the data is queued
    /// (up to <see cref="TlsOptions.OutboundCapacity"/>) and the handshake's status returned; the
    /// queue is encrypted right behind the final flight, so both leave in one send.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called after <see cref="Shutdown"/>.</exception>
    public TlsStatus Write(ReadOnlySpan<byte> data, out int bytesWritten)
    {
        ThrowIfDisposed();
        bytesWritten = 0;
        if (_context.SentCloseNotify)
        {
            throw new InvalidOperationException("Write() after Shutdown().");
        }

        if (!_context.IsConnected || _failed)
        {
            if (!_failed)
            {
                bytesWritten = _pendingWrites.Write(data);
            }

            TlsStatus status = DoHandshake();
            if (!_context.IsConnected || _failed)
            {
                return status;
            }

            // The handshake completed in this call and the queue went out behind it.
            data = data.Slice(bytesWritten);
            if (data.Length == 0)
            {
                return TlsStatus.Ok;
            }
        }

        int overhead = _context.Records.SealedLength(ContentType.ApplicationData, 0);
        int records = (Outbound.Available / (_context.Records.MaxSendFragment + overhead)) + 1;
        // A KeyUpdate the engine sends on its own (RFC 8446 §5.5) must fit as well.
        int room = Outbound.Available - (records * overhead) - (_context.Records.KeyUpdatesWithin(records) * RecordLayer.KeyUpdateRecordLength);
        if (room <= 0)
        {
            return data.Length == 0 ? TlsStatus.Ok : TlsStatus.WantWrite;
        }

        int take = Math.Min(room, data.Length);
        if (take > 0)
        {
            try
            {
                _context.Records.Write(ContentType.ApplicationData, data.Slice(0, take), Outbound);
            }
            catch (TlsFailureException failure)
            {
                // As in TrySend: a key at the end of its life ends the connection.
                Fail(failure.Reason, failure.Alert, failure.Message);
                return TlsStatus.Failed;
            }
        }

        bytesWritten += take;
        return TlsStatus.Ok;
    }

    /// <summary>
    /// True while Outbound holds handshake records the peer is waiting for: send now. When it is
    /// false, Outbound holds only application data, which a host may batch (Nagle-style).
    /// </summary>
    public bool OutboundHoldsFlight => Outbound.TotalRead < _context.FlightEnd;

    /// <summary>
    /// The buffer pair in one call: takes as much of <paramref name="input"/> as fits into
    /// <see cref="Inbound"/>, advances the handshake, and copies pending output into
    /// <paramref name="output"/>; application data then flows through Read/Write. Hosts that want
    /// no copies use <see cref="Receive"/>, <see cref="Send"/> and <see cref="Transmit"/> instead.
    /// </summary>
    public TlsStatus Process(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        ThrowIfDisposed();
        consumed = Inbound.Write(input);
        TlsStatus status = DoHandshake();
        written = Outbound.Read(output);
        if (status == TlsStatus.WantWrite && Outbound.Length == 0)
        {
            status = DoHandshake();
        }

        return status;
    }

    /// <summary>
    /// Releases the storage of empty buffers, like s2n's release-buffers: an idle connection then
    /// holds only its keys and state. Buffers regrow on the next use. Released storage is zeroed
    /// first: it held plaintext (received data, queued writes, handshake messages).
    /// </summary>
    public void ReleaseBuffers()
    {
        Inbound.ReleaseIfEmpty();
        Outbound.ReleaseIfEmpty();
        _received.ReleaseIfEmpty();
        _pendingWrites.ReleaseIfEmpty();
        _context.Reassembler.ReleaseIfEmpty();
        _context.ReleaseHandshakeStorage();
    }

    /// <summary>The handshake state shared by the layers below (negative tests and the fuzzer reach keys and limits through it).</summary>
    internal HandshakeContext Context => _context;

    /// <summary>Queues <paramref name="content"/> as one record of any type under the current keys (fuzzing and negative tests).</summary>
    internal void WriteRawRecord(ContentType type, ReadOnlySpan<byte> content) => _context.Records.Write(type, content, Outbound);

    /// <summary>Zeroes every secret the connection holds and releases its buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _context.Dispose();
        _received.Clear();
        _pendingWrites.Clear();
        Inbound.Clear();
        Outbound.Clear();
    }
}
