using System;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

internal sealed partial class DtlsRecordLayer
{
    /// <summary>
    /// Reads the record at <paramref name="datagram"/>[<paramref name="offset"/>] and moves
    /// <paramref name="offset"/> past it; call while offset is short of the datagram's end, since a
    /// datagram may carry several records (RFC 9147 §4.3). Protected records are decrypted in place.
    /// Returns <see cref="RecordDrop.None"/> with the record, or why it was dropped (and counted in
    /// <see cref="Drops"/>): a record whose length is known is skipped alone, while one that cannot
    /// be parsed ends the datagram (offset moves to its end). Nothing about a dropped record
    /// reaches the replay window: it is marked only once the record authenticated (RFC 9147 §4.5.1).
    /// Epoch 0 records come back unauthenticated (<see cref="DtlsRecord.IsProtected"/> false) with
    /// the type their header names; which types the connection accepts there is its decision.
    /// </summary>
    public RecordDrop TryReadRecord(Span<byte> datagram, ref int offset, out DtlsRecord record)
    {
        ThrowIfDisposed();
        if ((uint)offset >= (uint)datagram.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "No record starts at this offset.");
        }

        // RFC 9147 §4.1: the first byte tells a unified header (001xxxxx) from a 13-byte header.
        RecordDrop drop = UnifiedHeaderCodec.IsUnifiedHeader(datagram[offset])
            ? ReadUnified(datagram, ref offset, out record)
            : datagram[offset] == (byte)DtlsRecordHeader.Tls12Cid
                ? ReadTls12Cid(datagram, ref offset, out record)
                : ReadWithRecordHeader(datagram, ref offset, out record);
        if (drop != RecordDrop.None)
        {
            record = default;
            Drops.Count(drop);
        }

        return drop;
    }

    /// <summary>A DTLS 1.3 DTLSCiphertext (RFC 9147 §4).</summary>
    private RecordDrop ReadUnified(Span<byte> datagram, ref int offset, out DtlsRecord record)
    {
        record = default;
        int start = offset;
        RecordDrop drop = UnifiedHeaderCodec.TryRead(datagram.Slice(start), _receiveConnectionIdLength, out UnifiedHeader header);
        if (drop != RecordDrop.None)
        {
            offset = datagram.Length;
            return drop;
        }

        offset = start + header.RecordLength;
        Span<byte> bytes = datagram.Slice(start, header.RecordLength);
        if (header.ConnectionIdLength > 0 && !IsOwnConnectionId(bytes.Slice(header.ConnectionIdOffset, header.ConnectionIdLength)))
        {
            return RecordDrop.UnexpectedConnectionId;
        }

        DtlsReadEpoch? epoch = FindDtls13Epoch(header.EpochLowBits);
        if (epoch == null)
        {
            return RecordDrop.UnknownEpoch;
        }

        var protection = (Dtls13RecordProtection)epoch.Protection!;
        drop = RecordNumberEncryption.Apply(protection.Mask, bytes, header, out ushort sequenceBits);
        if (drop != RecordDrop.None)
        {
            return drop;
        }

        ulong sequence = SequenceReconstruction.Reconstruct(epoch.Window.NextExpected, sequenceBits, header.SequenceBits);
        drop = epoch.Window.Check(sequence);
        if (drop != RecordDrop.None)
        {
            return drop;
        }

        // RFC 9147 §4: the additional data is the header with the sequence number unmasked, as it was sealed.
        Span<byte> payload = bytes.Slice(header.HeaderLength);
        if (!protection.Open(sequence, bytes.Slice(0, header.HeaderLength), payload, out int innerLength))
        {
            epoch.FailedAuthentications++;
            return RecordDrop.AuthenticationFailed;
        }

        epoch.Window.Accept(sequence);
        NoteAuthenticated(epoch.Epoch, sequence);

        // RFC 8446 §5.4 as DTLS 1.3 keeps it: the inner plaintext is at most 2^14 + 1 bytes, and its
        // content type is the last non-zero byte.
        if (innerLength > MaxContentLength + 1)
        {
            return RecordDrop.RecordTooLong;
        }

        int end = RecordLimits.InnerContentTypeIndex(payload.Slice(0, innerLength));

        if (end < 0)
        {
            return RecordDrop.MissingContentType;
        }

        var type = (ContentType)payload[end];
        if (!MayBeProtected(type))
        {
            return RecordDrop.UnexpectedContentType;
        }

        record = new DtlsRecord(type, epoch.Epoch, sequence, isProtected: true, start + header.HeaderLength, end);
        return RecordDrop.None;
    }

    /// <summary>DTLSPlaintext of epoch 0 (either version) or a DTLS 1.2 protected record (RFC 6347 §4.1).</summary>
    private RecordDrop ReadWithRecordHeader(Span<byte> datagram, ref int offset, out DtlsRecord record)
    {
        record = default;
        int start = offset;
        RecordDrop drop = DtlsRecordHeaderCodec.TryRead(datagram.Slice(start), out DtlsRecordHeader header);
        if (drop != RecordDrop.None)
        {
            offset = datagram.Length;
            return drop;
        }

        offset = start + header.RecordLength;
        int payloadOffset = start + DtlsRecordHeader.Length;
        Span<byte> payload = datagram.Slice(payloadOffset, header.PayloadLength);

        // A DTLS 1.3 epoch never arrives under this header: only epoch 0 and DTLS 1.2 epochs match.
        DtlsReadEpoch? epoch = FindRead(header.Epoch);
        if (epoch == null || epoch.Protection is { UsesUnifiedHeader: true })
        {
            return RecordDrop.UnknownEpoch;
        }

        if (epoch.Protection == null)
        {
            if (header.PayloadLength > MaxContentLength)
            {
                return RecordDrop.RecordTooLong;
            }

            // No replay window in epoch 0: nothing authenticates the sequence number, so a forged
            // one must not move a window that would then refuse the genuine records. The handshake
            // layer discards repeated messages by message_seq.
            record = new DtlsRecord(header.Type, 0, header.Sequence, isProtected: false, payloadOffset, header.PayloadLength);
            return RecordDrop.None;
        }

        drop = epoch.Window.Check(header.Sequence);
        if (drop != RecordDrop.None)
        {
            return drop;
        }

        var protection = (Dtls12RecordProtection)epoch.Protection;
        if (payload.Length < protection.Overhead)
        {
            return RecordDrop.CiphertextTooShort;
        }

        // RFC 6347 §4.1 after RFC 5246 §6.2.1: 2^14 bytes of plaintext at most.
        if (payload.Length - protection.Overhead > MaxContentLength)
        {
            return RecordDrop.RecordTooLong;
        }

        if (!protection.Open(header, payload, out int contentLength))
        {
            epoch.FailedAuthentications++;
            return RecordDrop.AuthenticationFailed;
        }

        epoch.Window.Accept(header.Sequence);
        NoteAuthenticated(header.Epoch, header.Sequence);
        record = new DtlsRecord(header.Type, header.Epoch, header.Sequence, isProtected: true, payloadOffset + protection.ExplicitNonceLength, contentLength);
        return RecordDrop.None;
    }

    /// <summary>
    /// RFC 9147 §4.2.2: the epoch whose two low bits the header carries. Of the DTLS 1.3 epochs held,
    /// the newest that matches: the current one, or the most recent past one whose records may still arrive.
    /// </summary>
    private DtlsReadEpoch? FindDtls13Epoch(int epochLowBits)
    {
        DtlsReadEpoch? best = null;
        foreach (DtlsReadEpoch state in _read)
        {
            if (state.Protection is { UsesUnifiedHeader: true } && UnifiedHeaderCodec.EpochMatches(state.Epoch, epochLowBits)
                && (best == null || state.Epoch > best.Epoch))
            {
                best = state;
            }
        }

        return best;
    }

    /// <summary>RFC 9147 §4.1, Figure 5: what a DTLS 1.3 protected record may carry (no heartbeat here, no change_cipher_spec, §5).</summary>
    private static bool MayBeProtected(ContentType type) => type is ContentType.Alert or ContentType.Handshake
        or ContentType.ApplicationData or DtlsRecordHeader.Ack;
}
