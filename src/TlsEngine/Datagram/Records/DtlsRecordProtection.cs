using System;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;

namespace TlsEngine.Datagram;

/// <summary>
/// The keys of one epoch in one direction. A <see cref="DtlsRecordLayer"/> owns every protection
/// it is given and zeroes it when the epoch is retired or the layer is disposed.
/// </summary>
internal abstract class DtlsRecordProtection : IDisposable
{
    /// <summary>Every AEAD the engine offers has a 16-byte tag.</summary>
    public const int TagLength = 16;

    /// <summary>Every AEAD the engine offers takes a 12-byte nonce (RFC 8446 §5.3, RFC 5288 §3, RFC 7905 §2).</summary>
    protected const int NonceLength = CipherSuiteInfo.IvLength;

    private bool _disposed;

    protected DtlsRecordProtection(IAead aead)
    {
        Aead = aead;
    }

    /// <summary>True for DTLS 1.3 (unified header, inner content type), false for DTLS 1.2 (13-byte header).</summary>
    public abstract bool UsesUnifiedHeader { get; }

    protected IAead Aead { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Aead.Dispose();
        ClearSecrets();
    }

    protected abstract void ClearSecrets();

    /// <summary>The fixed IV XOR the 64-bit sequence number, right-aligned (RFC 8446 §5.3, RFC 7905 §2).</summary>
    protected static void XorNonce(ReadOnlySpan<byte> iv, ulong sequence, Span<byte> nonce)
    {
        iv.CopyTo(nonce);
        for (int i = 0; i < 8; i++)
        {
            nonce[NonceLength - 1 - i] ^= (byte)(sequence >> (8 * i));
        }
    }
}

/// <summary>
/// DTLS 1.3 protection of one epoch (RFC 9147 §4): the TLS 1.3 AEAD with the nonce formed from
/// the 64-bit sequence number within the epoch (the epoch is not part of it), and the record number
/// key that masks the header's sequence bits (§4.2.3).
/// </summary>
internal sealed class Dtls13RecordProtection : DtlsRecordProtection
{
    private readonly byte[] _iv;

    public Dtls13RecordProtection(ICryptoProvider crypto, AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> snKey)
        : base(crypto.CreateAead(algorithm, key))
    {
        if (iv.Length != NonceLength)
        {
            Aead.Dispose();
            throw new ArgumentException("A DTLS 1.3 IV is 12 bytes.", nameof(iv));
        }

        _iv = iv.ToArray();
        Mask = crypto.CreateRecordNumberMask(algorithm, snKey);
    }

    public override bool UsesUnifiedHeader => true;

    /// <summary>Computes the record number mask from a record's first 16 ciphertext bytes (RFC 9147 §4.2.3).</summary>
    public IRecordNumberMask Mask { get; }

    /// <summary>
    /// RFC 9147 §5.9 and §4.2.3: key, iv and sn_key are HKDF-Expand-Label of the epoch's traffic
    /// secret with the "dtls13" prefix and the labels "key", "iv" and "sn"; sn_key is as long as the key.
    /// </summary>
    public static Dtls13RecordProtection FromTrafficSecret(ICryptoProvider crypto, CipherSuiteInfo suite, ReadOnlySpan<byte> trafficSecret)
    {
        var hkdf = new Hkdf(crypto, suite.Hash, Hkdf.Dtls13LabelPrefix);
        Span<byte> key = stackalloc byte[32];
        Span<byte> iv = stackalloc byte[NonceLength];
        Span<byte> snKey = stackalloc byte[32];
        key = key.Slice(0, suite.KeyLength);
        snKey = snKey.Slice(0, suite.KeyLength);
        try
        {
            hkdf.ExpandLabel(trafficSecret, "key", ReadOnlySpan<byte>.Empty, key);
            hkdf.ExpandLabel(trafficSecret, "iv", ReadOnlySpan<byte>.Empty, iv);
            hkdf.ExpandLabel(trafficSecret, "sn", ReadOnlySpan<byte>.Empty, snKey);
            return new Dtls13RecordProtection(crypto, suite.Aead, key, iv, snKey);
        }
        finally
        {
            key.Clear();
            iv.Clear();
            snKey.Clear();
        }
    }

    /// <summary>
    /// Seals the inner plaintext (content, type, no padding) in place at the start of
    /// <paramref name="body"/>, followed by the tag; the header with its sequence bits still in the
    /// clear is the additional data (RFC 9147 §4). Returns the bytes written.
    /// </summary>
    public int Seal(ulong sequence, ReadOnlySpan<byte> header, Span<byte> body, int innerLength)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        XorNonce(_iv, sequence, nonce);
        return Aead.Seal(nonce, header, body.Slice(0, innerLength), body);
    }

    /// <summary>Authenticates and decrypts <paramref name="payload"/> in place; the header must already be unmasked.</summary>
    public bool Open(ulong sequence, ReadOnlySpan<byte> header, Span<byte> payload, out int innerLength)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        XorNonce(_iv, sequence, nonce);
        return Aead.Open(nonce, header, payload, payload, out innerLength);
    }

    protected override void ClearSecrets()
    {
        Array.Clear(_iv, 0, _iv.Length);
        Mask.Dispose();
    }
}
