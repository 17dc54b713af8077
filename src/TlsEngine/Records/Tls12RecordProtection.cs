using System;
using TlsEngine.Crypto;

namespace TlsEngine.Records;

/// <summary>
/// TLS 1.2 AEAD records: AES-GCM with a 4-byte implicit salt and an 8-byte explicit nonce
/// (RFC 5288), ChaCha20-Poly1305 with the sequence number XORed into a 12-byte IV (RFC 7905).
/// The additional data is seq_num || type || version || plaintext length (RFC 5246 §6.2.3.3).
/// </summary>
internal sealed class Tls12RecordProtection : IRecordProtection
{
    private readonly IAead _aead;
    private readonly byte[] _fixedIv;
    private readonly bool _explicitNonce;
    private ulong _sequence;
    private int _receiveLimit = RecordLimits.MaxPlaintext;

    public Tls12RecordProtection(ICryptoProvider crypto, CipherSuiteInfo suite, byte[] key, byte[] fixedIv)
    {
        _aead = crypto.CreateAead(suite.Aead, key);
        Array.Clear(key, 0, key.Length);
        _fixedIv = fixedIv;
        _explicitNonce = suite.Aead != AeadAlgorithm.ChaCha20Poly1305;
    }

    public bool HidesContentType => false;

    // RFC 5246 §6.2.3: up to 2^14 + 2048 bytes of ciphertext.
    public int MaxCiphertext => ReceiveLimit + 2048;

    public int ReceiveLimit
    {
        get => _receiveLimit;
        set => _receiveLimit = Math.Min(value, RecordLimits.MaxPlaintext);
    }

    public ulong SequenceNumber
    {
        get => _sequence;
        internal set => _sequence = value;
    }

    // TLS 1.2 has no KeyUpdate: the connection ends (SequenceGuard) before a sequence number could wrap.
    public ulong UsageLimit => ulong.MaxValue;

    public int PlaintextOffset => _explicitNonce ? 8 : 0;

    public int SealedLength(int contentLength) => RecordLimits.HeaderLength + PlaintextOffset + contentLength + RecordLimits.TagLength;

    public int Seal(ContentType type, ReadOnlySpan<byte> content, Span<byte> output)
    {
        int explicitLength = PlaintextOffset;
        int length = explicitLength + content.Length + RecordLimits.TagLength;
        Span<byte> record = output.Slice(0, RecordLimits.HeaderLength + length);
        Span<byte> body = record.Slice(RecordLimits.HeaderLength + explicitLength);
        // The content first: it may sit in the same buffer, where the header and nonce go.
        RecordLimits.MoveInto(content, body);
        int contentLength = content.Length;
        record[0] = (byte)type;
        record[1] = 0x03;
        record[2] = 0x03;
        record[3] = (byte)(length >> 8);
        record[4] = (byte)length;
        ulong sequence = SequenceGuard.Next(ref _sequence);
        if (_explicitNonce)
        {
            WriteU64(record.Slice(RecordLimits.HeaderLength), sequence);
        }

        Span<byte> nonce = stackalloc byte[12];
        Nonce(sequence, record.Slice(RecordLimits.HeaderLength, explicitLength), nonce);
        Span<byte> aad = stackalloc byte[13];
        AdditionalData(sequence, type, contentLength, aad);
        _aead.Seal(nonce, aad, body.Slice(0, contentLength), body);
        return record.Length;
    }

    public (ContentType Type, int Length)? Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        int explicitLength = _explicitNonce ? 8 : 0;
        int plaintextLength = ciphertext.Length - explicitLength - RecordLimits.TagLength;
        if (plaintextLength < 0)
        {
            return null;
        }

        // RFC 5246 §6.2.1, and the record size limit this side announced (RFC 8449 §4).
        if (plaintextLength > _receiveLimit)
        {
            throw TlsFailureException.RecordOverflow($"A protected record's plaintext exceeds {_receiveLimit} bytes.");
        }

        SequenceGuard.Check(_sequence);
        var type = (ContentType)header[0];
        Span<byte> nonce = stackalloc byte[12];
        Nonce(_sequence, ciphertext.Slice(0, explicitLength), nonce);
        Span<byte> aad = stackalloc byte[13];
        AdditionalData(_sequence, type, plaintextLength, aad);
        if (!_aead.Open(nonce, aad, ciphertext.Slice(explicitLength), plaintext, out _))
        {
            return null;
        }

        _sequence++;
        return (type, plaintextLength);
    }

    public void Dispose()
    {
        _aead.Dispose();
        Array.Clear(_fixedIv, 0, _fixedIv.Length);
    }

    private void Nonce(ulong sequence, ReadOnlySpan<byte> explicitNonce, Span<byte> nonce)
    {
        if (_explicitNonce)
        {
            _fixedIv.CopyTo(nonce);
            explicitNonce.CopyTo(nonce.Slice(4));
            return;
        }

        _fixedIv.CopyTo(nonce);
        for (int i = 0; i < 8; i++)
        {
            nonce[nonce.Length - 1 - i] ^= (byte)(sequence >> (8 * i));
        }
    }

    private static void AdditionalData(ulong sequence, ContentType type, int length, Span<byte> aad)
    {
        WriteU64(aad, sequence);
        aad[8] = (byte)type;
        aad[9] = 0x03;
        aad[10] = 0x03;
        aad[11] = (byte)(length >> 8);
        aad[12] = (byte)length;
    }

    private static void WriteU64(Span<byte> destination, ulong value)
    {
        for (int i = 0; i < 8; i++)
        {
            destination[i] = (byte)(value >> (56 - (8 * i)));
        }
    }
}
