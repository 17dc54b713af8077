using TlsEngine.Crypto.MlKem;
using Xunit;

namespace TlsEngine.Tests.Crypto;

public class MlKemPolyTests
{
    private const int N = MlKemPoly.N;
    private const int Q = MlKemPoly.Q;

    public static IEnumerable<object[]> Inputs() => new[]
    {
        new object[] { "largest" },
        new object[] { "alternating" },
        new object[] { "random" },
    };

    /// <summary>
    /// The NTT, the NTT-domain products accumulated over four terms (ML-KEM-1024's rows), and the
    /// inverse NTT, all reducing lazily, give the schoolbook product in Z_q[X]/(X^256 + 1) even when
    /// every coefficient is q - 1, where the unreduced intermediates are at their largest.
    /// </summary>
    [Theory]
    [MemberData(nameof(Inputs))]
    public void Ntt_products_match_schoolbook_negacyclic_multiplication(string kind)
    {
        var random = new Random(kind.Length);
        int[][] f = new int[4][], g = new int[4][];
        for (int term = 0; term < 4; term++)
        {
            f[term] = Fill(kind, random, term);
            g[term] = Fill(kind, random, term + 7);
        }

        long[] expected = new long[N];
        int[] accumulator = new int[N];
        for (int term = 0; term < 4; term++)
        {
            Schoolbook(f[term], g[term], expected);
            int[] fHat = (int[])f[term].Clone(), gHat = (int[])g[term].Clone();
            MlKemPoly.Ntt(fHat);
            MlKemPoly.Ntt(gHat);
            Assert.All(fHat, c => Assert.InRange(c, 0, Q - 1));
            MlKemPoly.MultiplyAccumulate(fHat, gHat, accumulator);
        }

        MlKemPoly.Reduce(accumulator);
        MlKemPoly.InverseNtt(accumulator);
        for (int i = 0; i < N; i++)
        {
            Assert.Equal((int)(((expected[i] % Q) + Q) % Q), accumulator[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Inverse_ntt_undoes_the_ntt(string kind)
    {
        int[] f = Fill(kind, new Random(3), 0);
        int[] copy = (int[])f.Clone();
        MlKemPoly.Ntt(copy);
        MlKemPoly.InverseNtt(copy);
        Assert.Equal(f, copy);
    }

    private static int[] Fill(string kind, Random random, int salt)
    {
        int[] f = new int[N];
        for (int i = 0; i < N; i++)
        {
            f[i] = kind switch
            {
                "largest" => Q - 1,
                "alternating" => ((i + salt) & 1) == 0 ? Q - 1 : 0,
                _ => random.Next(Q),
            };
        }

        return f;
    }

    /// <summary>sum += f · g with X^256 = -1, in plain integers.</summary>
    private static void Schoolbook(int[] f, int[] g, long[] sum)
    {
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                long product = (long)f[i] * g[j];
                if (i + j < N)
                {
                    sum[i + j] += product;
                }
                else
                {
                    sum[i + j - N] -= product;
                }
            }
        }
    }
}
