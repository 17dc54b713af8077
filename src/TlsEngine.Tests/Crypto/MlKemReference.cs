using System.Security.Cryptography;
using TlsEngine.Crypto.MlKem;

namespace TlsEngine.Tests.Crypto;

/// <summary>
/// A slow, literal ML-KEM (FIPS 203) to check the engine against: the platform's SHA-3 and SHAKE,
/// the NTT by its defining sums (§4.3), polynomial products by schoolbook multiplication modulo
/// X^256 + 1, every value a long reduced with % q. Nothing here shares code with the engine.
/// </summary>
internal static class MlKemReference
{
    public const int N = 256;
    public const long Q = 3329;

    /// <summary>ML-KEM.KeyGen_internal (Algorithm 16).</summary>
    public static (byte[] Ek, byte[] Dk) KeyGen(MlKemParameters p, byte[] d, byte[] z)
    {
        int k = p.K;
        byte[] seeds = SHA3_512.HashData(Concat(d, new[] { (byte)k }));
        byte[] rho = seeds[..32], sigma = seeds[32..];
        long[][][] a = Matrix(rho, k);
        byte counter = 0;
        long[][] s = new long[k][], e = new long[k][];
        for (int i = 0; i < k; i++)
        {
            s[i] = Cbd(Prf(sigma, counter++, p.Eta1), p.Eta1);
        }

        for (int i = 0; i < k; i++)
        {
            e[i] = Cbd(Prf(sigma, counter++, p.Eta1), p.Eta1);
        }

        var ek = new List<byte>();
        var dkPke = new List<byte>();
        for (int i = 0; i < k; i++)
        {
            // t = A s + e in the normal domain, then into the NTT domain.
            long[] t = (long[])e[i].Clone();
            for (int j = 0; j < k; j++)
            {
                AddProduct(t, InverseNtt(a[i][j]), s[j], 1);
            }

            ek.AddRange(Encode(Ntt(t), 12));
            dkPke.AddRange(Encode(Ntt(s[i]), 12));
        }

        ek.AddRange(rho);
        byte[] ekBytes = ek.ToArray();
        byte[] dk = Concat(dkPke.ToArray(), ekBytes, SHA3_256.HashData(ekBytes), z);
        return (ekBytes, dk);
    }

    /// <summary>ML-KEM.Encaps_internal (Algorithm 17): (K, c).</summary>
    public static (byte[] Key, byte[] Ciphertext) Encaps(MlKemParameters p, byte[] ek, byte[] m)
    {
        byte[] kr = SHA3_512.HashData(Concat(m, SHA3_256.HashData(ek)));
        return (kr[..32], Encrypt(p, ek, m, kr[32..]));
    }

    /// <summary>ML-KEM.Decaps_internal (Algorithm 18), implicit rejection included.</summary>
    public static byte[] Decaps(MlKemParameters p, byte[] dk, byte[] c)
    {
        int k = p.K;
        byte[] dkPke = dk[..(384 * k)];
        byte[] ekPke = dk[(384 * k)..(768 * k + 32)];
        byte[] h = dk[(768 * k + 32)..(768 * k + 64)];
        byte[] z = dk[(768 * k + 64)..];
        byte[] m = Decrypt(p, dkPke, c);
        byte[] kr = SHA3_512.HashData(Concat(m, h));
        byte[] again = Encrypt(p, ekPke, m, kr[32..]);
        return again.AsSpan().SequenceEqual(c) ? kr[..32] : Shake256.HashData(Concat(z, c), 32);
    }

    /// <summary>K-PKE.Encrypt (Algorithm 14).</summary>
    public static byte[] Encrypt(MlKemParameters p, byte[] ek, byte[] m, byte[] r)
    {
        int k = p.K;
        long[][] t = new long[k][];
        for (int i = 0; i < k; i++)
        {
            t[i] = InverseNtt(Decode(ek.AsSpan(384 * i, 384), 12, reduce: true));
        }

        long[][][] a = Matrix(ek[(384 * k)..], k);
        byte counter = 0;
        long[][] y = new long[k][];
        for (int i = 0; i < k; i++)
        {
            y[i] = Cbd(Prf(r, counter++, p.Eta1), p.Eta1);
        }

        var c = new List<byte>();
        for (int i = 0; i < k; i++)
        {
            long[] u = Cbd(Prf(r, counter++, p.Eta2), p.Eta2);
            for (int j = 0; j < k; j++)
            {
                AddProduct(u, InverseNtt(a[j][i]), y[j], 1);
            }

            c.AddRange(Encode(Compress(u, p.Du), p.Du));
        }

        long[] v = Cbd(Prf(r, counter, p.Eta2), p.Eta2);
        for (int j = 0; j < k; j++)
        {
            AddProduct(v, t[j], y[j], 1);
        }

        for (int i = 0; i < N; i++)
        {
            v[i] = (v[i] + (((m[i / 8] >> (i % 8)) & 1) * ((Q + 1) / 2))) % Q;
        }

        c.AddRange(Encode(Compress(v, p.Dv), p.Dv));
        return c.ToArray();
    }

    /// <summary>K-PKE.Decrypt (Algorithm 15).</summary>
    public static byte[] Decrypt(MlKemParameters p, byte[] dkPke, byte[] c)
    {
        int k = p.K;
        long[] w = Decompress(Decode(c.AsSpan(32 * p.Du * k, 32 * p.Dv), p.Dv, reduce: false), p.Dv);
        for (int i = 0; i < k; i++)
        {
            long[] u = Decompress(Decode(c.AsSpan(32 * p.Du * i, 32 * p.Du), p.Du, reduce: false), p.Du);
            long[] s = InverseNtt(Decode(dkPke.AsSpan(384 * i, 384), 12, reduce: true));
            AddProduct(w, s, u, -1);
        }

        byte[] m = new byte[32];
        long[] bits = Compress(w, 1);
        for (int i = 0; i < N; i++)
        {
            m[i / 8] |= (byte)(bits[i] << (i % 8));
        }

        return m;
    }

    /// <summary>NTT (Algorithm 9) by definition: ĝ[2i + b] = Σ_j g[2j + b] ζ^((2 BitRev7(i) + 1) j).</summary>
    public static long[] Ntt(long[] f)
    {
        long[] result = new long[N];
        for (int i = 0; i < 128; i++)
        {
            long root = Pow(17, (2 * BitRev7(i)) + 1);
            for (int b = 0; b < 2; b++)
            {
                long sum = 0;
                for (int j = 0; j < 128; j++)
                {
                    sum = (sum + (f[(2 * j) + b] % Q * Pow(root, j))) % Q;
                }

                result[(2 * i) + b] = (sum + Q) % Q;
            }
        }

        return result;
    }

    /// <summary>The inverse of <see cref="Ntt"/>: the same sums with ζ^-1, times 128^-1.</summary>
    public static long[] InverseNtt(long[] fHat)
    {
        long[] result = new long[N];
        long inverse128 = Pow(128, Q - 2);
        for (int j = 0; j < 128; j++)
        {
            for (int b = 0; b < 2; b++)
            {
                long sum = 0;
                for (int i = 0; i < 128; i++)
                {
                    long rootInverse = Pow(Pow(17, (2 * BitRev7(i)) + 1), Q - 2);
                    sum = (sum + (fHat[(2 * i) + b] % Q * Pow(rootInverse, j))) % Q;
                }

                result[(2 * j) + b] = ((sum * inverse128 % Q) + Q) % Q;
            }
        }

        return result;
    }

    /// <summary>sum += sign · f · g modulo X^256 + 1 and q, by schoolbook multiplication.</summary>
    public static void AddProduct(long[] sum, long[] f, long[] g, int sign)
    {
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                long product = f[i] * g[j] % Q * sign;
                int index = (i + j) % N;
                sum[index] += i + j < N ? product : -product;
            }
        }

        for (int i = 0; i < N; i++)
        {
            sum[i] = ((sum[i] % Q) + Q) % Q;
        }
    }

    public static long[] Decode(ReadOnlySpan<byte> bytes, int d, bool reduce)
    {
        long[] f = new long[N];
        for (int i = 0; i < N * d; i++)
        {
            f[i / d] |= (long)((bytes[i / 8] >> (i % 8)) & 1) << (i % d);
        }

        return reduce ? f.Select(x => x % Q).ToArray() : f;
    }

    public static byte[] Encode(long[] f, int d)
    {
        byte[] bytes = new byte[32 * d];
        for (int i = 0; i < N * d; i++)
        {
            bytes[i / 8] |= (byte)(((f[i / d] >> (i % d)) & 1) << (i % 8));
        }

        return bytes;
    }

    /// <summary>round(2^d x / q) mod 2^d; q is odd, so no value is exactly half-way.</summary>
    private static long[] Compress(long[] f, int d) => f.Select(x => ((((x % Q) + Q) % Q << (d + 1)) + Q) / (2 * Q) % (1L << d)).ToArray();

    private static long[] Decompress(long[] f, int d) => f.Select(y => ((y * Q << 1) + (1L << d)) >> (d + 1)).ToArray();

    private static long[][][] Matrix(byte[] rho, int k)
    {
        var a = new long[k][][];
        for (int i = 0; i < k; i++)
        {
            a[i] = new long[k][];
            for (int j = 0; j < k; j++)
            {
                a[i][j] = SampleNtt(Concat(rho, new[] { (byte)j, (byte)i }));
            }
        }

        return a;
    }

    /// <summary>Algorithm 7, squeezing a longer prefix of the same SHAKE128 stream whenever it runs short.</summary>
    private static long[] SampleNtt(byte[] seed)
    {
        for (int length = 168 * 4; ; length *= 2)
        {
            byte[] stream = Shake128.HashData(seed, length);
            var values = new List<long>();
            for (int i = 0; i + 3 <= length && values.Count < N; i += 3)
            {
                long d1 = stream[i] + (256 * (stream[i + 1] % 16));
                long d2 = (stream[i + 1] / 16) + (16 * stream[i + 2]);
                if (d1 < Q)
                {
                    values.Add(d1);
                }

                if (d2 < Q && values.Count < N)
                {
                    values.Add(d2);
                }
            }

            if (values.Count == N)
            {
                return values.ToArray();
            }
        }
    }

    private static byte[] Prf(byte[] seed, byte counter, int eta) => Shake256.HashData(Concat(seed, new[] { counter }), 64 * eta);

    /// <summary>Algorithm 8, bit by bit.</summary>
    public static long[] Cbd(byte[] bytes, int eta)
    {
        long[] f = new long[N];
        for (int i = 0; i < N; i++)
        {
            long x = 0, y = 0;
            for (int j = 0; j < eta; j++)
            {
                x += (bytes[((2 * i * eta) + j) / 8] >> (((2 * i * eta) + j) % 8)) & 1;
                y += (bytes[((2 * i * eta) + eta + j) / 8] >> (((2 * i * eta) + eta + j) % 8)) & 1;
            }

            f[i] = (x - y + Q) % Q;
        }

        return f;
    }

    private static int BitRev7(int i)
    {
        int r = 0;
        for (int b = 0; b < 7; b++)
        {
            r |= ((i >> b) & 1) << (6 - b);
        }

        return r;
    }

    private static long Pow(long b, long e)
    {
        long result = 1;
        b %= Q;
        for (; e > 0; e >>= 1)
        {
            if ((e & 1) == 1)
            {
                result = result * b % Q;
            }

            b = b * b % Q;
        }

        return result;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(x => x).ToArray();
}
