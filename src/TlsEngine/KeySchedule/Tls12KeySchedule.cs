using System;
using System.Text;
using TlsEngine.Buffers;
using TlsEngine.Crypto;
using TlsEngine.Records;

namespace TlsEngine.KeySchedule;

/// <summary>
/// TLS 1.2's PRF (RFC 5246 §5) with the suite's hash, the extended master secret (RFC 7627),
/// the AEAD key block, Finished, and the RFC 5705 exporter.
/// </summary>
internal sealed class Tls12KeySchedule
{
    private readonly ICryptoProvider _crypto;
    private readonly CipherSuiteInfo _suite;

    public Tls12KeySchedule(ICryptoProvider crypto, CipherSuiteInfo suite)
    {
        _crypto = crypto;
        _suite = suite;
    }

    public byte[] Prf(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, int length)
    {
        var labelSeed = new TlsWriter(label.Length + seed.Length);
        labelSeed.WriteBytes(Encoding.ASCII.GetBytes(label));
        labelSeed.WriteBytes(seed);
        ReadOnlySpan<byte> input = labelSeed.WrittenSpan;

        // P_hash: A(i) = HMAC(secret, A(i-1)); output = HMAC(secret, A(i) || seed) ...
        byte[] output = new byte[length];
        byte[] a = input.ToArray();
        int offset = 0;
        while (offset < length)
        {
            a = _crypto.Hmac(_suite.Hash, secret, a);
            var block = new TlsWriter(a.Length + input.Length);
            block.WriteBytes(a);
            block.WriteBytes(input);
            byte[] chunk = _crypto.Hmac(_suite.Hash, secret, block.WrittenSpan);
            int take = Math.Min(chunk.Length, length - offset);
            chunk.AsSpan(0, take).CopyTo(output.AsSpan(offset));
            offset += take;
        }

        return output;
    }

    public byte[] ExtendedMasterSecret(ReadOnlySpan<byte> preMasterSecret, ReadOnlySpan<byte> sessionHash) =>
        Prf(preMasterSecret, "extended master secret", sessionHash, 48);

    public byte[] LegacyMasterSecret(ReadOnlySpan<byte> preMasterSecret, byte[] clientRandom, byte[] serverRandom) =>
        Prf(preMasterSecret, "master secret", Concat(clientRandom, serverRandom), 48);

    /// <summary>The key block (RFC 5246 §6.3), split into each direction's AEAD key and fixed IV.</summary>
    public (Tls12TrafficKeys Client, Tls12TrafficKeys Server) KeyBlock(byte[] masterSecret, byte[] clientRandom, byte[] serverRandom)
    {
        int keyLength = _suite.KeyLength;
        int ivLength = _suite.Tls12FixedIvLength;
        byte[] block = Prf(masterSecret, "key expansion", Concat(serverRandom, clientRandom), (2 * keyLength) + (2 * ivLength));
        byte[] Slice(int offset, int length) => block.AsSpan(offset, length).ToArray();
        var client = new Tls12TrafficKeys(Slice(0, keyLength), Slice(2 * keyLength, ivLength));
        var server = new Tls12TrafficKeys(Slice(keyLength, keyLength), Slice((2 * keyLength) + ivLength, ivLength));
        Array.Clear(block, 0, block.Length);
        return (client, server);
    }

    public byte[] FinishedVerifyData(byte[] masterSecret, bool fromClient, ReadOnlySpan<byte> transcriptHash) =>
        Prf(masterSecret, fromClient ? "client finished" : "server finished", transcriptHash, 12);

    /// <summary>RFC 5705: an empty context means "no context", as in OpenSSL's use_context = 0.</summary>
    public byte[] Export(byte[] masterSecret, byte[] clientRandom, byte[] serverRandom, string label, ReadOnlySpan<byte> context, int length)
    {
        var seed = new TlsWriter(64 + context.Length + 2);
        seed.WriteBytes(clientRandom);
        seed.WriteBytes(serverRandom);
        if (context.Length > 0)
        {
            seed.WriteVector16(context);
        }

        return Prf(masterSecret, label, seed.WrittenSpan, length);
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        byte[] result = new byte[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }
}
