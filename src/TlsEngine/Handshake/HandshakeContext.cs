using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>
/// What every handshake state shares: the record layer and the outbound queue it writes to, the
/// transcript, the negotiated parameters and the secrets the key schedule has produced so far.
/// </summary>
internal sealed class HandshakeContext : IDisposable
{
    private readonly List<byte[]> _secrets = new();
    private TlsVersion? _version;
    private TrafficSecrets? _traffic;
    private bool _connected;

    public HandshakeContext(HandshakeConfig config, bool isServer, TlsBuffer outbound, ICryptoProvider crypto)
    {
        Config = config;
        IsServer = isServer;
        Outbound = outbound;
        Crypto = crypto;
        Reassembler = new HandshakeReassembler(config.MaxHandshakeMessageSize);
        Records = new RecordLayer(Reassembler, config.MaxEmptyRecordsInRow, offersTls12: config.MinVersion <= TlsVersion.Tls12, isServer);
        Transcript = new TranscriptHash(crypto, keepRaw: config.MinVersion <= TlsVersion.Tls12);
    }

    public HandshakeConfig Config { get; }

    public bool IsServer { get; }

    public TlsBuffer Outbound { get; }

    public ICryptoProvider Crypto { get; }

    public RecordLayer Records { get; }

    public HandshakeReassembler Reassembler { get; }

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
            Records.IsTls13 = value == null ? null : value == TlsVersion.Tls13;
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
    public bool AcceptingEarlyData => Records.Epoch == ReadEpoch.EarlyData;

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

    public void SetSuite(CipherSuiteInfo suite)
    {
        Suite = suite;
        Hkdf = new Hkdf(Crypto, suite.Hash);
        Transcript.SetAlgorithm(suite.Hash);
    }

    /// <summary>Where in the Outbound stream the last handshake message ends.</summary>
    public long FlightEnd { get; private set; }

    /// <summary>Hashes <paramref name="encoded"/> into the transcript and queues it as handshake records.</summary>
    public void SendHandshake(byte[] encoded)
    {
        Transcript.Add(encoded);
        Records.Write(ContentType.Handshake, encoded, Outbound);
        FlightEnd = Outbound.TotalWritten;
    }

    /// <summary>The compatibility-mode change_cipher_spec (RFC 8446 Appendix D.4), sent at most once.</summary>
    public void SendChangeCipherSpecOnce()
    {
        if (SentChangeCipherSpec || !Config.MiddleboxCompatibility)
        {
            return;
        }

        SentChangeCipherSpec = true;
        Records.Write(ContentType.ChangeCipherSpec, new byte[] { 1 }, Outbound);
    }

    /// <summary>Turns on new TLS 1.3 read keys for <paramref name="epoch"/>.</summary>
    public void InstallReadSecret(byte[] secret, ReadEpoch epoch) =>
        Records.SetReadProtection(TrafficKeys.Protection(Crypto, RequireSuite, RequireHkdf, secret), epoch);

    public void InstallWriteSecret(byte[] secret) =>
        Records.SetWriteProtection(TrafficKeys.Protection(Crypto, RequireSuite, RequireHkdf, secret));

    /// <summary>Remembers a secret so that it is zeroed when the connection is disposed.</summary>
    public byte[] Own(byte[] secret)
    {
        _secrets.Add(secret);
        return secret;
    }

    public void LogSecret(string label, byte[] secret)
    {
        Config.KeyLog?.Invoke($"{label} {Hex(ClientRandom)} {Hex(secret)}");
    }

    public void Dispose()
    {
        Records.Dispose();
        Traffic = null;
        Reassembler.Clear();
        foreach (byte[] secret in _secrets)
        {
            Array.Clear(secret, 0, secret.Length);
        }

        _secrets.Clear();
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
