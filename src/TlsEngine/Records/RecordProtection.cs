using System;
using TlsEngine.Crypto;

namespace TlsEngine.Records;

/// <summary>
/// One direction of TLS 1.3 record protection (RFC 8446 §5.2–5.3): an AEAD key, the static IV
/// and the implicit sequence number that is XORed into it per record.
/// </summary>
internal sealed class RecordProtection : IRecordProtection
{
    private readonly IAead _aead;
    private readonly byte[] _iv;
    private ulong _sequence;
    private int _receiveLimit = RecordLimits.MaxPlaintext + 1;

    public RecordProtection(ICryptoProvider crypto, CipherSuiteInfo suite, byte[] key, byte[] iv)
    {
        _aead = crypto.CreateAead(suite.Aead, key);
        _iv = iv;
        // RFC 8446 §5.5: AES-GCM may protect 2^24.5 full records per key; stay clear of it. ChaCha20-Poly1305's
        // limit is beyond what a sequence number reaches in practice.
        UsageLimit = suite.Aead == AeadAlgorithm.ChaCha20Poly1305 ? 1UL << 62 : 1UL << 24;
        Array.Clear(key, 0, key.Length);
    }

    public bool HidesContentType => true;

    // RFC 8446 §5.2: the ciphertext adds at most 255 bytes to the inner plaintext.
    public int MaxCiphertext => ReceiveLimit + 255;

    public int ReceiveLimit
    {
        get => _receiveLimit;
        set => _receiveLimit = Math.Min(value, RecordLimits.MaxPlaintext + 1);
    }

    public ulong SequenceNumber
    {
        get => _sequence;
        internal set => _sequence = value;
    }

    public ulong UsageLimit { get; }

    public int PlaintextOffset => 0;

    // No padding is added: the inner type byte and the tag.
    public int SealedLength(int contentLength) => RecordLimits.HeaderLength + contentLength + 1 + RecordLimits.TagLength;

    /// <summary>Encrypts one record in place in <paramref name="output"/>: no per-record allocation.</summary>
    public int Seal(ContentType type, ReadOnlySpan<byte> content, Span<byte> output)
    {
        int innerLength = content.Length + 1;
        int recordLength = innerLength + RecordLimits.TagLength;
        Span<byte> record = output.Slice(0, RecordLimits.HeaderLength + recordLength);
        // The content first: it may sit in the same buffer, just where the header goes.
        RecordLimits.MoveInto(content, record.Slice(RecordLimits.HeaderLength));
        record[0] = (byte)ContentType.ApplicationData;
        record[1] = 0x03;
        record[2] = 0x03;
        record[3] = (byte)(recordLength >> 8);
        record[4] = (byte)recordLength;
        record[RecordLimits.HeaderLength + content.Length] = (byte)type;
        Span<byte> nonce = stackalloc byte[CipherSuiteInfo.IvLength];
        Nonce(SequenceGuard.Next(ref _sequence), nonce);
        _aead.Seal(nonce, record.Slice(0, RecordLimits.HeaderLength), record.Slice(RecordLimits.HeaderLength, innerLength), record.Slice(RecordLimits.HeaderLength));
        return record.Length;
    }

    /// <summary>
    /// Authenticates and decrypts a record into <paramref name="plaintext"/>; returns the inner
    /// content type and the content length with padding removed, or null when authentication
    /// fails. Fails with unexpected_message or record_overflow.
    /// </summary>
    public (ContentType Type, int Length)? Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[CipherSuiteInfo.IvLength];
        SequenceGuard.Check(_sequence);
        Nonce(_sequence, nonce);
        // The sequence number advances only for records that authenticate, so a skipped
        // (rejected 0-RTT) record does not desynchronise the stream.
        if (!_aead.Open(nonce, header, ciphertext, plaintext, out int length))
        {
            return null;
        }

        _sequence++;

        // RFC 8446 §5.4: the full TLSInnerPlaintext, padding included, must not exceed 2^14 + 1 bytes,
        // nor the record size limit this side announced (RFC 8449 §4).
        if (length > _receiveLimit)
        {
            throw TlsFailureException.RecordOverflow($"A protected record's inner plaintext exceeds {_receiveLimit} bytes.");
        }

        // RFC 8446 §5.4: the content type is the last non-zero byte; all zeros is illegal.
        int end = RecordLimits.InnerContentTypeIndex(plaintext.Slice(0, length));

        if (end < 0)
        {
            throw new TlsFailureException(TlsFailureReason.MissingInnerContentType, "A protected record carried no content type.");
        }

        if (end > RecordLimits.MaxPlaintext)
        {
            throw TlsFailureException.RecordOverflow("A protected record's plaintext exceeds 2^14 bytes.");
        }

        return ((ContentType)plaintext[end], end);
    }

    public void Dispose()
    {
        _aead.Dispose();
        Array.Clear(_iv, 0, _iv.Length);
    }

    private void Nonce(ulong sequence, Span<byte> nonce)
    {
        _iv.CopyTo(nonce);
        for (int i = 0; i < 8; i++)
        {
            nonce[nonce.Length - 1 - i] ^= (byte)(sequence >> (8 * i));
        }
    }
}
