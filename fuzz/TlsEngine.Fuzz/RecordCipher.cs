using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TlsEngine.Fuzz;

/// <summary>
/// One direction of AEAD record protection, written from the RFCs with .NET's own primitives and
/// no engine code, so that a fuzzer or a test can decrypt, edit and re-encrypt a recorded flight
/// without the engine's record layer vouching for itself. The sequence number is passed in.
/// TLS 1.3: RFC 8446 §5.2–5.3 and §7.3; TLS 1.2: RFC 5246 §6.2.3.3, RFC 5288 and RFC 7905.
/// </summary>
public sealed class RecordCipher
{
    private const int TagLength = 16;
    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly bool _chaCha;
    private readonly bool _tls13;

    private RecordCipher(byte[] key, byte[] iv, bool chaCha, bool tls13)
    {
        _key = key;
        _iv = iv;
        _chaCha = chaCha;
        _tls13 = tls13;
    }

    /// <summary>True for TLS 1.3 records, whose real content type is inside the ciphertext.</summary>
    public bool IsTls13 => _tls13;

    /// <summary>A TLS 1.3 direction from its traffic secret (as an NSS key log names it).</summary>
    public static RecordCipher Tls13(TlsCipherSuite suite, byte[] trafficSecret)
    {
        (HashAlgorithmName hash, int keyLength, bool chaCha) = suite switch
        {
            TlsCipherSuite.TLS_AES_128_GCM_SHA256 => (HashAlgorithmName.SHA256, 16, false),
            TlsCipherSuite.TLS_AES_256_GCM_SHA384 => (HashAlgorithmName.SHA384, 32, false),
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 => (HashAlgorithmName.SHA256, 32, true),
            _ => throw new ArgumentException($"{suite} is not a TLS 1.3 suite."),
        };
        return new RecordCipher(ExpandLabel(hash, trafficSecret, "key", keyLength), ExpandLabel(hash, trafficSecret, "iv", 12), chaCha, tls13: true);
    }

    /// <summary>A TLS 1.2 direction from the master secret and both randoms (RFC 5246 §6.3 key block).</summary>
    public static RecordCipher Tls12(TlsCipherSuite suite, byte[] masterSecret, byte[] clientRandom, byte[] serverRandom, bool clientWrite)
    {
        (HashAlgorithmName hash, int keyLength, int ivLength, bool chaCha) = suite switch
        {
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 or TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => (HashAlgorithmName.SHA256, 16, 4, false),
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 or TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => (HashAlgorithmName.SHA384, 32, 4, false),
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 or TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => (HashAlgorithmName.SHA256, 32, 12, true),
            _ => throw new ArgumentException($"{suite} is not a TLS 1.2 AEAD suite."),
        };
        byte[] seed = Encoding.ASCII.GetBytes("key expansion").Concat(serverRandom).Concat(clientRandom).ToArray();
        byte[] block = Prf(hash, masterSecret, seed, (2 * keyLength) + (2 * ivLength));
        int keyOffset = clientWrite ? 0 : keyLength;
        int ivOffset = (2 * keyLength) + (clientWrite ? 0 : ivLength);
        return new RecordCipher(block[keyOffset..(keyOffset + keyLength)], block[ivOffset..(ivOffset + ivLength)], chaCha, tls13: false);
    }

    /// <summary>A whole record (header included) carrying <paramref name="content"/> of type <paramref name="type"/>.</summary>
    public byte[] Seal(ulong sequence, byte type, ReadOnlySpan<byte> content)
    {
        byte[] plaintext = _tls13 ? [.. content, type] : content.ToArray();
        int explicitLength = ExplicitNonceLength;
        int length = explicitLength + plaintext.Length + TagLength;
        byte[] record = new byte[5 + length];
        record[0] = _tls13 ? (byte)23 : type;
        record[1] = 3;
        record[2] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), (ushort)length);
        if (explicitLength > 0)
        {
            // RFC 5288 §3: the sender chooses the explicit nonce; the sequence number is the usual choice.
            BinaryPrimitives.WriteUInt64BigEndian(record.AsSpan(5, explicitLength), sequence);
        }

        byte[] nonce = Nonce(sequence, record.AsSpan(5, explicitLength));
        byte[] aad = _tls13 ? record[..5] : AdditionalData(sequence, type, plaintext.Length);
        Span<byte> ciphertext = record.AsSpan(5 + explicitLength, plaintext.Length);
        Span<byte> tag = record.AsSpan(5 + explicitLength + plaintext.Length, TagLength);
        Encrypt(nonce, plaintext, ciphertext, tag, aad);
        return record;
    }

    /// <summary>Decrypts a whole record; null when it does not authenticate under this key and sequence number.</summary>
    public (byte Type, byte[] Content)? Open(ulong sequence, ReadOnlySpan<byte> record)
    {
        int explicitLength = ExplicitNonceLength;
        if (record.Length < 5 + explicitLength + TagLength + (_tls13 ? 1 : 0))
        {
            return null;
        }

        int plaintextLength = record.Length - 5 - explicitLength - TagLength;
        byte[] plaintext = new byte[plaintextLength];
        byte[] nonce = Nonce(sequence, record.Slice(5, explicitLength));
        byte[] aad = _tls13 ? record[..5].ToArray() : AdditionalData(sequence, record[0], plaintextLength);
        try
        {
            Decrypt(nonce, record.Slice(5 + explicitLength, plaintextLength), record.Slice(5 + explicitLength + plaintextLength, TagLength), plaintext, aad);
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (!_tls13)
        {
            return (record[0], plaintext);
        }

        // RFC 8446 §5.4: the real type is the last non-zero byte; zeros after it are padding.
        int end = plaintext.Length - 1;
        while (end >= 0 && plaintext[end] == 0)
        {
            end--;
        }

        return end < 0 ? null : (plaintext[end], plaintext[..end]);
    }

    private int ExplicitNonceLength => _tls13 || _chaCha ? 0 : 8;

    private byte[] Nonce(ulong sequence, ReadOnlySpan<byte> explicitNonce)
    {
        if (explicitNonce.Length > 0)
        {
            return [.. _iv, .. explicitNonce];
        }

        // RFC 8446 §5.3 and RFC 7905 §2: the sequence number, left-padded, XORed into the IV.
        byte[] nonce = (byte[])_iv.Clone();
        for (int i = 0; i < 8; i++)
        {
            nonce[nonce.Length - 1 - i] ^= (byte)(sequence >> (8 * i));
        }

        return nonce;
    }

    private static byte[] AdditionalData(ulong sequence, byte type, int length)
    {
        byte[] aad = new byte[13];
        BinaryPrimitives.WriteUInt64BigEndian(aad, sequence);
        aad[8] = type;
        aad[9] = 3;
        aad[10] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(aad.AsSpan(11), (ushort)length);
        return aad;
    }

    private void Encrypt(byte[] nonce, byte[] plaintext, Span<byte> ciphertext, Span<byte> tag, byte[] aad)
    {
        if (_chaCha)
        {
            using var aead = new ChaCha20Poly1305(_key);
            aead.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        }
        else
        {
            using var aead = new AesGcm(_key, TagLength);
            aead.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        }
    }

    private void Decrypt(byte[] nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, byte[] plaintext, byte[] aad)
    {
        if (_chaCha)
        {
            using var aead = new ChaCha20Poly1305(_key);
            aead.Decrypt(nonce, ciphertext, tag, plaintext, aad);
        }
        else
        {
            using var aead = new AesGcm(_key, TagLength);
            aead.Decrypt(nonce, ciphertext, tag, plaintext, aad);
        }
    }

    /// <summary>HKDF-Expand-Label with an empty context (RFC 8446 §7.1).</summary>
    private static byte[] ExpandLabel(HashAlgorithmName hash, byte[] secret, string label, int length)
    {
        byte[] fullLabel = Encoding.ASCII.GetBytes("tls13 " + label);
        byte[] info = [(byte)(length >> 8), (byte)length, (byte)fullLabel.Length, .. fullLabel, 0];
        return HKDF.Expand(hash, secret, length, info);
    }

    /// <summary>The TLS 1.2 PRF, P_hash over an HMAC (RFC 5246 §5).</summary>
    private static byte[] Prf(HashAlgorithmName hash, byte[] secret, byte[] seed, int length)
    {
        using IncrementalHash hmac = IncrementalHash.CreateHMAC(hash, secret);
        var output = new List<byte>(length);
        byte[] a = seed;
        while (output.Count < length)
        {
            hmac.AppendData(a);
            a = hmac.GetHashAndReset();
            hmac.AppendData(a);
            hmac.AppendData(seed);
            output.AddRange(hmac.GetHashAndReset());
        }

        return output.GetRange(0, length).ToArray();
    }
}
