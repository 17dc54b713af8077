using System;
using TlsEngine.Buffers;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>
/// TLS over a byte stream: handshake messages go into records as they are (RFC 8446 §5.1), the
/// transcript hashes them as they are, and each secret becomes the record layer's protection.
/// </summary>
internal sealed class StreamHandshakeChannel : IHandshakeChannel
{
    private static readonly byte[] ChangeCipherSpecBody = { 1 };

    private readonly ICryptoProvider _crypto;

    // Handshake messages of one flight waiting to share records (see HoldFlight), while _holding;
    // one buffer per connection, reused by each flight.
    private TlsWriter? _held;
    private bool _holding;

    // Whether a held message is part of the handshake the peer waits on: only those move FlightEnd,
    // as when each went out alone (a flight of session tickets alone is not urgent).
    private bool _heldInTranscript;

    public StreamHandshakeChannel(HandshakeConfig config, bool isServer, TlsBuffer outbound, ICryptoProvider crypto)
    {
        _crypto = crypto;
        Outbound = outbound;
        Reassembler = new HandshakeReassembler(config.MaxHandshakeMessageSize);
        Records = new RecordLayer(Reassembler, config.MaxEmptyRecordsInRow, offersTls12: config.MinVersion <= TlsVersion.Tls12, isServer);
    }

    public RecordLayer Records { get; }

    public HandshakeReassembler Reassembler { get; }

    public TlsBuffer Outbound { get; }

    /// <summary>Where in the Outbound stream the last handshake message ends.</summary>
    public long FlightEnd { get; private set; }

    public bool ReadingEarlyData => Records.Epoch == ReadEpoch.EarlyData;

    public bool TryTakeMessage(out HandshakeMessage message) => Reassembler.TryTake(out message);

    public void SendHandshake(byte[] message, TranscriptHash? transcript, bool initialClientHello = false)
    {
        transcript?.Add(message);
        if (_holding && !initialClientHello)
        {
            _held!.WriteBytes(message);
            _heldInTranscript |= transcript != null;
            return;
        }

        Records.UseInitialRecordVersion = initialClientHello;
        try
        {
            Records.Write(ContentType.Handshake, message, Outbound);
        }
        finally
        {
            Records.UseInitialRecordVersion = false;
        }

        if (transcript != null)
        {
            FlightEnd = Outbound.TotalWritten;
        }
    }

    /// <summary>
    /// From here the handshake messages sent wait to go out together, in as few records as fit
    /// (RFC 8446 §5.1 lets handshake messages share a record): one AEAD seal here and one open at the
    /// peer for a whole encrypted flight. <see cref="ReleaseFlight"/> writes them; so does anything
    /// else that writes a record or changes the write keys, so no message can cross a key change or
    /// fall behind another record.
    /// </summary>
    public void HoldFlight()
    {
        _held ??= new TlsWriter(1024);
        _holding = true;
    }

    /// <summary>Writes the held messages and stops holding.</summary>
    public void ReleaseFlight()
    {
        if (!_holding)
        {
            return;
        }

        _holding = false;
        bool inTranscript = _heldInTranscript;
        _heldInTranscript = false;
        TlsWriter held = _held!;
        if (held.Length > 0)
        {
            try
            {
                Records.Write(ContentType.Handshake, held.WrittenSpan, Outbound);
            }
            finally
            {
                held.Clear();
            }

            if (inTranscript)
            {
                FlightEnd = Outbound.TotalWritten;
            }
        }
    }

    /// <summary>
    /// Drops the held-flight buffer while no flight is held: after the handshake an idle connection
    /// should not keep it (a later flight, such as session tickets, takes a new one).
    /// </summary>
    public void ReleaseHeldFlight()
    {
        if (!_holding)
        {
            // It held handshake plaintext (the encrypted flight's certificates and Finished).
            _held?.Wipe();
            _held = null;
        }
    }

    public void SendChangeCipherSpec()
    {
        ReleaseFlight();
        Records.Write(ContentType.ChangeCipherSpec, ChangeCipherSpecBody, Outbound);
    }

    public void SetVersion(TlsVersion? version) => Records.IsTls13 = version == null ? null : version == TlsVersion.Tls13;

    public void InstallReadSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret) =>
        InstallReadSecret(epoch, suite, hkdf, secret, Span<byte>.Empty);

    public void InstallWriteSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret) =>
        InstallWriteSecret(epoch, suite, hkdf, secret, Span<byte>.Empty);

    /// <summary>As <see cref="InstallReadSecret(ulong, CipherSuiteInfo, Hkdf, byte[])"/>, also expanding the secret's finished_key into <paramref name="finishedKey"/> unless it is empty.</summary>
    public void InstallReadSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret, Span<byte> finishedKey) =>
        Records.SetReadProtection(TrafficKeys.Protection(_crypto, suite, hkdf, secret, finishedKey), ReadEpochOf(epoch));

    /// <summary>As <see cref="InstallWriteSecret(ulong, CipherSuiteInfo, Hkdf, byte[])"/>, also expanding the secret's finished_key into <paramref name="finishedKey"/> unless it is empty.</summary>
    public void InstallWriteSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret, Span<byte> finishedKey)
    {
        ReleaseFlight();
        Records.SetWriteProtection(TrafficKeys.Protection(_crypto, suite, hkdf, secret, finishedKey));
    }

    public void SendEarlyData(ReadOnlySpan<byte> data)
    {
        ReleaseFlight();
        Records.Write(ContentType.ApplicationData, data, Outbound);
    }

    public void DropEarlyWriteKeys()
    {
        ReleaseFlight();
        Records.ClearWriteProtection();
    }

    public void AcceptEarlyData(CipherSuiteInfo suite, Hkdf hkdf, byte[] clientEarlySecret, uint maxEarlyDataSize) =>
        Records.AcceptEarlyData(TrafficKeys.Protection(_crypto, suite, hkdf, clientEarlySecret), maxEarlyDataSize);

    public void SkipRejectedEarlyData(long budget, bool afterHelloRetryRequest) => Records.SkipRejectedEarlyData(budget, afterHelloRetryRequest);

    public void InstallTls12ReadKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys) =>
        Records.SetReadProtection(new Tls12RecordProtection(_crypto, suite, keys.Key, keys.FixedIv), ReadEpoch.Tls12Handshake);

    public void InstallTls12WriteKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys)
    {
        ReleaseFlight();
        Records.SetWriteProtection(new Tls12RecordProtection(_crypto, suite, keys.Key, keys.FixedIv));
    }

    public void EnterTls12Application() => Records.EnterTls12Application();

    public void LimitSentFragments(int maxContent) => Records.LimitSentFragments(maxContent);

    public void LimitReceivedRecords(int limit) => Records.LimitReceivedRecords(limit);

    public void Dispose()
    {
        _holding = false;
        _held?.Wipe();
        _held = null;
        Records.Dispose();
        Reassembler.Clear();
    }

    private static ReadEpoch ReadEpochOf(ulong epoch) => epoch switch
    {
        TrafficEpoch.EarlyData => ReadEpoch.EarlyData,
        TrafficEpoch.Handshake => ReadEpoch.Handshake,
        _ => ReadEpoch.Application,
    };
}
