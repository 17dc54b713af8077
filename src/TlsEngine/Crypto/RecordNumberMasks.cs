using System;
using System.Buffers.Binary;

namespace TlsEngine.Crypto;

/// <summary>Shared pieces of the DTLS 1.3 record number masks (RFC 9147 §4.2.3).</summary>
internal static class RecordNumberMasks
{
    /// <summary>The mask is computed from the first 16 bytes of the ciphertext, and is as long.</summary>
    public const int SampleLength = 16;

    public static void CheckLengths(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        if (sample.Length != SampleLength || mask.Length < SampleLength)
        {
            throw new ArgumentException("The record number mask takes a 16-byte sample and a 16-byte destination.");
        }
    }

    public static void CheckKey(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        int expected = algorithm switch
        {
            AeadAlgorithm.Aes128Gcm => 16,
            _ => 32,
        };
        if (key.Length != expected)
        {
            throw new ArgumentException("The record number key has the wrong length for its cipher.");
        }
    }
}

/// <summary>
/// ChaCha20-Poly1305's record number mask: the ChaCha20 block function (RFC 8439 §2.3) with the
/// sample's first 4 bytes as the block counter (little-endian, as RFC 8439 §2.3 serializes the
/// state) and the next 12 as the nonce. Neither the runtime nor BouncyCastle 1.8.10 exposes the raw
/// block function with a chosen counter, so both providers use this one.
/// </summary>
internal sealed class ChaCha20RecordNumberMask : IRecordNumberMask
{
    private readonly uint[] _key = new uint[8];
    private readonly uint[] _state = new uint[16];
    private readonly uint[] _working = new uint[16];

    public ChaCha20RecordNumberMask(ReadOnlySpan<byte> key)
    {
        RecordNumberMasks.CheckKey(AeadAlgorithm.ChaCha20Poly1305, key);
        for (int i = 0; i < 8; i++)
        {
            _key[i] = BinaryPrimitives.ReadUInt32LittleEndian(key.Slice(i * 4));
        }
    }

    public void Compute(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        RecordNumberMasks.CheckLengths(sample, mask);
        uint counter = BinaryPrimitives.ReadUInt32LittleEndian(sample);
        Block(counter, sample.Slice(4, 12), mask.Slice(0, RecordNumberMasks.SampleLength));
    }

    /// <summary>The first <paramref name="output"/>.Length (at most 64) bytes of one ChaCha20 block.</summary>
    public void Block(uint counter, ReadOnlySpan<byte> nonce, Span<byte> output)
    {
        // RFC 8439 §2.3: constants, key, counter, nonce.
        _state[0] = 0x61707865;
        _state[1] = 0x3320646e;
        _state[2] = 0x79622d32;
        _state[3] = 0x6b206574;
        Array.Copy(_key, 0, _state, 4, 8);
        _state[12] = counter;
        _state[13] = BinaryPrimitives.ReadUInt32LittleEndian(nonce);
        _state[14] = BinaryPrimitives.ReadUInt32LittleEndian(nonce.Slice(4));
        _state[15] = BinaryPrimitives.ReadUInt32LittleEndian(nonce.Slice(8));
        Array.Copy(_state, _working, 16);
        for (int round = 0; round < 10; round++)
        {
            QuarterRound(_working, 0, 4, 8, 12);
            QuarterRound(_working, 1, 5, 9, 13);
            QuarterRound(_working, 2, 6, 10, 14);
            QuarterRound(_working, 3, 7, 11, 15);
            QuarterRound(_working, 0, 5, 10, 15);
            QuarterRound(_working, 1, 6, 11, 12);
            QuarterRound(_working, 2, 7, 8, 13);
            QuarterRound(_working, 3, 4, 9, 14);
        }

        Span<byte> word = stackalloc byte[4];
        for (int i = 0; i < 16 && i * 4 < output.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, _working[i] + _state[i]);
            int n = Math.Min(4, output.Length - (i * 4));
            word.Slice(0, n).CopyTo(output.Slice(i * 4));
        }

        Array.Clear(_working, 0, 16);
        Array.Clear(_state, 0, 16);
    }

    public void Dispose()
    {
        Array.Clear(_key, 0, _key.Length);
    }

    private static void QuarterRound(uint[] x, int a, int b, int c, int d)
    {
        x[a] += x[b];
        x[d] = RotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d];
        x[b] = RotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b];
        x[d] = RotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d];
        x[b] = RotateLeft(x[b] ^ x[c], 7);
    }

    private static uint RotateLeft(uint value, int bits) => (value << bits) | (value >> (32 - bits));
}
