using System;
using System.Text;
using TlsEngine.Buffers;
using TlsEngine.Crypto;

namespace TlsEngine.KeySchedule;

/// <summary>HKDF (RFC 5869) and TLS 1.3's HKDF-Expand-Label / Derive-Secret (RFC 8446 §7.1).</summary>
internal sealed class Hkdf
{
    private readonly ICryptoProvider _crypto;

    public Hkdf(ICryptoProvider crypto, HashAlgorithmId hash)
    {
        _crypto = crypto;
        Hash = hash;
        HashLength = CipherSuiteInfo.HashLengthOf(hash);
        IHashContext empty = crypto.CreateHash(hash);
        EmptyHash = empty.GetCurrentHash();
    }

    public HashAlgorithmId Hash { get; }

    public int HashLength { get; }

    /// <summary>Hash of the empty string, the context of Derive-Secret(., "derived", "").</summary>
    public byte[] EmptyHash { get; }

    public byte[] Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm)
    {
        // RFC 5869 §2.2: an absent salt is HashLen zeros.
        byte[] saltBytes = salt.Length == 0 ? new byte[HashLength] : salt.ToArray();
        return _crypto.Hmac(Hash, saltBytes, ikm);
    }

    public byte[] Expand(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, int length)
    {
        byte[] output = new byte[length];
        byte[] previous = Array.Empty<byte>();
        int offset = 0;
        byte counter = 1;
        while (offset < length)
        {
            var input = new TlsWriter(previous.Length + info.Length + 1);
            input.WriteBytes(previous);
            input.WriteBytes(info);
            input.WriteU8(counter++);
            byte[] block = _crypto.Hmac(Hash, prk, input.WrittenSpan);
            // Each block T(i) is key material, and so is the input that carries T(i-1): neither outlives its use.
            input.Wipe();
            Array.Clear(previous, 0, previous.Length);
            previous = block;
            int take = Math.Min(previous.Length, length - offset);
            previous.AsSpan(0, take).CopyTo(output.AsSpan(offset));
            offset += take;
        }

        Array.Clear(previous, 0, previous.Length);
        return output;
    }

    public byte[] ExpandLabel(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        var info = new TlsWriter(10 + label.Length + context.Length);
        info.WriteU16(length);
        info.WriteVector8(Encoding.ASCII.GetBytes("tls13 " + label));
        info.WriteVector8(context);
        return Expand(secret, info.WrittenSpan, length);
    }

    public byte[] DeriveSecret(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash) =>
        ExpandLabel(secret, label, transcriptHash, HashLength);

    public byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => _crypto.Hmac(Hash, key, data);

    /// <summary>verify_data for Finished (RFC 8446 §4.4.4) from a handshake traffic secret.</summary>
    public byte[] FinishedVerifyData(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash)
    {
        byte[] finishedKey = ExpandLabel(baseKey, "finished", ReadOnlySpan<byte>.Empty, HashLength);
        byte[] verifyData = Hmac(finishedKey, transcriptHash);
        Array.Clear(finishedKey, 0, finishedKey.Length);
        return verifyData;
    }
}
