using System;
using System.Buffers.Binary;
using TlsEngine.Crypto;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>
/// DTLS 1.2 AEAD protection of one epoch. Wherever TLS 1.2 uses its implicit 64-bit sequence
/// number, DTLS uses epoch || 48-bit sequence number as carried in the header (RFC 6347 §4.1.2.1):
/// in the additional data seq_num || type || version || length (RFC 5246 §6.2.3.3), in AES-GCM's
/// explicit nonce after the 4-byte salt (RFC 5288 §3), and XORed into ChaCha20-Poly1305's 12-byte
/// IV (RFC 7905 §2).
/// </summary>
internal sealed class Dtls12RecordProtection : DtlsRecordProtection
{
    private const int AdditionalDataLength = 13;

    // RFC 9146 §5: seq_num_placeholder (8), tls12_cid, cid_length, tls12_cid, version (2), epoch (2),
    // sequence_number (6), then the cid, then length_of_DTLSInnerPlaintext (2).
    private const int ConnectionIdAdditionalDataLength = 23;
    private readonly byte[] _fixedIv;

    /// <summary>
    /// Keys one direction from the TLS 1.2 key block's write key and write IV (the 4-byte GCM salt,
    /// or ChaCha20-Poly1305's 12-byte IV). Both are copied: the caller zeroes its key block.
    /// </summary>
    public Dtls12RecordProtection(ICryptoProvider crypto, AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> fixedIv)
        : base(crypto.CreateAead(algorithm, key))
    {
        ExplicitNonceLength = algorithm == AeadAlgorithm.ChaCha20Poly1305 ? 0 : 8;
        if (fixedIv.Length != (ExplicitNonceLength == 0 ? NonceLength : NonceLength - ExplicitNonceLength))
        {
            Aead.Dispose();
            throw new ArgumentException("The fixed IV has the wrong length for the cipher.", nameof(fixedIv));
        }

        _fixedIv = fixedIv.ToArray();
    }

    public override bool UsesUnifiedHeader => false;

    /// <summary>8 for AES-GCM (RFC 5288 §3), 0 for ChaCha20-Poly1305 (RFC 7905 §2).</summary>
    public int ExplicitNonceLength { get; }

    /// <summary>What a record adds to its content after the 13-byte header.</summary>
    public int Overhead => ExplicitNonceLength + TagLength;

    /// <summary>
    /// Seals <paramref name="contentLength"/> bytes that sit at <paramref name="payload"/>[<see cref="ExplicitNonceLength"/>]
    /// in place, writing the explicit nonce before them and the tag after; returns the payload length.
    /// </summary>
    public int Seal(ushort epoch, ulong sequence, ContentType type, ushort version, Span<byte> payload, int contentLength)
    {
        ulong recordNumber = RecordNumber(epoch, sequence);
        Span<byte> nonce = stackalloc byte[NonceLength];
        if (ExplicitNonceLength != 0)
        {
            // RFC 5288 §3 leaves the explicit part to the sender; the record number never repeats under one key.
            BinaryPrimitives.WriteUInt64BigEndian(payload, recordNumber);
        }

        Nonce(recordNumber, nonce);
        Span<byte> aad = stackalloc byte[AdditionalDataLength];
        AdditionalData(recordNumber, type, version, contentLength, aad);
        Span<byte> body = payload.Slice(ExplicitNonceLength);
        return ExplicitNonceLength + Aead.Seal(nonce, aad, body.Slice(0, contentLength), body);
    }

    /// <summary>
    /// Authenticates and decrypts the payload of the record with this header in place; the content
    /// then sits at <paramref name="payload"/>[<see cref="ExplicitNonceLength"/>].
    /// </summary>
    public bool Open(in DtlsRecordHeader header, Span<byte> payload, out int contentLength)
    {
        contentLength = payload.Length - Overhead;
        if (contentLength < 0)
        {
            contentLength = 0;
            return false;
        }

        ulong recordNumber = RecordNumber(header.Epoch, header.Sequence);
        Span<byte> nonce = stackalloc byte[NonceLength];
        OpeningNonce(recordNumber, payload, nonce);

        Span<byte> aad = stackalloc byte[AdditionalDataLength];
        AdditionalData(recordNumber, header.Type, header.Version, contentLength, aad);
        Span<byte> body = payload.Slice(ExplicitNonceLength);
        return Aead.Open(nonce, aad, body, body, out _);
    }

    /// <summary>
    /// RFC 9146 §5: seals a tls12_cid record's DTLSInnerPlaintext (<paramref name="innerLength"/> bytes,
    /// content, real type and padding, at <paramref name="payload"/>[<see cref="ExplicitNonceLength"/>])
    /// in place; returns the payload length. The nonce is the one of RFC 6347; only the additional data changes.
    /// </summary>
    public int SealWithConnectionId(ushort epoch, ulong sequence, ushort version, ReadOnlySpan<byte> connectionId, Span<byte> payload, int innerLength)
    {
        ulong recordNumber = RecordNumber(epoch, sequence);
        Span<byte> nonce = stackalloc byte[NonceLength];
        if (ExplicitNonceLength != 0)
        {
            BinaryPrimitives.WriteUInt64BigEndian(payload, recordNumber);
        }

        Nonce(recordNumber, nonce);
        Span<byte> aad = stackalloc byte[ConnectionIdAdditionalDataLength + connectionId.Length];
        ConnectionIdAdditionalData(recordNumber, version, connectionId, innerLength, aad);
        Span<byte> body = payload.Slice(ExplicitNonceLength);
        return ExplicitNonceLength + Aead.Seal(nonce, aad, body.Slice(0, innerLength), body);
    }

    /// <summary>RFC 9146 §5: opens a tls12_cid record's payload in place; the inner plaintext then sits at <see cref="ExplicitNonceLength"/>.</summary>
    public bool OpenWithConnectionId(ushort epoch, ulong sequence, ushort version, ReadOnlySpan<byte> connectionId, Span<byte> payload, out int innerLength)
    {
        innerLength = payload.Length - Overhead;
        if (innerLength < 0)
        {
            innerLength = 0;
            return false;
        }

        ulong recordNumber = RecordNumber(epoch, sequence);
        Span<byte> nonce = stackalloc byte[NonceLength];
        OpeningNonce(recordNumber, payload, nonce);

        Span<byte> aad = stackalloc byte[ConnectionIdAdditionalDataLength + connectionId.Length];
        ConnectionIdAdditionalData(recordNumber, version, connectionId, innerLength, aad);
        Span<byte> body = payload.Slice(ExplicitNonceLength);
        return Aead.Open(nonce, aad, body, body, out _);
    }

    protected override void ClearSecrets() => Array.Clear(_fixedIv, 0, _fixedIv.Length);

    private static ulong RecordNumber(ushort epoch, ulong sequence) => ((ulong)epoch << 48) | sequence;

    /// <summary>
    /// The nonce a received record is opened with: AES-GCM's explicit part as the record carries it
    /// (RFC 5288 §3), ChaCha20-Poly1305's derived from the record number (RFC 7905 §2).
    /// </summary>
    private void OpeningNonce(ulong recordNumber, ReadOnlySpan<byte> payload, Span<byte> nonce)
    {
        if (ExplicitNonceLength != 0)
        {
            _fixedIv.CopyTo(nonce);
            payload.Slice(0, ExplicitNonceLength).CopyTo(nonce.Slice(_fixedIv.Length));
            return;
        }

        Nonce(recordNumber, nonce);
    }

    private void Nonce(ulong recordNumber, Span<byte> nonce)
    {
        if (ExplicitNonceLength != 0)
        {
            _fixedIv.CopyTo(nonce);
            BinaryPrimitives.WriteUInt64BigEndian(nonce.Slice(_fixedIv.Length), recordNumber);
            return;
        }

        XorNonce(_fixedIv, recordNumber, nonce);
    }

    private static void AdditionalData(ulong recordNumber, ContentType type, ushort version, int length, Span<byte> aad)
    {
        BinaryPrimitives.WriteUInt64BigEndian(aad, recordNumber);
        aad[8] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(aad.Slice(9), version);
        BinaryPrimitives.WriteUInt16BigEndian(aad.Slice(11), (ushort)length);
    }

    private static void ConnectionIdAdditionalData(ulong recordNumber, ushort version, ReadOnlySpan<byte> connectionId, int innerLength, Span<byte> aad)
    {
        // The placeholder keeps these additional data apart from RFC 6347's, whose first 8 bytes are a record number.
        aad.Slice(0, 8).Fill(0xFF);
        aad[8] = (byte)DtlsRecordHeader.Tls12Cid;
        aad[9] = (byte)connectionId.Length;
        aad[10] = (byte)DtlsRecordHeader.Tls12Cid;
        BinaryPrimitives.WriteUInt16BigEndian(aad.Slice(11), version);
        BinaryPrimitives.WriteUInt64BigEndian(aad.Slice(13), recordNumber);
        connectionId.CopyTo(aad.Slice(21));
        BinaryPrimitives.WriteUInt16BigEndian(aad.Slice(21 + connectionId.Length), (ushort)innerLength);
    }
}
