using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>
/// What every handshake state shares: the channel its messages and keys go through, the
/// transcript, the negotiated parameters and the secrets the key schedule has produced so far.
/// </summary>
internal sealed class HandshakeContext : IDisposable
{
    private readonly List<byte[]> _secrets = new();
    private readonly List<IDisposable> _owned = new();
    private readonly StreamHandshakeChannel? _stream;
    private TlsVersion? _version;
    private TrafficSecrets? _traffic;
    private bool _connected;

    /// <summary>TLS over a stream: the record layer writes into <paramref name="outbound"/>.</summary>
    public HandshakeContext(HandshakeConfig config, bool isServer, TlsBuffer outbound, ICryptoProvider crypto)
        : this(config, isServer, crypto, new StreamHandshakeChannel(config, isServer, outbound, crypto))
    {
    }

    /// <summary>Any channel: the datagram layer, or a test's.</summary>
    public HandshakeContext(HandshakeConfig config, bool isServer, ICryptoProvider crypto, IHandshakeChannel channel)
    {
        Config = config;
        IsServer = isServer;
        Crypto = crypto;
        Channel = channel;
        _stream = channel as StreamHandshakeChannel;
        Transcript = new TranscriptHash(crypto, keepRaw: config.MinVersion <= TlsVersion.Tls12);
    }

    public HandshakeConfig Config { get; }

    public bool IsServer { get; }

    public ICryptoProvider Crypto { get; }

    /// <summary>Where handshake messages and traffic keys go; the states use nothing else of the record layer.</summary>
    public IHandshakeChannel Channel { get; }

    /// <summary>DTLS: datagram rules for the hellos, versions, cookies and key labels (RFC 9147, RFC 6347).</summary>
    public bool IsDatagram => Config.Datagram;

    /// <summary>Server: the client's transport address, bound into stateless cookies (RFC 9147 §5.1); empty when none.</summary>
    public byte[] PeerAddress { get; set; } = Array.Empty<byte>();

    /// <summary>Set once the hellos negotiated connection ids: the peer's, for the records this side sends (RFC 9146 §3).</summary>
    public byte[]? PeerConnectionId { get; set; }

    /// <summary>Server: the cookie key made for this connection when the host shares none (<see cref="ServerConfig.CookieKey"/>).</summary>
    public byte[]? LocalCookieKey { get; set; }

    /// <summary>The stream connection's record layer (the connection's own paths: application data, alerts).</summary>
    public RecordLayer Records => Stream.Records;

    public TlsBuffer Outbound => Stream.Outbound;

    public HandshakeReassembler Reassembler => Stream.Reassembler;

    private StreamHandshakeChannel Stream => _stream ?? throw TlsFailureException.Internal("This connection has no stream record layer.");

    public TranscriptHash Transcript { get; }

    public TlsRandom Random => Config.Random;

    public DateTimeOffset Now => Config.TimeProvider.GetUtcNow();

    public CipherSuiteInfo? Suite { get; private set; }

    public Hkdf? Hkdf { get; private set; }

    public byte[] ClientRandom { get; set; } = Array.Empty<byte>();

    public byte[] ServerRandom { get; set; } = Array.Empty<byte>();

    /// <summary>The negotiated version, once ServerHello is sent or received.</summary>
    public TlsVersion? Version
    {
        get => _version;
        set
        {
            _version = value;
            Channel.SetVersion(value);
            if (value == TlsVersion.Tls13)
            {
                Transcript.DropRaw();
            }
        }
    }

    /// <summary>TLS 1.2: the session id the server chose.</summary>
    public byte[] SessionId12 { get; set; } = Array.Empty<byte>();

    /// <summary>TLS 1.2: the server acknowledged session_ticket and will send a NewSessionTicket.</summary>
    public bool TicketPromised12 { get; set; }

    /// <summary>TLS 1.2 master secret (48 bytes).</summary>
    public byte[]? MasterSecret12 { get; set; }

    // Negotiated results, published through the connection's properties.
    public TlsNamedGroup? Group { get; set; }

    public string? ApplicationProtocol { get; set; }

    public string? ServerName { get; set; }

    /// <summary>Client: the SNI to send and the name to verify, fixed when the connection was created.</summary>
    public X509.ServerIdentity? ServerIdentity => (Config as ClientConfig)?.ServerIdentity;

    public TlsSignatureScheme? PeerSignatureScheme { get; set; }

    public IReadOnlyList<byte[]> PeerCertificates { get; set; } = Array.Empty<byte[]>();

    /// <summary>The certificate types negotiated for each side (RFC 7250); X.509 unless both agreed otherwise.</summary>
    public TlsCertificateType ServerCertificateType { get; set; }

    public TlsCertificateType ClientCertificateType { get; set; }

    /// <summary>The peer's raw public key (SubjectPublicKeyInfo DER), once it has been checked against the pins.</summary>
    public byte[]? PeerRawPublicKey { get; set; }

    public bool HelloRetryRequested { get; set; }

    public bool IsResumed { get; set; }

    /// <summary>The identity of the external PSK that authenticated the handshake (RFC 8446 §2.2); null otherwise.</summary>
    public byte[]? ExternalPskIdentity { get; set; }

    public TlsEarlyDataStatus EarlyDataStatus { get; set; }

    /// <summary>Server: early data records are being read (between the first flight and EndOfEarlyData).</summary>
    public bool AcceptingEarlyData => Channel.ReadingEarlyData;

    /// <summary>Server: the client sent psk_key_exchange_modes, so tickets are useful to it.</summary>
    public bool PeerWantsTickets { get; set; }

    /// <summary>The built-in verdict on the peer's chain while the host decides (null: it passed).</summary>
    public TlsFailureException? PendingVerdict { get; set; }

    /// <summary>The signature the host is asked for.</summary>
    public (TlsSignatureScheme Scheme, byte[] Data)? PendingSignature { get; set; }

    /// <summary>The server's credential, chosen per connection (SNI).</summary>
    public LocalCredential? LocalCredential { get; set; }

    /// <summary>True once both Finished messages are exchanged; the transcript is released then.</summary>
    public bool IsConnected
    {
        get => _connected;
        set
        {
            _connected = value;
            if (value)
            {
                Transcript.Release();
            }
        }
    }

    public bool SentChangeCipherSpec { get; set; }

    /// <summary>Our close_notify is queued: nothing else may follow it (RFC 8446 §6.1).</summary>
    public bool SentCloseNotify { get; set; }

    /// <summary>
    /// DTLS 1.3: a KeyUpdate is due but waits until the one in flight is acknowledged (RFC 9147 §8);
    /// <see cref="KeyUpdateRequestOwed"/> says whether it asks the peer to update too.
    /// </summary>
    public bool KeyUpdateOwed { get; set; }

    public bool KeyUpdateRequestOwed { get; set; }

    public List<SessionRecord> Tickets { get; } = new();

    /// <summary>TLS 1.3 traffic secrets, from ServerHello on; each superseded one is zeroed at once.</summary>
    public TrafficSecrets? Traffic
    {
        get => _traffic;
        set
        {
            _traffic?.Dispose();
            _traffic = value;
        }
    }

    public TrafficSecrets RequireTraffic => _traffic ?? throw TlsFailureException.Internal("Traffic secrets used before ServerHello.");

    public byte[]? ExporterSecret { get; set; }

    public byte[] RequireExporterSecret => ExporterSecret ?? throw TlsFailureException.Internal("The exporter secret is derived with the server's Finished.");

    public byte[] RequireResumptionSecret => ResumptionSecret ?? throw TlsFailureException.Internal("The resumption secret is derived with the client's Finished.");

    public byte[] RequireMasterSecret12 => MasterSecret12 ?? throw TlsFailureException.Internal("The TLS 1.2 master secret is not established yet.");

    public byte[]? ResumptionSecret { get; set; }

    public Hkdf RequireHkdf => Hkdf ?? throw TlsFailureException.Internal("Key schedule used before the cipher suite was chosen.");

    public CipherSuiteInfo RequireSuite => Suite ?? throw TlsFailureException.Internal("Cipher suite not chosen.");

    /// <summary>The HKDF-Expand-Label prefix: "dtls13" in DTLS 1.3 (RFC 9147 §5.9), "tls13 " otherwise.</summary>
    public string LabelPrefix => IsDatagram ? Hkdf.Dtls13LabelPrefix : Hkdf.Tls13LabelPrefix;

    public void SetSuite(CipherSuiteInfo suite)
    {
        Suite = suite;
        Hkdf = new Hkdf(Crypto, suite.Hash, LabelPrefix);
        Transcript.SetAlgorithm(suite.Hash);
    }

    /// <summary>Where in the Outbound stream the last handshake message ends (stream connections).</summary>
    public long FlightEnd => _stream?.FlightEnd ?? 0;

    /// <summary>The TLS 1.3 epoch of the read keys installed last (<see cref="TrafficEpoch"/>); 0 before any.</summary>
    public ulong ReadEpochNumber { get; private set; }

    /// <summary>The TLS 1.3 epoch of the write keys installed last; 0 before any.</summary>
    public ulong WriteEpochNumber { get; private set; }

    /// <summary>Feeds the transcript and sends one handshake message (4-byte header and body).</summary>
    public void SendHandshake(byte[] encoded) => Channel.SendHandshake(encoded, Transcript);

    /// <summary>A handshake message that stays out of the transcript: NewSessionTicket, KeyUpdate (RFC 8446 §4.6), HelloVerifyRequest.</summary>
    public void SendOutsideTranscript(byte[] encoded) => Channel.SendHandshake(encoded, null);

    /// <summary>
    /// TLS: the handshake messages sent from here share records until <see cref="ReleaseFlight"/> or the
    /// next write key (RFC 8446 §5.1). DTLS keeps its own flights.
    /// </summary>
    public void HoldFlight() => _stream?.HoldFlight();

    /// <summary>Writes the messages held since <see cref="HoldFlight"/>.</summary>
    public void ReleaseFlight() => _stream?.ReleaseFlight();

    /// <summary>The compatibility-mode change_cipher_spec (RFC 8446 Appendix D.4), sent at most once; never in DTLS 1.3 (RFC 9147 §5).</summary>
    public void SendChangeCipherSpecOnce()
    {
        if (SentChangeCipherSpec || !Config.MiddleboxCompatibility || IsDatagram)
        {
            return;
        }

        SentChangeCipherSpec = true;
        Channel.SendChangeCipherSpec();
    }

    /// <summary>Turns on new TLS 1.3 read keys for <paramref name="epoch"/> (<see cref="TrafficEpoch"/>).</summary>
    public void InstallReadSecret(byte[] secret, ulong epoch)
    {
        if (_stream != null && epoch == TrafficEpoch.Handshake && _traffic != null)
        {
            _stream.InstallReadSecret(epoch, RequireSuite, RequireHkdf, secret, _traffic.NewFinishedKey(client: IsServer, RequireHkdf.HashLength));
        }
        else
        {
            Channel.InstallReadSecret(epoch, RequireSuite, RequireHkdf, secret);
        }

        ReadEpochNumber = epoch;
    }

    /// <summary>Turns on new TLS 1.3 write keys for <paramref name="epoch"/> (<see cref="TrafficEpoch"/>).</summary>
    public void InstallWriteSecret(byte[] secret, ulong epoch)
    {
        // The handshake traffic secret also gives this direction's finished_key (RFC 8446 §4.4.4):
        // expanded with the record keys from one keyed HMAC.
        if (_stream != null && epoch == TrafficEpoch.Handshake && _traffic != null)
        {
            _stream.InstallWriteSecret(epoch, RequireSuite, RequireHkdf, secret, _traffic.NewFinishedKey(client: !IsServer, RequireHkdf.HashLength));
        }
        else
        {
            Channel.InstallWriteSecret(epoch, RequireSuite, RequireHkdf, secret);
        }

        WriteEpochNumber = epoch;
    }

    /// <summary>Remembers a secret so that it is zeroed when the connection is disposed.</summary>
    public byte[] Own(byte[] secret)
    {
        _secrets.Add(secret);
        return secret;
    }

    /// <summary>Remembers a holder of secrets (a key schedule stage) so that it is disposed with the connection.</summary>
    public T Own<T>(T holder)
        where T : class, IDisposable
    {
        _owned.Add(holder);
        return holder;
    }

    public void LogSecret(string label, byte[] secret)
    {
        Config.KeyLog?.Invoke($"{label} {Hex(ClientRandom)} {Hex(secret)}");
    }

    /// <summary>Drops storage only the handshake uses once it is over (see <see cref="StreamHandshakeChannel.ReleaseHeldFlight"/>).</summary>
    public void ReleaseHandshakeStorage() => _stream?.ReleaseHeldFlight();

    public void Dispose()
    {
        Channel.Dispose();
        Traffic = null;
        // An abandoned handshake still holds its transcript hash (a native context on the platform provider).
        Transcript.Release();
        foreach (byte[] secret in _secrets)
        {
            Array.Clear(secret, 0, secret.Length);
        }

        _secrets.Clear();
        foreach (IDisposable holder in _owned)
        {
            holder.Dispose();
        }

        _owned.Clear();
    }

    private static string Hex(byte[] bytes)
    {
        var chars = new char[bytes.Length * 2];
        const string digits = "0123456789abcdef";
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = digits[bytes[i] >> 4];
            chars[(2 * i) + 1] = digits[bytes[i] & 0xF];
        }

        return new string(chars);
    }
}
