using System;
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

    public void SendChangeCipherSpec() => Records.Write(ContentType.ChangeCipherSpec, ChangeCipherSpecBody, Outbound);

    public void SetVersion(TlsVersion? version) => Records.IsTls13 = version == null ? null : version == TlsVersion.Tls13;

    public void InstallReadSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret) =>
        Records.SetReadProtection(TrafficKeys.Protection(_crypto, suite, hkdf, secret), ReadEpochOf(epoch));

    public void InstallWriteSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret) =>
        Records.SetWriteProtection(TrafficKeys.Protection(_crypto, suite, hkdf, secret));

    /// <summary>As <see cref="InstallReadSecret(ulong, CipherSuiteInfo, Hkdf, byte[])"/>, also expanding the secret's finished_key into <paramref name="finishedKey"/>.</summary>
    public void InstallReadSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret, Span<byte> finishedKey) =>
        Records.SetReadProtection(TrafficKeys.Protection(_crypto, suite, hkdf, secret, finishedKey), ReadEpochOf(epoch));

    /// <summary>As <see cref="InstallWriteSecret(ulong, CipherSuiteInfo, Hkdf, byte[])"/>, also expanding the secret's finished_key into <paramref name="finishedKey"/>.</summary>
    public void InstallWriteSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret, Span<byte> finishedKey) =>
        Records.SetWriteProtection(TrafficKeys.Protection(_crypto, suite, hkdf, secret, finishedKey));

    public void SendEarlyData(ReadOnlySpan<byte> data) => Records.Write(ContentType.ApplicationData, data, Outbound);

    public void DropEarlyWriteKeys() => Records.ClearWriteProtection();

    public void AcceptEarlyData(CipherSuiteInfo suite, Hkdf hkdf, byte[] clientEarlySecret, uint maxEarlyDataSize) =>
        Records.AcceptEarlyData(TrafficKeys.Protection(_crypto, suite, hkdf, clientEarlySecret), maxEarlyDataSize);

    public void SkipRejectedEarlyData(long budget, bool afterHelloRetryRequest) => Records.SkipRejectedEarlyData(budget, afterHelloRetryRequest);

    public void InstallTls12ReadKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys) =>
        Records.SetReadProtection(new Tls12RecordProtection(_crypto, suite, keys.Key, keys.FixedIv), ReadEpoch.Tls12Handshake);

    public void InstallTls12WriteKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys) =>
        Records.SetWriteProtection(new Tls12RecordProtection(_crypto, suite, keys.Key, keys.FixedIv));

    public void EnterTls12Application() => Records.EnterTls12Application();

    public void LimitSentFragments(int maxContent) => Records.LimitSentFragments(maxContent);

    public void LimitReceivedRecords(int limit) => Records.LimitReceivedRecords(limit);

    public void Dispose()
    {
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
