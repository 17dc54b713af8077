using TlsEngine.Crypto;
using TlsEngine.KeySchedule;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// One direction of record protection with every field under the adversary's control: the outer
/// type and version, the inner content type, padding, even an inner plaintext with no type at all.
/// Sequence numbers are public so a test can skip or repeat one.
/// </summary>
internal sealed class AdversaryCipher
{
    private readonly IAead _aead;
    private readonly byte[] _iv;

    private AdversaryCipher(IAead aead, byte[] iv, bool tls13, bool explicitNonce, string name)
    {
        _aead = aead;
        _iv = iv;
        IsTls13 = tls13;
        ExplicitNonce = explicitNonce;
        Name = name;
    }

    public bool IsTls13 { get; }

    private bool ExplicitNonce { get; }

    /// <summary>Which secret this is, for failure messages ("server handshake", "client application 1").</summary>
    public string Name { get; }

    /// <summary>The next record's sequence number.</summary>
    public ulong Sequence { get; set; }

    /// <summary>RFC 8446 §7.3: key and iv from a traffic secret.</summary>
    public static AdversaryCipher Tls13(ICryptoProvider crypto, CipherSuiteInfo suite, byte[] trafficSecret, string name)
    {
        var hkdf = new Hkdf(crypto, suite.Hash);
        byte[] key = hkdf.ExpandLabel(trafficSecret, "key", ReadOnlySpan<byte>.Empty, suite.KeyLength);
        byte[] iv = hkdf.ExpandLabel(trafficSecret, "iv", ReadOnlySpan<byte>.Empty, CipherSuiteInfo.IvLength);
        return new AdversaryCipher(crypto.CreateAead(suite.Aead, key), iv, tls13: true, explicitNonce: false, name);
    }

    /// <summary>RFC 5246 §6.3 key block: client key, server key, client IV, server IV.</summary>
    public static (AdversaryCipher Client, AdversaryCipher Server) Tls12(ICryptoProvider crypto, CipherSuiteInfo suite, byte[] masterSecret, byte[] clientRandom, byte[] serverRandom)
    {
        int keyLength = suite.KeyLength;
        int ivLength = suite.Tls12FixedIvLength;
        byte[] block = new Tls12KeySchedule(crypto, suite).Prf(masterSecret, "key expansion", serverRandom.Concat(clientRandom).ToArray(), (2 * keyLength) + (2 * ivLength));
        bool explicitNonce = suite.Aead != AeadAlgorithm.ChaCha20Poly1305;
        var client = new AdversaryCipher(crypto.CreateAead(suite.Aead, block.AsSpan(0, keyLength)), block.AsSpan(2 * keyLength, ivLength).ToArray(), false, explicitNonce, "client TLS 1.2");
        var server = new AdversaryCipher(crypto.CreateAead(suite.Aead, block.AsSpan(keyLength, keyLength)), block.AsSpan((2 * keyLength) + ivLength, ivLength).ToArray(), false, explicitNonce, "server TLS 1.2");
        return (client, server);
    }

    /// <summary>TLS 1.3: content, then the type byte, then <paramref name="padding"/> zeros.</summary>
    public byte[] Seal(byte type, ReadOnlySpan<byte> content, int padding = 0, byte outerType = 23, ushort version = 0x0303)
    {
        if (!IsTls13)
        {
            return Seal12(type, content, version);
        }

        byte[] inner = new byte[content.Length + 1 + padding];
        content.CopyTo(inner);
        inner[content.Length] = type;
        return SealInner(inner, outerType, version);
    }

    /// <summary>TLS 1.3: an inner plaintext exactly as given (it may lack a content type).</summary>
    public byte[] SealInner(ReadOnlySpan<byte> inner, byte outerType = 23, ushort version = 0x0303)
    {
        int length = inner.Length + 16;
        byte[] record = new byte[5 + length];
        record[0] = outerType;
        record[1] = (byte)(version >> 8);
        record[2] = (byte)version;
        record[3] = (byte)(length >> 8);
        record[4] = (byte)length;
        _aead.Seal(Nonce(Sequence++), record.AsSpan(0, 5), inner, record.AsSpan(5));
        return record;
    }

    private byte[] Seal12(byte type, ReadOnlySpan<byte> content, ushort version)
    {
        int explicitLength = ExplicitNonce ? 8 : 0;
        int length = explicitLength + content.Length + 16;
        byte[] record = new byte[5 + length];
        record[0] = type;
        record[1] = (byte)(version >> 8);
        record[2] = (byte)version;
        record[3] = (byte)(length >> 8);
        record[4] = (byte)length;
        ulong sequence = Sequence++;
        byte[] nonce = Nonce(sequence);
        if (ExplicitNonce)
        {
            WriteU64(record.AsSpan(5), sequence);
            record.AsSpan(5, 8).CopyTo(nonce.AsSpan(4));
        }

        _aead.Seal(nonce, AdditionalData(sequence, type, content.Length), content, record.AsSpan(5 + explicitLength));
        return record;
    }

    /// <summary>
    /// Opens a record: TLS 1.3 returns the inner type and content with padding removed (type 0 when
    /// the plaintext is all zeros), TLS 1.2 the outer type and content. Null when it does not authenticate.
    /// </summary>
    public (byte Type, byte[] Content)? Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        if (IsTls13)
        {
            byte[] plaintext = new byte[payload.Length];
            if (!_aead.Open(Nonce(Sequence), header, payload, plaintext, out int written))
            {
                return null;
            }

            Sequence++;
            int end = written - 1;
            while (end >= 0 && plaintext[end] == 0)
            {
                end--;
            }

            return end < 0 ? ((byte)0, Array.Empty<byte>()) : (plaintext[end], plaintext.AsSpan(0, end).ToArray());
        }

        int explicitLength = ExplicitNonce ? 8 : 0;
        int contentLength = payload.Length - explicitLength - 16;
        if (contentLength < 0)
        {
            return null;
        }

        byte[] nonce = Nonce(Sequence);
        if (ExplicitNonce)
        {
            payload.Slice(0, 8).CopyTo(nonce.AsSpan(4));
        }

        byte[] content = new byte[contentLength + 16];
        if (!_aead.Open(nonce, AdditionalData(Sequence, header[0], contentLength), payload.Slice(explicitLength), content, out int length))
        {
            return null;
        }

        Sequence++;
        return (header[0], content.AsSpan(0, length).ToArray());
    }

    private byte[] Nonce(ulong sequence)
    {
        byte[] nonce = new byte[12];
        _iv.CopyTo(nonce, 0);
        if (ExplicitNonce)
        {
            return nonce;
        }

        for (int i = 0; i < 8; i++)
        {
            nonce[11 - i] ^= (byte)(sequence >> (8 * i));
        }

        return nonce;
    }

    private static byte[] AdditionalData(ulong sequence, byte type, int length)
    {
        byte[] aad = new byte[13];
        WriteU64(aad, sequence);
        aad[8] = type;
        aad[9] = 3;
        aad[10] = 3;
        aad[11] = (byte)(length >> 8);
        aad[12] = (byte)length;
        return aad;
    }

    private static void WriteU64(Span<byte> destination, ulong value)
    {
        for (int i = 0; i < 8; i++)
        {
            destination[i] = (byte)(value >> (56 - (8 * i)));
        }
    }
}
