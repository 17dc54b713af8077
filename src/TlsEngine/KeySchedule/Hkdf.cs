using System;
using System.Collections.Concurrent;
using System.Text;
using TlsEngine.Buffers;
using TlsEngine.Crypto;

namespace TlsEngine.KeySchedule;

/// <summary>HKDF (RFC 5869) and TLS 1.3's HKDF-Expand-Label / Derive-Secret (RFC 8446 §7.1).</summary>
internal sealed class Hkdf
{
    /// <summary>TLS 1.3's HkdfLabel prefix (RFC 8446 §7.1).</summary>
    public const string Tls13LabelPrefix = "tls13 ";

    /// <summary>DTLS 1.3 uses its own prefix so that no key is shared with TLS 1.3 (RFC 9147 §5.9).</summary>
    public const string Dtls13LabelPrefix = "dtls13";

    private readonly ICryptoProvider _crypto;
    private readonly string _labelPrefix;

    public Hkdf(ICryptoProvider crypto, HashAlgorithmId hash, string labelPrefix = Tls13LabelPrefix)
    {
        _crypto = crypto;
        _labelPrefix = labelPrefix;
        Hash = hash;
        HashLength = CipherSuiteInfo.HashLengthOf(hash);
        EmptyHash = EmptyHashes[(int)hash] ??= EmptyHashOf(crypto, hash);
    }

    // Public constants of the hash (and the label prefix), computed once per process: every
    // connection needs them and each costs as much as a secret derivation.
    private static readonly byte[]?[] EmptyHashes = new byte[3][];
    private static readonly ConcurrentDictionary<(HashAlgorithmId, string), byte[]> DerivedWithoutPskCache = new();

    private static byte[] EmptyHashOf(ICryptoProvider crypto, HashAlgorithmId hash)
    {
        using IHashContext context = crypto.CreateHash(hash);
        return context.GetCurrentHash();
    }

    // SHA-512, the longest hash any provider offers.
    private const int MaxHashLength = 64;

    public HashAlgorithmId Hash { get; }

    /// <summary>The HkdfLabel prefix every label is expanded with.</summary>
    public string LabelPrefix => _labelPrefix;

    public int HashLength { get; }

    /// <summary>Hash of the empty string, the context of Derive-Secret(., "derived", ""). Shared: never written to.</summary>
    public byte[] EmptyHash { get; }

    public byte[] Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm)
    {
        // RFC 5869 §2.2: an absent salt is HashLen zeros.
        // One computation under this key: the one-shot HMAC, without a keyed context to create and free.
        byte[] prk = new byte[HashLength];
        _crypto.Hmac(Hash, salt.Length == 0 ? stackalloc byte[HashLength] : salt, ikm, prk);
        return prk;
    }

    /// <summary>
    /// Derive-Secret(HKDF-Extract(0, 0), "derived", ""): where a handshake without a PSK starts
    /// (RFC 8446 §7.1). It depends on nothing but the hash and the label prefix, so it is a public
    /// constant; each call returns a fresh copy the caller may zero.
    /// </summary>
    public byte[] DerivedWithoutPsk()
    {
        if (!DerivedWithoutPskCache.TryGetValue((Hash, _labelPrefix), out byte[]? derived))
        {
            byte[] early = Extract(ReadOnlySpan<byte>.Empty, new byte[HashLength]);
            derived = DerivedWithoutPskCache.GetOrAdd((Hash, _labelPrefix), DeriveSecret(early, "derived", EmptyHash));
        }

        return (byte[])derived.Clone();
    }

    /// <summary>An HMAC keyed with <paramref name="secret"/>, for several expansions of the same secret.</summary>
    public IHmac Key(ReadOnlySpan<byte> secret) => _crypto.CreateHmac(Hash, secret);

    public byte[] Expand(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, int length)
    {
        byte[] output = new byte[length];
        Expand(prk, info, output);
        return output;
    }

    /// <summary>RFC 5869 §2.3 into <paramref name="output"/>, with the blocks on the stack.</summary>
    public void Expand(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output)
    {
        using IHmac mac = Key(prk);
        Expand(mac, info, output);
    }

    /// <summary>RFC 5869 §2.3 with an HMAC already keyed with the PRK.</summary>
    public void Expand(IHmac prk, ReadOnlySpan<byte> info, Span<byte> output)
    {
        // T(i) = HMAC(PRK, T(i-1) | info | i); info is at most a label and a hash, so one stack buffer holds it.
        Span<byte> input = info.Length <= 512 - MaxHashLength - 1 ? stackalloc byte[512] : new byte[MaxHashLength + info.Length + 1];
        Span<byte> block = stackalloc byte[MaxHashLength];
        int previous = 0;
        int offset = 0;
        byte counter = 1;
        while (offset < output.Length)
        {
            block.Slice(0, previous).CopyTo(input);
            info.CopyTo(input.Slice(previous));
            input[previous + info.Length] = counter++;
            previous = prk.Compute(input.Slice(0, previous + info.Length + 1), block);
            int take = Math.Min(previous, output.Length - offset);
            block.Slice(0, take).CopyTo(output.Slice(offset));
            offset += take;
        }

        // Each block T(i) is key material, and so is the input that carried T(i-1): neither outlives its use.
        block.Clear();
        input.Clear();
    }

    public byte[] ExpandLabel(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        byte[] output = new byte[length];
        ExpandLabel(secret, label, context, output);
        return output;
    }

    public void ExpandLabel(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, Span<byte> output)
    {
        using IHmac mac = Key(secret);
        ExpandLabel(mac, label, context, output);
    }

    public byte[] ExpandLabel(IHmac secret, string label, ReadOnlySpan<byte> context, int length)
    {
        byte[] output = new byte[length];
        ExpandLabel(secret, label, context, output);
        return output;
    }

    /// <summary>RFC 8446 §7.1: HkdfLabel built on the stack (the label is ASCII, at most 255 - 6 bytes).</summary>
    public void ExpandLabel(IHmac secret, string label, ReadOnlySpan<byte> context, Span<byte> output)
    {
        string prefix = _labelPrefix;
        int labelLength = prefix.Length + label.Length;
        if (labelLength > 255 || context.Length > 255 || output.Length > 0xFFFF)
        {
            throw TlsFailureException.Internal("An HKDF label, context or length exceeds its vector.");
        }

        Span<byte> info = stackalloc byte[2 + 1 + 255 + 1 + 255];
        int at = 0;
        info[at++] = (byte)(output.Length >> 8);
        info[at++] = (byte)output.Length;
        info[at++] = (byte)labelLength;
        foreach (char c in prefix)
        {
            info[at++] = (byte)c;
        }

        foreach (char c in label)
        {
            // As ASCII encoding does: a character outside it becomes '?'.
            info[at++] = c < 0x80 ? (byte)c : (byte)'?';
        }

        info[at++] = (byte)context.Length;
        context.CopyTo(info.Slice(at));
        at += context.Length;
        Expand(secret, info.Slice(0, at), output);
    }

    public byte[] DeriveSecret(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash) =>
        ExpandLabel(secret, label, transcriptHash, HashLength);

    public byte[] DeriveSecret(IHmac secret, string label, ReadOnlySpan<byte> transcriptHash) =>
        ExpandLabel(secret, label, transcriptHash, HashLength);

    public byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => _crypto.Hmac(Hash, key, data);

    /// <summary>verify_data for Finished (RFC 8446 §4.4.4) from a handshake traffic secret.</summary>
    public byte[] FinishedVerifyData(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash)
    {
        Span<byte> finishedKey = stackalloc byte[HashLength];
        ExpandLabel(baseKey, "finished", ReadOnlySpan<byte>.Empty, finishedKey);
        byte[] verifyData = FinishedMac(finishedKey, transcriptHash);
        finishedKey.Clear();
        return verifyData;
    }

    /// <summary>
    /// verify_data = HMAC(finished_key, transcript hash) (RFC 8446 §4.4.4), for a finished_key
    /// already expanded (see <see cref="TrafficKeys.Protection(ICryptoProvider, CipherSuiteInfo, Hkdf, ReadOnlySpan{byte}, Span{byte})"/>).
    /// </summary>
    public byte[] FinishedMac(ReadOnlySpan<byte> finishedKey, ReadOnlySpan<byte> transcriptHash)
    {
        byte[] verifyData = new byte[HashLength];
        _crypto.Hmac(Hash, finishedKey, transcriptHash, verifyData);
        return verifyData;
    }
}
