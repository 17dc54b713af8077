using System;

namespace TlsEngine.Crypto.MlKem;

/// <summary>
/// A Keccak-f[1600] sponge (FIPS 202) for the four functions ML-KEM needs: SHA3-256 (H),
/// SHA3-512 (G), SHAKE128 (XOF) and SHAKE256 (PRF, J).
/// </summary>
/// <remarks>
/// Written here rather than reached through BouncyCastle's Sha3Digest/ShakeDigest (which 1.8.10
/// has): those take byte[] with offsets, so every absorb of a span would copy into a fresh array,
/// and their state cannot be wiped on demand. This sponge absorbs and squeezes spans, squeezes
/// incrementally (SampleNTT reads the XOF a block at a time), and <see cref="Clear"/> zeroes the
/// state, which holds secrets when it hashes seeds. The permutation has no data-dependent
/// branches or table indices: lanes are mixed only by XOR, AND-NOT and fixed rotations.
/// </remarks>
internal sealed class Keccak
{
    public const int Shake128Rate = 168;
    public const int Shake256Rate = 136;
    public const int Sha3_256Rate = 136;
    public const int Sha3_512Rate = 72;
    private const byte ShakePad = 0x1F;
    private const byte Sha3Pad = 0x06;

    private static readonly ulong[] RoundConstants =
    {
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    };

    // rho rotation and pi destination for lane i (x + 5y), FIPS 202 §3.2.2-3.2.3.
    private static readonly int[] Rotations =
    {
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
    };

    private static readonly int[] PiDestination = BuildPi();

    private readonly ulong[] _state = new ulong[25];
    private readonly ulong[] _scratch = new ulong[25];
    private int _rate;
    private byte _pad;
    private int _offset;
    private bool _squeezing;

    private Keccak()
    {
    }

    public static Keccak Shake128() => new Keccak().Reset(Shake128Rate, ShakePad);

    public static Keccak Shake256() => new Keccak().Reset(Shake256Rate, ShakePad);

    /// <summary>Starts over as SHAKE128 (reuses the instance: no allocation per matrix entry).</summary>
    public Keccak ResetShake128() => Reset(Shake128Rate, ShakePad);

    public Keccak ResetShake256() => Reset(Shake256Rate, ShakePad);

    public static void Sha3_256(ReadOnlySpan<byte> input, Span<byte> output) => Hash(Sha3_256Rate, Sha3Pad, input, default, output.Slice(0, 32));

    public static void Sha3_512(ReadOnlySpan<byte> input, ReadOnlySpan<byte> input2, Span<byte> output) => Hash(Sha3_512Rate, Sha3Pad, input, input2, output.Slice(0, 64));

    public static void Shake256(ReadOnlySpan<byte> input, ReadOnlySpan<byte> input2, Span<byte> output) => Hash(Shake256Rate, ShakePad, input, input2, output);

    public void Absorb(ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            _state[_offset >> 3] ^= (ulong)data[i] << ((_offset & 7) * 8);
            if (++_offset == _rate)
            {
                Permute(_state, _scratch);
                _offset = 0;
            }
        }
    }

    public void Squeeze(Span<byte> output)
    {
        if (!_squeezing)
        {
            _state[_offset >> 3] ^= (ulong)_pad << ((_offset & 7) * 8);
            _state[(_rate - 1) >> 3] ^= 0x80UL << (((_rate - 1) & 7) * 8);
            Permute(_state, _scratch);
            _offset = 0;
            _squeezing = true;
        }

        for (int i = 0; i < output.Length; i++)
        {
            if (_offset == _rate)
            {
                Permute(_state, _scratch);
                _offset = 0;
            }

            output[i] = (byte)(_state[_offset >> 3] >> ((_offset & 7) * 8));
            _offset++;
        }
    }

    public void Clear()
    {
        Array.Clear(_state, 0, _state.Length);
        Array.Clear(_scratch, 0, _scratch.Length);
        _offset = 0;
        _squeezing = false;
    }

    private static void Hash(int rate, byte pad, ReadOnlySpan<byte> input, ReadOnlySpan<byte> input2, Span<byte> output)
    {
        var sponge = new Keccak().Reset(rate, pad);
        sponge.Absorb(input);
        sponge.Absorb(input2);
        sponge.Squeeze(output);
        sponge.Clear();
    }

    private Keccak Reset(int rate, byte pad)
    {
        Clear();
        _rate = rate;
        _pad = pad;
        return this;
    }

    private static int[] BuildPi()
    {
        var destination = new int[25];
        for (int x = 0; x < 5; x++)
        {
            for (int y = 0; y < 5; y++)
            {
                // B[y, 2x + 3y] = rot(A[x, y])
                destination[x + (5 * y)] = y + (5 * (((2 * x) + (3 * y)) % 5));
            }
        }

        return destination;
    }

    private static ulong Rotl(ulong v, int n) => n == 0 ? v : (v << n) | (v >> (64 - n));

    private static void Permute(ulong[] a, ulong[] b)
    {
        for (int round = 0; round < 24; round++)
        {
            ulong c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
            ulong c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
            ulong c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
            ulong c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
            ulong c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
            ulong d0 = c4 ^ Rotl(c1, 1);
            ulong d1 = c0 ^ Rotl(c2, 1);
            ulong d2 = c1 ^ Rotl(c3, 1);
            ulong d3 = c2 ^ Rotl(c4, 1);
            ulong d4 = c3 ^ Rotl(c0, 1);
            for (int y = 0; y < 25; y += 5)
            {
                a[y] ^= d0;
                a[y + 1] ^= d1;
                a[y + 2] ^= d2;
                a[y + 3] ^= d3;
                a[y + 4] ^= d4;
            }

            for (int i = 0; i < 25; i++)
            {
                b[PiDestination[i]] = Rotl(a[i], Rotations[i]);
            }

            for (int y = 0; y < 25; y += 5)
            {
                ulong b0 = b[y], b1 = b[y + 1], b2 = b[y + 2], b3 = b[y + 3], b4 = b[y + 4];
                a[y] = b0 ^ (~b1 & b2);
                a[y + 1] = b1 ^ (~b2 & b3);
                a[y + 2] = b2 ^ (~b3 & b4);
                a[y + 3] = b3 ^ (~b4 & b0);
                a[y + 4] = b4 ^ (~b0 & b1);
            }

            a[0] ^= RoundConstants[round];
        }
    }
}
