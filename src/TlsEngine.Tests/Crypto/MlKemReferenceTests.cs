using System.Security.Cryptography;
using TlsEngine.Crypto.MlKem;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Crypto;

/// <summary>
/// The engine's ML-KEM against <see cref="MlKemReference"/> at the inputs where its lazily reduced
/// intermediates are largest: encapsulation keys whose coefficients are all q - 1, ciphertexts whose
/// decompressed coefficients are all at their maximum, decapsulation keys holding q - 1 or unreduced
/// 12-bit values (ByteDecode12 reduces them, FIPS 203 Algorithm 6).
/// </summary>
public class MlKemReferenceTests
{
    private const int N = MlKemPoly.N;
    private const int Q = MlKemPoly.Q;

    public static IEnumerable<object[]> Sets() => new[] { new object[] { "512" }, new object[] { "768" }, new object[] { "1024" } };

    public static IEnumerable<object[]> Polynomials() => new[]
    {
        new object[] { "q-1" }, new object[] { "q-2" }, new object[] { "2" }, new object[] { "alternating" }, new object[] { "random" },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void KeyGen_matches_the_reference(string set)
    {
        MlKemParameters p = Of(set);
        byte[] d = Bytes(32, 1), z = Bytes(32, 2);
        (byte[] ek, byte[] dk) = MlKemReference.KeyGen(p, d, z);
        byte[] ekEngine = new byte[p.EncapsulationKeySize], dkEngine = new byte[p.DecapsulationKeySize];
        MlKem.KeyGen(p, d, z, ekEngine, dkEngine);
        Assert.Equal(Hex.Of(ek), Hex.Of(ekEngine));
        Assert.Equal(Hex.Of(dk), Hex.Of(dkEngine));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Encapsulation_to_a_key_of_all_q_minus_1_matches_the_reference(string set)
    {
        MlKemParameters p = Of(set);
        foreach (string kind in new[] { "q-1", "random" })
        {
            byte[] ek = EncapsulationKey(p, kind, Q - 1, 5);
            Assert.True(MlKem.IsValidEncapsulationKey(p, ek));
            for (int seed = 0; seed < 2; seed++)
            {
                byte[] m = Bytes(32, 10 + seed);
                (byte[] key, byte[] ciphertext) = MlKemReference.Encaps(p, ek, m);
                byte[] engineCiphertext = new byte[p.CiphertextSize], engineKey = new byte[32];
                MlKem.Encapsulate(p, ek, m, engineCiphertext, engineKey);
                Assert.Equal(Hex.Of(ciphertext), Hex.Of(engineCiphertext));
                Assert.Equal(Hex.Of(key), Hex.Of(engineKey));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Decapsulation_of_extreme_ciphertexts_matches_the_reference(string set)
    {
        MlKemParameters p = Of(set);
        (byte[] ek, byte[] dk) = MlKemReference.KeyGen(p, Bytes(32, 3), Bytes(32, 4));
        (byte[] sent, byte[] valid) = MlKemReference.Encaps(p, ek, Bytes(32, 6));
        byte[][] ciphertexts =
        {
            valid,
            Enumerable.Repeat((byte)0xFF, p.CiphertextSize).ToArray(),
            new byte[p.CiphertextSize],
            Bytes(p.CiphertextSize, 7),
        };
        foreach (byte[] c in ciphertexts)
        {
            byte[] engineKey = new byte[32];
            MlKem.Decapsulate(p, dk, c, engineKey);
            Assert.Equal(Hex.Of(MlKemReference.Decaps(p, dk, c)), Hex.Of(engineKey));
        }

        Assert.Equal(Hex.Of(sent), Hex.Of(MlKemReference.Decaps(p, dk, valid)));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Decapsulation_with_a_key_of_extreme_or_unreduced_coefficients_matches_the_reference(string set)
    {
        MlKemParameters p = Of(set);
        foreach (int value in new[] { Q - 1, 4095 })
        {
            // dk = s^ || ek || H(ek) || z, every 12-bit coefficient of s^ and of t^ set to value.
            byte[] secret = Enumerable.Range(0, p.K).SelectMany(_ => MlKemReference.Encode(Constant(value), 12)).ToArray();
            byte[] ek = EncapsulationKey(p, "constant", value, 8);
            byte[] dk = secret.Concat(ek).Concat(SHA3_256.HashData(ek)).Concat(Bytes(32, 9)).ToArray();
            foreach (byte[] c in new[] { Enumerable.Repeat((byte)0xFF, p.CiphertextSize).ToArray(), Bytes(p.CiphertextSize, 11) })
            {
                byte[] engineKey = new byte[32];
                MlKem.Decapsulate(p, dk, c, engineKey);
                Assert.Equal(Hex.Of(MlKemReference.Decaps(p, dk, c)), Hex.Of(engineKey));
            }

            // A ciphertext the reference built under the same (reduced) ek: the re-encryption path must agree too.
            (_, byte[] reencryptable) = MlKemReference.Encaps(p, EncapsulationKey(p, "constant", value % Q, 8), Bytes(32, 12));
            byte[] key = new byte[32];
            MlKem.Decapsulate(p, dk, reencryptable, key);
            Assert.Equal(Hex.Of(MlKemReference.Decaps(p, dk, reencryptable)), Hex.Of(key));
        }
    }

    [Theory]
    [MemberData(nameof(Polynomials))]
    public void Ntt_and_inverse_ntt_match_the_defining_sums_with_fully_reduced_outputs(string kind)
    {
        var random = new Random(kind.Length);
        for (int round = 0; round < 4; round++)
        {
            int[] f = Fill(kind, random);
            int[] hat = (int[])f.Clone();
            MlKemPoly.Ntt(hat);
            Assert.Equal(MlKemReference.Ntt(Longs(f)), Longs(hat));

            int[] back = (int[])f.Clone();
            MlKemPoly.InverseNtt(back);
            Assert.Equal(MlKemReference.InverseNtt(Longs(f)), Longs(back));
        }
    }

    /// <summary>The documented capacity: 32 products of q - 1 by q - 1 on an accumulator that starts at q - 1.</summary>
    [Theory]
    [MemberData(nameof(Polynomials))]
    public void Thirty_two_accumulated_products_reduce_to_the_reference(string kind)
    {
        var random = new Random(kind.Length + 100);
        int[] accumulator = Fill("q-1", random);
        long[] expected = MlKemReference.InverseNtt(Longs(accumulator));
        for (int call = 0; call < 32; call++)
        {
            int[] f = Fill(kind, random), g = Fill(kind, random);
            MlKemPoly.MultiplyAccumulate(f, g, accumulator);
            MlKemReference.AddProduct(expected, MlKemReference.InverseNtt(Longs(f)), MlKemReference.InverseNtt(Longs(g)), 1);
        }

        MlKemPoly.Reduce(accumulator);
        Assert.Equal(MlKemReference.Ntt(expected), Longs(accumulator));
    }

    private static byte[] EncapsulationKey(MlKemParameters p, string kind, int value, int seed)
    {
        var random = new Random(seed);
        var ek = new List<byte>();
        for (int i = 0; i < p.K; i++)
        {
            long[] t = kind == "random" ? Enumerable.Range(0, N).Select(_ => (long)random.Next(Q)).ToArray() : Constant(value);
            ek.AddRange(MlKemReference.Encode(t, 12));
        }

        ek.AddRange(Bytes(32, seed));
        return ek.ToArray();
    }

    private static long[] Constant(int value) => Enumerable.Repeat((long)value, N).ToArray();

    private static long[] Longs(int[] f) => f.Select(x => (long)x).ToArray();

    private static int[] Fill(string kind, Random random) => Enumerable.Range(0, N).Select(i => kind switch
    {
        "q-1" => Q - 1,
        "q-2" => Q - 2,
        "2" => 2,
        "alternating" => (i & 1) == 0 ? Q - 1 : Q - 2,
        _ => random.Next(Q),
    }).ToArray();

    private static byte[] Bytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static MlKemParameters Of(string set) => set switch
    {
        "512" => MlKemParameters.MlKem512,
        "768" => MlKemParameters.MlKem768,
        _ => MlKemParameters.MlKem1024,
    };
}
