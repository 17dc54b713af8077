using System;
using System.Collections.Generic;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>
/// The DTLS record layer of one association, both versions: it holds the read and write epochs
/// whose keys are live, reads every record of a datagram in place (<see cref="TryReadRecord"/>) and
/// writes one record in an epoch the caller names (<see cref="WriteRecord"/>). Epoch 0 (plaintext)
/// exists from the start in both directions; protected epochs are added as the handshake derives
/// their keys and retired when no retransmission can need them any more. Invalid records are
/// dropped and counted, never thrown (RFC 9147 §4.5.2); only the engine's own misuse throws.
/// </summary>
internal sealed partial class DtlsRecordLayer : IDisposable
{
    /// <summary>RFC 9147 §4, RFC 6347 §4.1: at most 2^14 bytes of content per record.</summary>
    public const int MaxContentLength = RecordLimits.MaxPlaintext;

    private readonly List<DtlsReadEpoch> _read = new();
    private readonly List<DtlsWriteEpoch> _write = new();

    // Epochs retired per direction: their keys must never come back (see CheckNewEpoch).
    private readonly HashSet<ulong> _retiredRead = new();
    private readonly HashSet<ulong> _retiredWrite = new();
    private int _receiveConnectionIdLength;
    private byte[] _sendConnectionId = Array.Empty<byte>();
    private bool _disposed;

    /// <param name="receiveConnectionIdLength">
    /// The length of the connection id this endpoint asked the peer to put on DTLS 1.3 records;
    /// 0 (no connection id) drops every record with the C bit (RFC 9147 §9).
    /// </param>
    public DtlsRecordLayer(int receiveConnectionIdLength = 0)
    {
        if (receiveConnectionIdLength is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(receiveConnectionIdLength));
        }

        _receiveConnectionIdLength = receiveConnectionIdLength;
        _read.Add(new DtlsReadEpoch(0, null));
        _write.Add(new DtlsWriteEpoch(0, null));
    }

    /// <summary>Records dropped so far, per reason.</summary>
    public RecordDropCounters Drops { get; } = new();

    /// <summary>
    /// The connection id the peer asked for, put on every protected record written: in the unified header
    /// (RFC 9147 §9) or a tls12_cid record (RFC 9146 §4); empty for none.
    /// </summary>
    public ReadOnlySpan<byte> SendConnectionId => _sendConnectionId;

    public void SetSendConnectionId(ReadOnlySpan<byte> connectionId)
    {
        if (connectionId.Length > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(connectionId));
        }

        _sendConnectionId = connectionId.ToArray();
    }

    /// <summary>Starts accepting records of <paramref name="epoch"/>; the layer owns <paramref name="protection"/> from now on.</summary>
    public void AddReadEpoch(ulong epoch, DtlsRecordProtection protection)
    {
        CheckNewEpoch(epoch, protection, FindRead(epoch) != null, _retiredRead.Contains(epoch));
        _read.Add(new DtlsReadEpoch(epoch, protection));
    }

    /// <summary>Makes <paramref name="epoch"/> available to <see cref="WriteRecord"/>; the layer owns <paramref name="protection"/> from now on.</summary>
    public void AddWriteEpoch(ulong epoch, DtlsRecordProtection protection)
    {
        CheckNewEpoch(epoch, protection, FindWrite(epoch) != null, _retiredWrite.Contains(epoch));
        _write.Add(new DtlsWriteEpoch(epoch, protection));
    }

    /// <summary>Stops accepting records of <paramref name="epoch"/> and zeroes its keys; false when it was not held.</summary>
    public bool RetireReadEpoch(ulong epoch)
    {
        DtlsReadEpoch? found = FindRead(epoch);
        if (found == null)
        {
            return false;
        }

        _read.Remove(found);
        _retiredRead.Add(epoch);
        found.Protection?.Dispose();
        return true;
    }

    /// <summary>Stops writing in <paramref name="epoch"/> and zeroes its keys; false when it was not held.</summary>
    public bool RetireWriteEpoch(ulong epoch)
    {
        DtlsWriteEpoch? found = FindWrite(epoch);
        if (found == null)
        {
            return false;
        }

        _write.Remove(found);
        _retiredWrite.Add(epoch);
        found.Protection?.Dispose();
        return true;
    }

    public bool HasReadEpoch(ulong epoch) => FindRead(epoch) != null;

    public bool HasWriteEpoch(ulong epoch) => FindWrite(epoch) != null;

    /// <summary>Records of a read epoch that failed authentication: RFC 9147 §4.5.3 bounds them per key (2^36 for the AEADs offered).</summary>
    public ulong FailedAuthentications(ulong epoch) => FindRead(epoch)?.FailedAuthentications ?? 0;

    /// <summary>The highest sequence number accepted in a read epoch (what an ACK reports), or null before the first.</summary>
    public ulong? HighestReceived(ulong epoch) => FindRead(epoch)?.Window.Highest;

    /// <summary>The sequence number the next record written in <paramref name="epoch"/> will carry (records protected so far, for AEAD limits).</summary>
    public ulong NextWriteSequence(ulong epoch) => WriteEpoch(epoch).NextSequence;

    /// <summary>Moves a write epoch's counter, for tests that reach the end of the 48-bit space.</summary>
    internal void SetNextWriteSequence(ulong epoch, ulong next) => WriteEpoch(epoch).NextSequence = next;

    /// <summary>What a record in <paramref name="epoch"/> adds to its content: header, inner type, explicit nonce, tag.</summary>
    public int Overhead(ulong epoch) => WriteEpoch(epoch).Protection switch
    {
        null => DtlsRecordHeader.Length,
        Dtls12RecordProtection dtls12 when _sendConnectionId.Length > 0 => DtlsRecordHeader.Length + _sendConnectionId.Length + dtls12.Overhead + 1,
        Dtls12RecordProtection dtls12 => DtlsRecordHeader.Length + dtls12.Overhead,
        _ => UnifiedHeaderCodec.HeaderLength(_sendConnectionId.Length, longSequence: true, withLength: true) + 1 + DtlsRecordProtection.TagLength,
    };

    /// <summary>The bytes <see cref="WriteRecord"/> writes for this much content (DTLS adds no padding here).</summary>
    public int SealedLength(ulong epoch, int contentLength) => Overhead(epoch) + contentLength;

    /// <summary>
    /// Writes one record of <paramref name="epoch"/> into <paramref name="output"/> with the epoch's
    /// next sequence number; returns its length (<see cref="SealedLength"/>). The content may already
    /// sit in <paramref name="output"/> at any offset. Epoch 0 writes DTLSPlaintext; a DTLS 1.3 epoch
    /// writes a unified header with the L bit and a 16-bit sequence number, seals, then encrypts the
    /// sequence number (RFC 9147 §4, §4.2.3); a DTLS 1.2 epoch writes the 13-byte header, the
    /// explicit nonce for AES-GCM, and seals (RFC 6347 §4.1). Fails with LimitExceeded rather than
    /// let the epoch's 48-bit sequence number wrap.
    /// </summary>
    public int WriteRecord(ulong epoch, ContentType type, ReadOnlySpan<byte> content, Span<byte> output)
    {
        ThrowIfDisposed();
        if (content.Length > MaxContentLength)
        {
            throw new ArgumentException("A record carries at most 2^14 bytes of content.", nameof(content));
        }

        DtlsWriteEpoch state = WriteEpoch(epoch);
        int length = SealedLength(epoch, content.Length);
        if (output.Length < length)
        {
            throw new ArgumentException("The output is shorter than the sealed record.", nameof(output));
        }

        ulong sequence = state.Take();
        Span<byte> record = output.Slice(0, length);
        switch (state.Protection)
        {
            case null:
                RecordLimits.MoveInto(content, record.Slice(DtlsRecordHeader.Length));
                DtlsRecordHeaderCodec.Write(record, new DtlsRecordHeader(type, DtlsRecordHeader.Dtls12Version, 0, sequence, content.Length));
                break;
            case Dtls12RecordProtection dtls12 when _sendConnectionId.Length > 0:
                WriteDtls12Cid(dtls12, (ushort)epoch, sequence, type, content, record);
                break;
            case Dtls12RecordProtection dtls12:
                WriteDtls12(dtls12, (ushort)epoch, sequence, type, content, record);
                break;
            case Dtls13RecordProtection dtls13:
                WriteDtls13(dtls13, epoch, sequence, type, content, record);
                break;
        }

        return length;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (DtlsReadEpoch epoch in _read)
        {
            epoch.Protection?.Dispose();
        }

        foreach (DtlsWriteEpoch epoch in _write)
        {
            epoch.Protection?.Dispose();
        }

        _read.Clear();
        _write.Clear();
    }

    private static void WriteDtls12(Dtls12RecordProtection protection, ushort epoch, ulong sequence, ContentType type, ReadOnlySpan<byte> content, Span<byte> record)
    {
        Span<byte> payload = record.Slice(DtlsRecordHeader.Length);
        // The content first: it may sit in the same buffer, where the header and nonce go.
        RecordLimits.MoveInto(content, payload.Slice(protection.ExplicitNonceLength));
        int contentLength = content.Length;
        DtlsRecordHeaderCodec.Write(record, new DtlsRecordHeader(type, DtlsRecordHeader.Dtls12Version, epoch, sequence, payload.Length));
        protection.Seal(epoch, sequence, type, DtlsRecordHeader.Dtls12Version, payload, contentLength);
    }

    private void WriteDtls13(Dtls13RecordProtection protection, ulong epoch, ulong sequence, ContentType type, ReadOnlySpan<byte> content, Span<byte> record)
    {
        int headerLength = UnifiedHeaderCodec.HeaderLength(_sendConnectionId.Length, longSequence: true, withLength: true);
        int contentLength = content.Length;
        int payloadLength = record.Length - headerLength;
        Span<byte> body = record.Slice(headerLength);
        RecordLimits.MoveInto(content, body);
        body[contentLength] = (byte)type;
        UnifiedHeaderCodec.Write(record, epoch, _sendConnectionId, sequence, longSequence: true, payloadLength);

        // RFC 9147 §4: the header as it stands before record number encryption is the additional data.
        protection.Seal(sequence, record.Slice(0, headerLength), body, contentLength + 1);
        var header = new UnifiedHeader(record[0], _sendConnectionId.Length, payloadLength);
        RecordNumberEncryption.Apply(protection.Mask, record, header, out _);
    }

    private void CheckNewEpoch(ulong epoch, DtlsRecordProtection protection, bool exists, bool retired)
    {
        ThrowIfDisposed();
        if (protection == null)
        {
            throw new ArgumentNullException(nameof(protection));
        }

        if (epoch == 0)
        {
            throw new ArgumentException("Epoch 0 is the plaintext epoch and has no keys.", nameof(epoch));
        }

        // RFC 6347 §4.1: a DTLS 1.2 epoch is 16 bits on the wire.
        if (!protection.UsesUnifiedHeader && epoch > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), "A DTLS 1.2 epoch has 16 bits.");
        }

        if (exists)
        {
            throw new ArgumentException("The epoch already has keys in this direction.", nameof(epoch));
        }

        // An epoch's sequence numbers start at 0 when it is added: a retired epoch coming back would
        // repeat nonces under its write key (RFC 9147 §4.2.1) or reopen its replay window (§4.5.1).
        if (retired)
        {
            throw new ArgumentException("The epoch was retired; its keys cannot come back.", nameof(epoch));
        }

        // The same keys under two epochs would repeat every nonce (and be disposed twice).
        if (Holds(protection))
        {
            throw new ArgumentException("These keys already serve an epoch of this layer.", nameof(protection));
        }
    }

    private bool Holds(DtlsRecordProtection protection)
    {
        foreach (DtlsReadEpoch state in _read)
        {
            if (ReferenceEquals(state.Protection, protection))
            {
                return true;
            }
        }

        foreach (DtlsWriteEpoch state in _write)
        {
            if (ReferenceEquals(state.Protection, protection))
            {
                return true;
            }
        }

        return false;
    }

    private DtlsReadEpoch? FindRead(ulong epoch)
    {
        foreach (DtlsReadEpoch state in _read)
        {
            if (state.Epoch == epoch)
            {
                return state;
            }
        }

        return null;
    }

    private DtlsWriteEpoch? FindWrite(ulong epoch)
    {
        foreach (DtlsWriteEpoch state in _write)
        {
            if (state.Epoch == epoch)
            {
                return state;
            }
        }

        return null;
    }

    private DtlsWriteEpoch WriteEpoch(ulong epoch)
    {
        ThrowIfDisposed();
        return FindWrite(epoch) ?? throw new ArgumentException("No write keys for this epoch.", nameof(epoch));
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(DtlsRecordLayer));
        }
    }
}
