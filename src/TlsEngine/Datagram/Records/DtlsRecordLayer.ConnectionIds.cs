using System;
using System.Buffers.Binary;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>
/// Connection ids (RFC 9146 for DTLS 1.2, RFC 9147 §9 for DTLS 1.3): the id this endpoint issued,
/// which records sent to it carry, and the peer's, which records it sends carry. DTLS 1.3 puts the id
/// in the unified header (C bit); DTLS 1.2 uses the tls12_cid record with the id after the sequence
/// number and the real content type inside the encryption.
/// </summary>
internal sealed partial class DtlsRecordLayer
{
    private byte[]? _receiveConnectionId;
    private ulong _newestEpoch;
    private ulong _newestSequence;
    private bool _anyAuthenticated;

    /// <summary>The id records sent to this endpoint carry; null until set (records with an id are then only parsed by its length).</summary>
    public ReadOnlySpan<byte> ReceiveConnectionId => _receiveConnectionId;

    /// <summary>
    /// Set whenever a protected record authenticates with a record number (epoch, sequence) above
    /// every one authenticated before: the only record that may move the peer's address (RFC 9146 §6,
    /// RFC 9147 §9). The host's reader clears it per datagram.
    /// </summary>
    public bool NewestRecordAuthenticated { get; set; }

    /// <summary>The id this endpoint issued: records with a connection id must carry exactly it (others are dropped).</summary>
    public void SetReceiveConnectionId(ReadOnlySpan<byte> connectionId)
    {
        if (connectionId.Length > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(connectionId));
        }

        _receiveConnectionId = connectionId.ToArray();
        _receiveConnectionIdLength = connectionId.Length;
    }

    /// <summary>
    /// The connection id of the first record of <paramref name="datagram"/>, for a host that routes
    /// datagrams by the ids it issued, all of <paramref name="connectionIdLength"/> bytes: a DTLS 1.3
    /// unified header with the C bit, or a DTLS 1.2 tls12_cid record. False for anything else.
    /// </summary>
    public static bool TryReadConnectionId(ReadOnlySpan<byte> datagram, int connectionIdLength, out ReadOnlySpan<byte> connectionId)
    {
        connectionId = default;
        if (connectionIdLength <= 0 || datagram.IsEmpty)
        {
            return false;
        }

        int offset;
        if (UnifiedHeaderCodec.IsUnifiedHeader(datagram[0]))
        {
            if ((datagram[0] & UnifiedHeaderCodec.ConnectionIdBit) == 0)
            {
                return false;
            }

            offset = 1;
        }
        else if (datagram[0] == (byte)DtlsRecordHeader.Tls12Cid)
        {
            offset = DtlsRecordHeader.Tls12CidPrefixLength;
        }
        else
        {
            return false;
        }

        if (datagram.Length < offset + connectionIdLength)
        {
            return false;
        }

        connectionId = datagram.Slice(offset, connectionIdLength);
        return true;
    }

    /// <summary>True when a record's id is the one this endpoint issued (or no value was set to compare).</summary>
    private bool IsOwnConnectionId(ReadOnlySpan<byte> connectionId) =>
        _receiveConnectionId == null || connectionId.SequenceEqual(_receiveConnectionId);

    private void NoteAuthenticated(ulong epoch, ulong sequence)
    {
        if (!_anyAuthenticated || epoch > _newestEpoch || (epoch == _newestEpoch && sequence > _newestSequence))
        {
            _anyAuthenticated = true;
            _newestEpoch = epoch;
            _newestSequence = sequence;
            NewestRecordAuthenticated = true;
        }
    }

    /// <summary>RFC 9146 §4: a tls12_cid record, whose connection id length only the receiver knows.</summary>
    private RecordDrop ReadTls12Cid(Span<byte> datagram, ref int offset, out DtlsRecord record)
    {
        record = default;
        int start = offset;
        int idLength = _receiveConnectionIdLength;
        int headerLength = DtlsRecordHeader.Tls12CidPrefixLength + idLength + 2;
        offset = datagram.Length;
        if (_receiveConnectionId == null || idLength == 0)
        {
            // Without an id of our own the record's length cannot be found: the rest of the datagram goes.
            return RecordDrop.UnexpectedConnectionId;
        }

        Span<byte> rest = datagram.Slice(start);
        if (rest.Length < headerLength)
        {
            return RecordDrop.Truncated;
        }

        ushort version = BinaryPrimitives.ReadUInt16BigEndian(rest.Slice(1));
        if (version != DtlsRecordHeader.Dtls12Version)
        {
            return RecordDrop.BadVersion;
        }

        ushort epochNumber = BinaryPrimitives.ReadUInt16BigEndian(rest.Slice(3));
        ulong sequence = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(rest.Slice(5)) << 32) | BinaryPrimitives.ReadUInt32BigEndian(rest.Slice(7));
        ReadOnlySpan<byte> connectionId = rest.Slice(DtlsRecordHeader.Tls12CidPrefixLength, idLength);
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(rest.Slice(headerLength - 2));
        if (payloadLength > DtlsRecordHeader.MaxPayload)
        {
            return RecordDrop.RecordTooLong;
        }

        if (rest.Length - headerLength < payloadLength)
        {
            return RecordDrop.Truncated;
        }

        offset = start + headerLength + payloadLength;
        if (!IsOwnConnectionId(connectionId))
        {
            return RecordDrop.UnexpectedConnectionId;
        }

        DtlsReadEpoch? epoch = FindRead(epochNumber);
        if (epoch?.Protection is not Dtls12RecordProtection protection)
        {
            return RecordDrop.UnknownEpoch;
        }

        RecordDrop drop = epoch.Window.Check(sequence);
        if (drop != RecordDrop.None)
        {
            return drop;
        }

        Span<byte> payload = rest.Slice(headerLength, payloadLength);
        if (payload.Length < protection.Overhead + 1)
        {
            return RecordDrop.CiphertextTooShort;
        }

        // RFC 9146 §4: the inner plaintext is the content, its type and padding, 2^14 + 1 bytes at most with no padding.
        if (payload.Length - protection.Overhead > MaxContentLength + 1)
        {
            return RecordDrop.RecordTooLong;
        }

        if (!protection.OpenWithConnectionId(epochNumber, sequence, version, connectionId, payload, out int innerLength))
        {
            epoch.FailedAuthentications++;
            return RecordDrop.AuthenticationFailed;
        }

        epoch.Window.Accept(sequence);
        NoteAuthenticated(epochNumber, sequence);
        Span<byte> inner = payload.Slice(protection.ExplicitNonceLength, innerLength);
        int end = RecordLimits.InnerContentTypeIndex(inner);

        if (end < 0)
        {
            return RecordDrop.MissingContentType;
        }

        var type = (ContentType)inner[end];
        if (type is not (ContentType.Alert or ContentType.Handshake or ContentType.ApplicationData or ContentType.ChangeCipherSpec))
        {
            return RecordDrop.UnexpectedContentType;
        }

        int contentOffset = start + headerLength + protection.ExplicitNonceLength;
        record = new DtlsRecord(type, epochNumber, sequence, isProtected: true, contentOffset, end);
        return RecordDrop.None;
    }

    /// <summary>RFC 9146 §4: the tls12_cid record: header with the peer's id, explicit nonce, then content and its type sealed (no padding).</summary>
    private void WriteDtls12Cid(Dtls12RecordProtection protection, ushort epoch, ulong sequence, ContentType type, ReadOnlySpan<byte> content, Span<byte> record)
    {
        ReadOnlySpan<byte> id = _sendConnectionId;
        int headerLength = DtlsRecordHeader.Tls12CidPrefixLength + id.Length + 2;
        Span<byte> payload = record.Slice(headerLength);
        int contentLength = content.Length;
        RecordLimits.MoveInto(content, payload.Slice(protection.ExplicitNonceLength));
        payload[protection.ExplicitNonceLength + contentLength] = (byte)type;
        record[0] = (byte)DtlsRecordHeader.Tls12Cid;
        BinaryPrimitives.WriteUInt16BigEndian(record.Slice(1), DtlsRecordHeader.Dtls12Version);
        BinaryPrimitives.WriteUInt16BigEndian(record.Slice(3), epoch);
        BinaryPrimitives.WriteUInt16BigEndian(record.Slice(5), (ushort)(sequence >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(record.Slice(7), (uint)sequence);
        id.CopyTo(record.Slice(DtlsRecordHeader.Tls12CidPrefixLength));
        BinaryPrimitives.WriteUInt16BigEndian(record.Slice(headerLength - 2), (ushort)payload.Length);
        protection.SealWithConnectionId(epoch, sequence, DtlsRecordHeader.Dtls12Version, id, payload, contentLength + 1);
    }
}
