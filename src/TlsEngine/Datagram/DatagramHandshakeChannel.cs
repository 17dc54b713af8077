using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.KeySchedule;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>How a datagram connection sends: the largest datagram and the retransmission timer's bounds.</summary>
internal sealed record DatagramTransport(int Mtu, TimeSpan InitialTimeout, TimeSpan MaxTimeout, int MaxRetransmissions);

/// <summary>
/// The handshake channel of DTLS 1.3 (RFC 9147) and DTLS 1.2 (RFC 6347): the states' TLS-form
/// messages get a message_seq, travel as handshake fragments in records of the epoch their keys
/// belong to, and are grouped into flights that are retransmitted until the peer answers or
/// acknowledges them. Received datagrams are read record by record (<see cref="ReadRecord"/>) so
/// that keys a message installs apply to the records after it in the same datagram.
/// </summary>
internal sealed partial class DatagramHandshakeChannel : IHandshakeChannel
{
    private static readonly byte[] ChangeCipherSpecBody = { 1 };

    private readonly ICryptoProvider _crypto;
    private readonly bool _isServer;
    private readonly bool _offers12;
    private readonly int _mtu;
    private readonly DtlsRecordLayer _records = new();
    private readonly HandshakeFragmentReassembler _reassembler;
    private readonly OutgoingFlight _flight;
    private readonly AckTracker _acks;
    private readonly List<ulong> _readEpochs = new() { 0 };

    private TlsVersion? _version;
    private ushort _nextSendSeq;
    private ulong _writeEpoch;
    private ulong _readEpoch;
    private bool _startNewFlight = true;
    private bool _flightUnsent;
    private bool _flightStateless;
    private bool _messageReceived;
    private bool _tls12Application;
    private int _maxContent = DtlsRecordLayer.MaxContentLength;

    // The ClientHello sent before the version was known, in DTLS 1.2's transcript form (see SetVersion).
    private TranscriptHash? _helloTranscript;
    private byte[]? _helloTls12Form;

    public DatagramHandshakeChannel(HandshakeConfig config, bool isServer, ICryptoProvider crypto, DatagramTransport transport)
    {
        _crypto = crypto;
        _isServer = isServer;
        _offers12 = config.MinVersion <= TlsVersion.Tls12;
        _mtu = transport.Mtu;
        _scratch = new byte[transport.Mtu];
        _reassembler = new HandshakeFragmentReassembler(config.MaxHandshakeMessageSize);
        var timer = new RetransmitTimer(config.TimeProvider, transport.InitialTimeout, transport.MaxTimeout, transport.MaxRetransmissions);
        _flight = new OutgoingFlight(timer);
        _acks = new AckTracker(config.TimeProvider);
        if (config.ConnectionId != null)
        {
            _records.SetReceiveConnectionId(config.ConnectionId);
        }
    }

    /// <summary>The record layer, for the connection ids and which records authenticated (RFC 9146 §6, RFC 9147 §9).</summary>
    public DtlsRecordLayer Records => _records;

    /// <summary>The negotiated version (Tls13: DTLS 1.3, Tls12: DTLS 1.2), null until the hellos settle it.</summary>
    public TlsVersion? Version => _version;

    /// <summary>Both Finished messages are through (set by the connection).</summary>
    public bool HandshakeComplete { get; private set; }

    /// <summary>DTLS 1.2: the peer's change_cipher_spec arrived and waits for the state that expects it.</summary>
    public bool ChangeCipherSpecPending { get; set; }

    /// <summary>Records dropped, for every reason (RFC 9147 §4.5.2).</summary>
    public RecordDropCounters Drops => _records.Drops;

    /// <summary>Flights, or parts of them, written again (on the timer, on an ACK, on the peer's retransmission).</summary>
    public int Retransmissions { get; private set; }

    public bool ReadingEarlyData => false;

    public bool TryTakeMessage(out HandshakeMessage message)
    {
        if (!_reassembler.TryTake(out DtlsHandshakeMessage received))
        {
            message = default;
            return false;
        }

        // The peer's next flight answers ours: it is acknowledged implicitly (RFC 9147 §7, RFC 6347 §4.2.4).
        // That includes the client's final flight, answered by the server's first post-handshake message
        // under its application keys; post-handshake flights are acknowledged explicitly only (§5.8.4).
        if (!_postHandshakeFlight)
        {
            _flight.Complete();
            _startNewFlight = true;
        }

        _messageReceived = true;
        if (HandshakeComplete && _version == TlsVersion.Tls13)
        {
            // RFC 9147 §5.8.4, §7: post-handshake messages are acknowledged explicitly.
            _acks.AckNow();
        }

        message = _version switch
        {
            TlsVersion.Tls12 => new HandshakeMessage(received.Type, received.Encoded, Tls12Form(received.Encoded, received.MessageSeq)),
            null when _offers12 => new HandshakeMessage(received.Type, received.Encoded, null, Tls12Form(received.Encoded, received.MessageSeq)),
            _ => received.ToTlsMessage(),
        };
        return true;
    }

    public void SendHandshake(byte[] message, TranscriptHash? transcript, bool initialClientHello = false)
    {
        if (!StartPostHandshakeFlight(message))
        {
            StartFlightIfNeeded(stateless: _isServer && !HandshakeComplete && transcript == null);
        }

        ushort seq = _nextSendSeq++;
        if (transcript != null)
        {
            if (_version == TlsVersion.Tls12)
            {
                transcript.Add(Tls12Form(message, seq));
            }
            else
            {
                // RFC 9147 §5.2: DTLS 1.3 hashes the TLS form. Before the version is known (the ClientHello)
                // the DTLS 1.2 form is kept too, in case the server picks DTLS 1.2.
                transcript.Add(message);
                if (_version == null && _offers12)
                {
                    _helloTranscript = transcript;
                    _helloTls12Form = Tls12Form(message, seq);
                }
            }
        }

        _flight.AddHandshake(_writeEpoch, seq, message);
        _flightUnsent = true;
    }

    public void SendChangeCipherSpec()
    {
        StartFlightIfNeeded(stateless: false);
        _flight.AddRecord(_writeEpoch, ContentType.ChangeCipherSpec, ChangeCipherSpecBody);
        _flightUnsent = true;
    }

    public void SetVersion(TlsVersion? version)
    {
        _version = version;
        if (version == TlsVersion.Tls12 && _helloTranscript is { HasAlgorithm: false } transcript && _helloTls12Form != null)
        {
            // RFC 6347 §4.2.6: DTLS 1.2's transcript holds the ClientHello with its 12-byte header. The
            // transcript has only that ClientHello so far (a HelloVerifyRequest restarted it), unhashed.
            transcript.Restart();
            transcript.Add(_helloTls12Form);
        }

        _helloTranscript = null;
        _helloTls12Form = null;
    }

    public void InstallReadSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret) =>
        AddReadEpoch(epoch, Dtls13RecordProtection.FromTrafficSecret(_crypto, suite, secret));

    public void InstallWriteSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret) => InstallDtls13WriteKeys(epoch, suite, secret);

    public void SendEarlyData(ReadOnlySpan<byte> data) => throw TlsFailureException.Internal("No 0-RTT over datagrams.");

    public void DropEarlyWriteKeys()
    {
    }

    public void AcceptEarlyData(CipherSuiteInfo suite, Hkdf hkdf, byte[] clientEarlySecret, uint maxEarlyDataSize) =>
        throw TlsFailureException.Internal("No 0-RTT over datagrams.");

    public void SkipRejectedEarlyData(long budget, bool afterHelloRetryRequest)
    {
        // Never offered over datagrams, so there is nothing to skip.
    }

    /// <summary>RFC 6347 §4.1: the change_cipher_spec moves the peer to epoch 1.</summary>
    public void InstallTls12ReadKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys)
    {
        ChangeCipherSpecPending = false;
        AddReadEpoch(_readEpoch + 1, new Dtls12RecordProtection(_crypto, suite.Aead, keys.Key, keys.FixedIv));
    }

    public void InstallTls12WriteKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys)
    {
        ulong epoch = _writeEpoch + 1;
        _records.AddWriteEpoch(epoch, new Dtls12RecordProtection(_crypto, suite.Aead, keys.Key, keys.FixedIv));
        _writeEpoch = epoch;
    }

    public void EnterTls12Application() => _tls12Application = true;

    public void LimitSentFragments(int maxContent) => _maxContent = Math.Max(HandshakeFragmenter.MinFragmentSize, Math.Min(_maxContent, maxContent));

    public void LimitReceivedRecords(int limit)
    {
        // Records arrive whole in a datagram; the receive buffer bounds them, not a stream deframer.
    }

    /// <summary>The connection saw the handshake complete; a DTLS 1.3 server acknowledges the client's final flight (RFC 9147 §5.8.3).</summary>
    public void MarkHandshakeComplete()
    {
        if (HandshakeComplete)
        {
            return;
        }

        HandshakeComplete = true;
        if (_isServer && _version == TlsVersion.Tls13)
        {
            _acks.AckNow();
        }
    }

    public void Dispose()
    {
        _records.Dispose();
        _reassembler.Clear();
        _received.Clear();
        _outgoing.Clear();
    }

    private void StartFlightIfNeeded(bool stateless)
    {
        if (!_startNewFlight)
        {
            return;
        }

        _startNewFlight = false;
        _flight.Begin();
        _flightStateless = stateless;
        _postHandshakeFlight = false;
        if (!HandshakeComplete)
        {
            // Our flight acknowledges the peer's implicitly (RFC 9147 §7.1).
            _acks.Clear();
        }
    }

    /// <summary>
    /// Adds read keys and keeps one epoch before them for the peer's retransmissions and
    /// reordered records (RFC 9147 §4.2.1); older epochs are retired and their keys zeroed.
    /// </summary>
    private void AddReadEpoch(ulong epoch, DtlsRecordProtection protection)
    {
        _records.AddReadEpoch(epoch, protection);
        ulong previous = _readEpoch;
        _readEpoch = epoch;
        _readEpochs.Add(epoch);
        for (int i = _readEpochs.Count - 1; i >= 0; i--)
        {
            if (_readEpochs[i] < previous)
            {
                _records.RetireReadEpoch(_readEpochs[i]);
                _readEpochs.RemoveAt(i);
            }
        }

        RetryHeldRecords();
    }

    /// <summary>RFC 6347 §4.2.6: the message as if sent in one fragment, 12-byte header then body.</summary>
    private static byte[] Tls12Form(byte[] message, ushort messageSeq)
    {
        int bodyLength = message.Length - DtlsHandshakeHeader.TlsLength;
        byte[] form = new byte[DtlsHandshakeHeader.Length + bodyLength];
        DtlsHandshakeHeader.WriteUnfragmented(form, message[0], bodyLength, messageSeq);
        message.AsSpan(DtlsHandshakeHeader.TlsLength).CopyTo(form.AsSpan(DtlsHandshakeHeader.Length));
        return form;
    }
}
