using System;

namespace TlsEngine.Crypto.MlKem;

/// <summary>
/// Arithmetic on polynomials of Z_q[X]/(X^256 + 1), q = 3329 (FIPS 203 §4.3), each held as 256
/// ints in [0, q).
/// </summary>
/// <remarks>
/// Constant time: coefficients of secret polynomials (s, e, y, e1, e2, the message, and every
/// product with them) never decide a branch or an array index, and are never divided: reduction
/// is Barrett's multiply-and-shift with a masked final subtraction (<see cref="ModQ"/>,
/// <see cref="CondSubQ"/>), and Compress's division by q is the same multiply-and-shift with a
/// masked correction (<see cref="DivQ"/>). The only data-dependent branch in this file is the
/// rejection test in <see cref="SampleNtt"/>, which reads the public seed rho.
/// </remarks>
internal static class MlKemPoly
{
    public const int N = 256;
    public const int Q = 3329;

    // floor(2^32 / q): x * BarrettFactor >> 32 underestimates x / q by less than 1 for x < 2^32.
    private const long BarrettFactor = 1290167;

    // zeta = 17 is a primitive 256th root of unity mod q; the tables are public constants.
    private static readonly int[] Zetas = BuildZetas(gammas: false);
    private static readonly int[] Gammas = BuildZetas(gammas: true);

    /// <summary>x mod q for 0 &lt;= x &lt; 2^31, without a division or a branch.</summary>
    public static int ModQ(int x)
    {
        int quotient = (int)((x * BarrettFactor) >> 32);
        return CondSubQ(x - (quotient * Q));
    }

    /// <summary>r - q if r &gt;= q, else r, for 0 &lt;= r &lt; 2q; the choice is a mask, not a branch.</summary>
    public static int CondSubQ(int r)
    {
        r -= Q;
        return r + ((r >> 31) & Q);
    }

    /// <summary>floor(n / q) for 0 &lt;= n &lt; 2^31, without a division or a branch.</summary>
    public static int DivQ(int n)
    {
        int quotient = (int)((n * BarrettFactor) >> 32);
        int remainder = n - (quotient * Q) - Q;
        // remainder >= 0 means the estimate was one short.
        return quotient + 1 + (remainder >> 31);
    }

    /// <summary>x mod q up to a multiple: a value in [0, 2q) congruent to x, for 0 &lt;= x &lt; 2^31.</summary>
    private static int ReduceLazy(int x) => x - ((int)((x * BarrettFactor) >> 32) * Q);

    /// <summary>FIPS 203 Algorithm 9, in place; input in [0, q), output in [0, q).</summary>
    /// <remarks>
    /// Reduction is lazy: each butterfly's product is brought into [0, 2q) but the sums are not,
    /// so a coefficient grows by less than 2q per layer, stays below 15q after seven layers (every
    /// product stays below 2^31), and one pass at the end brings it into [0, q).
    /// </remarks>
    public static void Ntt(Span<int> f)
    {
        int k = 1;
        for (int len = 128; len >= 2; len >>= 1)
        {
            for (int start = 0; start < N; start += 2 * len)
            {
                int zeta = Zetas[k++];
                Span<int> low = f.Slice(start, len);
                Span<int> high = f.Slice(start + len, len);
                for (int j = 0; j < low.Length; j++)
                {
                    int t = ReduceLazy(zeta * high[j]);
                    int a = low[j];
                    high[j] = a - t + (2 * Q);
                    low[j] = a + t;
                }
            }
        }

        for (int j = 0; j < f.Length; j++)
        {
            f[j] = ModQ(f[j]);
        }
    }

    /// <summary>FIPS 203 Algorithm 10, in place; input in [0, q), output in [0, q).</summary>
    /// <remarks>
    /// Lazy as well: the sums are left to grow (below 2^l q after layer l) and each difference is
    /// offset by that bound, so it stays positive, before its product is brought into [0, 2q).
    /// After seven layers a coefficient is below 128q, so the final product by 128^-1 stays below 2^31.
    /// </remarks>
    public static void InverseNtt(Span<int> f)
    {
        int k = 127;
        for (int len = 2; len <= 128; len <<= 1)
        {
            // Every input of this layer is below (len / 2) q.
            int offset = (len >> 1) * Q;
            for (int start = 0; start < N; start += 2 * len)
            {
                int zeta = Zetas[k--];
                Span<int> low = f.Slice(start, len);
                Span<int> high = f.Slice(start + len, len);
                for (int j = 0; j < low.Length; j++)
                {
                    int t = low[j];
                    int u = high[j];
                    low[j] = t + u;
                    high[j] = ReduceLazy(zeta * (u - t + offset));
                }
            }
        }

        for (int j = 0; j < f.Length; j++)
        {
            // 3303 = 128^-1 mod q.
            f[j] = ModQ(f[j] * 3303);
        }
    }

    /// <summary>
    /// accumulator += f ∘ g in the NTT domain (FIPS 203 Algorithms 11 and 12), left unreduced:
    /// f and g in [0, q), each call adds less than 2q^2 to a coefficient, so up to 32 calls on an
    /// accumulator that started in [0, q) stay below 2^31; <see cref="Reduce"/> then brings it into [0, q).
    /// </summary>
    public static void MultiplyAccumulate(ReadOnlySpan<int> f, ReadOnlySpan<int> g, Span<int> accumulator)
    {
        f = f.Slice(0, N);
        g = g.Slice(0, N);
        accumulator = accumulator.Slice(0, N);
        for (int i = 0; i < 128; i++)
        {
            int a0 = f[2 * i], a1 = f[(2 * i) + 1], b0 = g[2 * i], b1 = g[(2 * i) + 1];
            accumulator[2 * i] += (a0 * b0) + (ModQ(a1 * b1) * Gammas[i]);
            accumulator[(2 * i) + 1] += (a0 * b1) + (a1 * b0);
        }
    }

    /// <summary>Each coefficient mod q, for coefficients in [0, 2^31).</summary>
    public static void Reduce(Span<int> f)
    {
        for (int i = 0; i < f.Length; i++)
        {
            f[i] = ModQ(f[i]);
        }
    }

    public static void Add(Span<int> f, ReadOnlySpan<int> g)
    {
        for (int i = 0; i < N; i++)
        {
            f[i] = CondSubQ(f[i] + g[i]);
        }
    }

    public static void Subtract(Span<int> f, ReadOnlySpan<int> g)
    {
        for (int i = 0; i < N; i++)
        {
            f[i] = CondSubQ(f[i] - g[i] + Q);
        }
    }

    /// <summary>FIPS 203 Algorithm 7: the XOF has absorbed rho || j || i; rejection sampling of public data.</summary>
    public static void SampleNtt(Keccak xof, Span<int> a, Span<byte> block)
    {
        int j = 0;
        while (j < N)
        {
            xof.Squeeze(block);
            for (int i = 0; i + 2 < block.Length && j < N; i += 3)
            {
                int d1 = block[i] | ((block[i + 1] & 0x0F) << 8);
                int d2 = (block[i + 1] >> 4) | (block[i + 2] << 4);
                if (d1 < Q)
                {
                    a[j++] = d1;
                }

                if (d2 < Q && j < N)
                {
                    a[j++] = d2;
                }
            }
        }
    }

    /// <summary>FIPS 203 Algorithm 8 for eta 2 or 3: counts bits with shifts and masks, never a branch on them.</summary>
    public static void SampleCbd(ReadOnlySpan<byte> bytes, int eta, Span<int> f)
    {
        if (eta == 2)
        {
            for (int i = 0; i < N / 8; i++)
            {
                uint t = (uint)(bytes[4 * i] | (bytes[(4 * i) + 1] << 8) | (bytes[(4 * i) + 2] << 16) | (bytes[(4 * i) + 3] << 24));
                uint d = (t & 0x55555555) + ((t >> 1) & 0x55555555);
                for (int j = 0; j < 8; j++)
                {
                    int x = (int)((d >> (4 * j)) & 3);
                    int y = (int)((d >> ((4 * j) + 2)) & 3);
                    f[(8 * i) + j] = CondSubQ(x - y + Q);
                }
            }
        }
        else
        {
            for (int i = 0; i < N / 4; i++)
            {
                uint t = (uint)(bytes[3 * i] | (bytes[(3 * i) + 1] << 8) | (bytes[(3 * i) + 2] << 16));
                uint d = (t & 0x00249249) + ((t >> 1) & 0x00249249) + ((t >> 2) & 0x00249249);
                for (int j = 0; j < 4; j++)
                {
                    int x = (int)((d >> (6 * j)) & 7);
                    int y = (int)((d >> ((6 * j) + 3)) & 7);
                    f[(4 * i) + j] = CondSubQ(x - y + Q);
                }
            }
        }
    }

    /// <summary>ByteEncode_d (FIPS 203 Algorithm 5): 256 d-bit values, little-endian bit order.</summary>
    public static void Encode(ReadOnlySpan<int> f, int d, Span<byte> output)
    {
        ulong accumulator = 0;
        int bits = 0, position = 0;
        for (int i = 0; i < N; i++)
        {
            accumulator |= (ulong)(uint)f[i] << bits;
            bits += d;
            while (bits >= 8)
            {
                output[position++] = (byte)accumulator;
                accumulator >>= 8;
                bits -= 8;
            }
        }
    }

    /// <summary>ByteDecode_d (FIPS 203 Algorithm 6) without the reduction: values in [0, 2^d).</summary>
    public static void Decode(ReadOnlySpan<byte> input, int d, Span<int> f)
    {
        ulong accumulator = 0;
        int bits = 0, position = 0;
        uint mask = (1u << d) - 1;
        for (int i = 0; i < N; i++)
        {
            while (bits < d)
            {
                accumulator |= (ulong)input[position++] << bits;
                bits += 8;
            }

            f[i] = (int)(accumulator & mask);
            accumulator >>= d;
            bits -= d;
        }
    }

    /// <summary>Compress_d (FIPS 203 (4.7)): round(2^d / q · x) mod 2^d.</summary>
    public static void Compress(Span<int> f, int d)
    {
        for (int i = 0; i < N; i++)
        {
            f[i] = DivQ((f[i] << d) + (Q / 2)) & ((1 << d) - 1);
        }
    }

    /// <summary>Decompress_d (FIPS 203 (4.8)): round(q / 2^d · y).</summary>
    public static void Decompress(Span<int> f, int d)
    {
        for (int i = 0; i < N; i++)
        {
            f[i] = ((f[i] * Q) + (1 << (d - 1))) >> d;
        }
    }

    private static int[] BuildZetas(bool gammas)
    {
        var table = new int[128];
        for (int i = 0; i < 128; i++)
        {
            int bitReversed = 0;
            for (int b = 0; b < 7; b++)
            {
                bitReversed |= ((i >> b) & 1) << (6 - b);
            }

            int exponent = gammas ? (2 * bitReversed) + 1 : bitReversed;
            int value = 1;
            for (int e = 0; e < exponent; e++)
            {
                value = value * 17 % Q;
            }

            table[i] = value;
        }

        return table;
    }
}
