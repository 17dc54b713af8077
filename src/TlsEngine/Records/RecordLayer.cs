using System;

namespace TlsEngine.Records;

/// <summary>One record taken off the wire, already decrypted when protection is active.</summary>
internal readonly ref struct Record
{
    public Record(ContentType type, Span<byte> content)
    {
        Type = type;
        Content = content;
    }

    /// <summary>
    /// Handshake (its bytes are already in the reassembler), ApplicationData, ChangeCipherSpec
    /// (TLS 1.2 only: a protocol step for the state machine) or Alert (only ever close_notify).
    /// </summary>
    public ContentType Type { get; }

    /// <summary>A slice of the input the record was read from (decrypted in place there): valid while that input is.</summary>
    public Span<byte> Content { get; }
}

/// <summary>
/// Deframes records from the inbound queue (any split of the input), applies the record policy
/// (<see cref="RecordPolicy"/>) and handles alerts and change_cipher_spec, so the layers above see
/// only legal handshake bytes and application data; frames outgoing content into records no
/// larger than <see cref="MaxSendFragment"/> (2^14 bytes unless the peer asked for less), protected
/// once keys are installed.
/// </summary>
internal sealed partial class RecordLayer : IDisposable
{
    private readonly HandshakeReassembler _reassembler;
    private readonly int _maxEmptyRecordsInRow;
    private readonly bool _offersTls12;
    private readonly bool _isServer;

    private IRecordProtection? _read;
    private IRecordProtection? _write;
    private int? _receiveLimit;

    public RecordLayer(HandshakeReassembler reassembler, int maxEmptyRecordsInRow, bool offersTls12, bool isServer)
    {
        _isServer = isServer;
        _reassembler = reassembler;
        _maxEmptyRecordsInRow = maxEmptyRecordsInRow;
        _offersTls12 = offersTls12;
    }

    /// <summary>The first ClientHello goes out with legacy_record_version 0x0301 for old middleboxes.</summary>
    public bool UseInitialRecordVersion { get; set; }

    public ReadEpoch Epoch { get; private set; }

    /// <summary>Set once the version is negotiated; null before. Decides how alert levels are read.</summary>
    public bool? IsTls13 { get; set; }

    public bool IsWriteProtected => _write != null;

    /// <summary>
    /// Called before application data would be sealed under a key that has carried as many records as
    /// its AEAD safely allows (RFC 8446 §5.5); the handshake layer answers with a KeyUpdate.
    /// </summary>
    public Action? WriteKeyExhausted { get; set; }

    internal IRecordProtection? WriteProtection => _write;

    internal IRecordProtection? ReadProtection => _read;

    /// <summary>A TLS 1.3 KeyUpdate on the wire: header, the 5-byte message, the inner type and the tag.</summary>
    public const int KeyUpdateRecordLength = RecordLimits.HeaderLength + 5 + 1 + RecordLimits.TagLength;

    /// <summary>Lowers every key's usage limit so tests can reach it.</summary>
    internal ulong? UsageLimitOverride { get; set; }

    private ulong WriteUsageLimit => UsageLimitOverride ?? _write!.UsageLimit;

    /// <summary>
    /// Most content bytes this side puts in one record: 2^14 (RFC 8446 §5.1), or less when the peer
    /// announced a record size limit (RFC 8449 §4) or a maximum fragment length was agreed (RFC 6066 §4).
    /// </summary>
    public int MaxSendFragment { get; set; } = RecordLimits.MaxPlaintext;

    /// <summary>Lowers <see cref="MaxSendFragment"/>; never raises it past 2^14.</summary>
    public void LimitSentFragments(int maxContent) => MaxSendFragment = Math.Max(1, Math.Min(maxContent, RecordLimits.MaxPlaintext));

    /// <summary>
    /// Refuses received protected records whose plaintext exceeds <paramref name="limit"/> (as
    /// <see cref="IRecordProtection.ReceiveLimit"/> counts it), from now on and under every later key
    /// but 0-RTT's, whose limit was set by an earlier handshake (RFC 8449 §4).
    /// </summary>
    public void LimitReceivedRecords(int limit)
    {
        _receiveLimit = limit;
        if (_read != null && Epoch != ReadEpoch.EarlyData)
        {
            _read.ReceiveLimit = limit;
        }
    }

    /// <summary>Turns on new read keys. A handshake message must not span the change (RFC 8446 §5.1).</summary>
    public void SetReadProtection(IRecordProtection protection, ReadEpoch epoch)
    {
        if (_reassembler.HasPartialMessage)
        {
            throw new TlsFailureException(TlsFailureReason.HandshakeMessageSpansKeyChange, "Handshake data continued across a change of keys.");
        }

        _read?.Dispose();
        _read = protection;
        Epoch = epoch;
        if (_receiveLimit is int limit && epoch != ReadEpoch.EarlyData)
        {
            protection.ReceiveLimit = limit;
        }

        _openedInEpoch = false;
    }

    /// <summary>TLS 1.2: the peer's Finished verified; application data may follow under the same keys.</summary>
    public void EnterTls12Application() => Epoch = ReadEpoch.Tls12Application;

    /// <summary>After a HelloRetryRequest the second ClientHello goes out in the clear again, whatever 0-RTT keys were set.</summary>
    public void ClearWriteProtection()
    {
        _write?.Dispose();
        _write = null;
    }

    public void SetWriteProtection(IRecordProtection protection)
    {
        _write?.Dispose();
        _write = protection;
    }

    /// <summary>
    /// How many KeyUpdate records <see cref="WriteKeyExhausted"/> would add while <paramref name="records"/>
    /// application data records are written, so a caller can keep them within Outbound's capacity.
    /// </summary>
    public int KeyUpdatesWithin(int records)
    {
        if (_write == null || records <= 0 || IsTls13 != true)
        {
            return 0;
        }

        // The check runs before each record; after an update the new key starts at sequence 0.
        ulong limit = WriteUsageLimit;
        ulong sequence = _write.SequenceNumber;
        ulong first = sequence >= limit ? 0 : limit - sequence;
        if (first >= (ulong)records)
        {
            return 0;
        }

        return 1 + (int)(((ulong)records - 1 - first) / Math.Max(limit, 1));
    }

    /// <summary>True when the next application data record would exceed the write key's usage limit.</summary>
    /// <remarks>TLS 1.2 has no KeyUpdate: its sequence guard ends the connection instead.</remarks>
    public bool WriteKeyExhaustedNow => IsTls13 == true && _write != null && _write.SequenceNumber >= WriteUsageLimit;

    /// <summary>The bytes on the wire, header included, of one record carrying <paramref name="contentLength"/> bytes.</summary>
    public int SealedLength(ContentType type, int contentLength) =>
        _write != null && type != ContentType.ChangeCipherSpec ? _write.SealedLength(contentLength) : RecordLimits.HeaderLength + contentLength;

    /// <summary>Writes <paramref name="content"/> as one or more records, fragmenting at <see cref="MaxSendFragment"/>.</summary>
    public void Write(ContentType type, ReadOnlySpan<byte> content, TlsBuffer outbound)
    {
        do
        {
            int take = Math.Min(content.Length, MaxSendFragment);
            if (type == ContentType.ApplicationData && WriteKeyExhaustedNow)
            {
                WriteKeyExhausted?.Invoke();
            }

            ReadOnlySpan<byte> fragment = content.Slice(0, take);
            Span<byte> record = outbound.Reserve(SealedLength(type, take));
            outbound.Commit(WriteRecord(type, fragment, record));
            content = content.Slice(take);
        }
        while (content.Length > 0);
    }

    /// <summary>
    /// Writes one record of <paramref name="fragment"/> (at most <see cref="MaxSendFragment"/> bytes) into the first
    /// <see cref="SealedLength"/> bytes of <paramref name="output"/>; the fragment may overlap the output.
    /// </summary>
    public int WriteRecord(ContentType type, ReadOnlySpan<byte> fragment, Span<byte> output)
    {
        if (type == ContentType.Handshake)
        {
            _handshakeSeen = true;
        }

        if (type == ContentType.ApplicationData && WriteKeyExhaustedNow)
        {
            // The caller replaces the key first; sealing another record under it would break the AEAD's limit.
            throw new TlsFailureException(TlsFailureReason.Internal, "A record was about to be sealed under an exhausted key.");
        }

        if (_write != null && type != ContentType.ChangeCipherSpec)
        {
            return _write.Seal(type, fragment, output);
        }

        int take = fragment.Length;
        fragment.CopyTo(output.Slice(RecordLimits.HeaderLength));
        output[0] = (byte)type;
        output[1] = 0x03;
        output[2] = (byte)(UseInitialRecordVersion ? 0x01 : 0x03);
        output[3] = (byte)(take >> 8);
        output[4] = (byte)take;
        return RecordLimits.HeaderLength + take;
    }

    public void Dispose()
    {
        _read?.Dispose();
        _write?.Dispose();
        _read = null;
        _write = null;
    }
}
