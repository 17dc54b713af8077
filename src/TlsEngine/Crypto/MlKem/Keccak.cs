using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

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
/// The one-shot hashes keep their state on the stack, so hashing allocates nothing.
/// </remarks>
internal sealed class Keccak
{
    public const int Shake128Rate = 168;
    public const int Shake256Rate = 136;
    public const int Sha3_256Rate = 136;
    public const int Sha3_512Rate = 72;
    private const int Lanes = 25;
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

    private readonly ulong[] _state = new ulong[Lanes];
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

    public void Absorb(ReadOnlySpan<byte> data) => _offset = Absorb(_state, _rate, _offset, data);

    public void Squeeze(Span<byte> output)
    {
        if (!_squeezing)
        {
            Pad(_state, _rate, _offset, _pad);
            _offset = 0;
            _squeezing = true;
        }

        _offset = Squeeze(_state, _rate, _offset, output);
    }

    public void Clear()
    {
        Array.Clear(_state, 0, _state.Length);
        _offset = 0;
        _squeezing = false;
    }

    private static void Hash(int rate, byte pad, ReadOnlySpan<byte> input, ReadOnlySpan<byte> input2, Span<byte> output)
    {
        Span<ulong> state = stackalloc ulong[Lanes];
        int offset = Absorb(state, rate, 0, input);
        offset = Absorb(state, rate, offset, input2);
        Pad(state, rate, offset, pad);
        Squeeze(state, rate, 0, output);
        state.Clear();
    }

    /// <summary>XORs data into the state from byte position offset, a lane at a time where aligned; returns the new position.</summary>
    private static int Absorb(Span<ulong> state, int rate, int offset, ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            if ((offset & 7) == 0 && data.Length >= 8)
            {
                int lanes = Math.Min(data.Length >> 3, (rate - offset) >> 3);
                int first = offset >> 3;
                for (int i = 0; i < lanes; i++)
                {
                    state[first + i] ^= BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(8 * i));
                }

                offset += 8 * lanes;
                data = data.Slice(8 * lanes);
            }
            else
            {
                state[offset >> 3] ^= (ulong)data[0] << ((offset & 7) * 8);
                offset++;
                data = data.Slice(1);
            }

            if (offset == rate)
            {
                Permute(state);
                offset = 0;
            }
        }

        return offset;
    }

    /// <summary>The pad10*1 rule with the domain bits (FIPS 202 §5.1, §6), then the permutation that starts squeezing.</summary>
    private static void Pad(Span<ulong> state, int rate, int offset, byte pad)
    {
        state[offset >> 3] ^= (ulong)pad << ((offset & 7) * 8);
        state[(rate - 1) >> 3] ^= 0x80UL << (((rate - 1) & 7) * 8);
        Permute(state);
    }

    /// <summary>Reads output from byte position offset, a lane at a time where aligned; returns the new position.</summary>
    private static int Squeeze(Span<ulong> state, int rate, int offset, Span<byte> output)
    {
        while (output.Length > 0)
        {
            if (offset == rate)
            {
                Permute(state);
                offset = 0;
            }

            if ((offset & 7) == 0 && output.Length >= 8)
            {
                int lanes = Math.Min(output.Length >> 3, (rate - offset) >> 3);
                int first = offset >> 3;
                for (int i = 0; i < lanes; i++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(8 * i), state[first + i]);
                }

                offset += 8 * lanes;
                output = output.Slice(8 * lanes);
            }
            else
            {
                output[0] = (byte)(state[offset >> 3] >> ((offset & 7) * 8));
                offset++;
                output = output.Slice(1);
            }
        }

        return offset;
    }

    private Keccak Reset(int rate, byte pad)
    {
        Clear();
        _rate = rate;
        _pad = pad;
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Rotl(ulong v, int n) => (v << n) | (v >> (64 - n));

    /// <summary>
    /// Keccak-f[1600] (FIPS 202 §3.3), the 25 lanes held in locals, one round per iteration.
    /// Lane aXY is lane x + 5y; theta's column parities c and d, then rho and pi in one step
    /// (bYY = rotated lane at its pi destination, §3.2.2-3.2.3), then chi and iota.
    /// </summary>
    private static void Permute(Span<ulong> state)
    {
        ulong a24 = state[24];
        ulong a00 = state[0];
        ulong a01 = state[1];
        ulong a02 = state[2];
        ulong a03 = state[3];
        ulong a04 = state[4];
        ulong a05 = state[5];
        ulong a06 = state[6];
        ulong a07 = state[7];
        ulong a08 = state[8];
        ulong a09 = state[9];
        ulong a10 = state[10];
        ulong a11 = state[11];
        ulong a12 = state[12];
        ulong a13 = state[13];
        ulong a14 = state[14];
        ulong a15 = state[15];
        ulong a16 = state[16];
        ulong a17 = state[17];
        ulong a18 = state[18];
        ulong a19 = state[19];
        ulong a20 = state[20];
        ulong a21 = state[21];
        ulong a22 = state[22];
        ulong a23 = state[23];
        for (int round = 0; round < 24; round++)
        {
            ulong c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
            ulong c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
            ulong c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
            ulong c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
            ulong c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
            ulong d0 = c4 ^ Rotl(c1, 1);
            ulong d1 = c0 ^ Rotl(c2, 1);
            ulong d2 = c1 ^ Rotl(c3, 1);
            ulong d3 = c2 ^ Rotl(c4, 1);
            ulong d4 = c3 ^ Rotl(c0, 1);
            ulong b00 = (a00 ^ d0);
            ulong b01 = Rotl(a06 ^ d1, 44);
            ulong b02 = Rotl(a12 ^ d2, 43);
            ulong b03 = Rotl(a18 ^ d3, 21);
            ulong b04 = Rotl(a24 ^ d4, 14);
            ulong b05 = Rotl(a03 ^ d3, 28);
            ulong b06 = Rotl(a09 ^ d4, 20);
            ulong b07 = Rotl(a10 ^ d0, 3);
            ulong b08 = Rotl(a16 ^ d1, 45);
            ulong b09 = Rotl(a22 ^ d2, 61);
            ulong b10 = Rotl(a01 ^ d1, 1);
            ulong b11 = Rotl(a07 ^ d2, 6);
            ulong b12 = Rotl(a13 ^ d3, 25);
            ulong b13 = Rotl(a19 ^ d4, 8);
            ulong b14 = Rotl(a20 ^ d0, 18);
            ulong b15 = Rotl(a04 ^ d4, 27);
            ulong b16 = Rotl(a05 ^ d0, 36);
            ulong b17 = Rotl(a11 ^ d1, 10);
            ulong b18 = Rotl(a17 ^ d2, 15);
            ulong b19 = Rotl(a23 ^ d3, 56);
            ulong b20 = Rotl(a02 ^ d2, 62);
            ulong b21 = Rotl(a08 ^ d3, 55);
            ulong b22 = Rotl(a14 ^ d4, 39);
            ulong b23 = Rotl(a15 ^ d0, 41);
            ulong b24 = Rotl(a21 ^ d1, 2);
            a00 = b00 ^ (~b01 & b02);
            a01 = b01 ^ (~b02 & b03);
            a02 = b02 ^ (~b03 & b04);
            a03 = b03 ^ (~b04 & b00);
            a04 = b04 ^ (~b00 & b01);
            a05 = b05 ^ (~b06 & b07);
            a06 = b06 ^ (~b07 & b08);
            a07 = b07 ^ (~b08 & b09);
            a08 = b08 ^ (~b09 & b05);
            a09 = b09 ^ (~b05 & b06);
            a10 = b10 ^ (~b11 & b12);
            a11 = b11 ^ (~b12 & b13);
            a12 = b12 ^ (~b13 & b14);
            a13 = b13 ^ (~b14 & b10);
            a14 = b14 ^ (~b10 & b11);
            a15 = b15 ^ (~b16 & b17);
            a16 = b16 ^ (~b17 & b18);
            a17 = b17 ^ (~b18 & b19);
            a18 = b18 ^ (~b19 & b15);
            a19 = b19 ^ (~b15 & b16);
            a20 = b20 ^ (~b21 & b22);
            a21 = b21 ^ (~b22 & b23);
            a22 = b22 ^ (~b23 & b24);
            a23 = b23 ^ (~b24 & b20);
            a24 = b24 ^ (~b20 & b21);
            a00 ^= RoundConstants[round];
        }

        state[0] = a00;
        state[1] = a01;
        state[2] = a02;
        state[3] = a03;
        state[4] = a04;
        state[5] = a05;
        state[6] = a06;
        state[7] = a07;
        state[8] = a08;
        state[9] = a09;
        state[10] = a10;
        state[11] = a11;
        state[12] = a12;
        state[13] = a13;
        state[14] = a14;
        state[15] = a15;
        state[16] = a16;
        state[17] = a17;
        state[18] = a18;
        state[19] = a19;
        state[20] = a20;
        state[21] = a21;
        state[22] = a22;
        state[23] = a23;
        state[24] = a24;
    }
}
