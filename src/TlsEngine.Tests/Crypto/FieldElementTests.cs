using System.Numerics;
using TlsEngine.Crypto.Curve25519;
using Xunit;

namespace TlsEngine.Tests.Crypto;

/// <summary>
/// The radix-2^51 field arithmetic under X25519 against <see cref="BigInteger"/> arithmetic mod 2^255 - 19,
/// on random limbs and on limbs at the bounds <see cref="FieldElement"/> documents.
/// </summary>
public class FieldElementTests
{
    private static readonly BigInteger P = (BigInteger.One << 255) - 19;

    // Reduced limbs (outputs of Mul, Square, MulSmall, FromBytes) stay below this.
    private const ulong ReducedLimit = (1UL << 51) + (1UL << 13);

    // Mul and Square accept limbs up to this.
    private const ulong MulInputLimit = 1UL << 54;

    private static BigInteger Value(in FieldElement a)
    {
        BigInteger v = a.L4;
        v = (v << 51) + a.L3;
        v = (v << 51) + a.L2;
        v = (v << 51) + a.L1;
        return (v << 51) + a.L0;
    }

    private static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

    private static FieldElement Limbs(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4) =>
        new() { L0 = l0, L1 = l1, L2 = l2, L3 = l3, L4 = l4 };

    private static FieldElement Uniform(ulong limb) => Limbs(limb, limb, limb, limb, limb);

    private static ulong Below(Random random, ulong limit)
    {
        byte[] buffer = new byte[8];
        random.NextBytes(buffer);
        return BitConverter.ToUInt64(buffer, 0) % limit;
    }

    private static FieldElement Random(Random random, ulong limit) =>
        Limbs(Below(random, limit), Below(random, limit), Below(random, limit), Below(random, limit), Below(random, limit));

    private static void AssertReduced(in FieldElement r)
    {
        Assert.All(new[] { r.L0, r.L1, r.L2, r.L3, r.L4 }, limb => Assert.True(limb < ReducedLimit, $"limb {limb:X} is not reduced"));
    }

    // The largest reduced element, the largest Sub output (a reduced minuend less a zero subtrahend,
    // plus 2p), limbs just under the Mul input limit, and values around 0 and p.
    private static IEnumerable<FieldElement> Extremes()
    {
        var max = Uniform(ReducedLimit - 1);
        FieldElement.Sub(out FieldElement subMax, max, default);
        yield return max;
        yield return subMax;
        yield return Uniform(MulInputLimit - 1);
        yield return Limbs(MulInputLimit - 1, 0, MulInputLimit - 1, 0, MulInputLimit - 1);
        yield return Limbs(0, 0, 0, 0, MulInputLimit - 1);
        yield return Limbs(0x7FFFFFFFFFFED, 0x7FFFFFFFFFFFF, 0x7FFFFFFFFFFFF, 0x7FFFFFFFFFFFF, 0x7FFFFFFFFFFFF);
        yield return Limbs(0x7FFFFFFFFFFEC, 0x7FFFFFFFFFFFF, 0x7FFFFFFFFFFFF, 0x7FFFFFFFFFFFF, 0x7FFFFFFFFFFFF);
        yield return Uniform((1UL << 51) - 1);
        yield return Limbs(1, 0, 0, 0, 0);
        yield return default;
    }

    private static void CheckMulAndSquare(in FieldElement a, in FieldElement b)
    {
        FieldElement.Mul(out FieldElement product, a, b);
        AssertReduced(product);
        Assert.Equal(Mod(Value(a) * Value(b)), Mod(Value(product)));

        FieldElement.Square(out FieldElement square, a);
        AssertReduced(square);
        Assert.Equal(Mod(Value(a) * Value(a)), Mod(Value(square)));
    }

    [Fact]
    public void Mul_and_Square_match_BigInteger_on_limbs_at_their_bounds()
    {
        var extremes = Extremes().ToArray();
        foreach (FieldElement a in extremes)
        {
            foreach (FieldElement b in extremes)
            {
                CheckMulAndSquare(a, b);
            }
        }
    }

    [Fact]
    public void Mul_and_Square_match_BigInteger_on_random_limbs()
    {
        var random = new Random(17);
        foreach (ulong limit in new[] { 1UL << 51, ReducedLimit, 1UL << 53, MulInputLimit })
        {
            for (int i = 0; i < 500; i++)
            {
                CheckMulAndSquare(Random(random, limit), Random(random, limit));
            }
        }
    }

    [Fact]
    public void Mul_and_Square_may_write_over_an_input()
    {
        var random = new Random(19);
        FieldElement a = Random(random, MulInputLimit);
        FieldElement b = Random(random, MulInputLimit);
        BigInteger expected = Mod(Value(a) * Value(b));
        FieldElement.Mul(out a, a, b);
        Assert.Equal(expected, Mod(Value(a)));

        expected = Mod(Value(b) * Value(b));
        FieldElement.Square(out b, b);
        Assert.Equal(expected, Mod(Value(b)));
    }

    [Fact]
    public void MulSmall_Add_and_Sub_match_BigInteger()
    {
        var random = new Random(23);
        var inputs = Extremes().Where(e => e.L0 < ReducedLimit && e.L1 < ReducedLimit && e.L2 < ReducedLimit && e.L3 < ReducedLimit && e.L4 < ReducedLimit)
            .Concat(Enumerable.Range(0, 200).Select(_ => Random(random, ReducedLimit))).ToArray();
        foreach (FieldElement a in inputs)
        {
            foreach (ulong k in new ulong[] { 0, 1, 9, 121665, (1UL << 17) - 1 })
            {
                FieldElement.MulSmall(out FieldElement scaled, a, k);
                AssertReduced(scaled);
                Assert.Equal(Mod(Value(a) * k), Mod(Value(scaled)));
            }

            FieldElement b = inputs[random.Next(inputs.Length)];
            FieldElement.Add(out FieldElement sum, a, b);
            Assert.Equal(Mod(Value(a) + Value(b)), Mod(Value(sum)));
            FieldElement.Sub(out FieldElement difference, a, b);
            Assert.Equal(Mod(Value(a) - Value(b)), Mod(Value(difference)));
            Assert.All(new[] { difference.L0, difference.L1, difference.L2, difference.L3, difference.L4 }, limb => Assert.True(limb < MulInputLimit));
        }
    }

    [Fact]
    public void MulSmall_matches_BigInteger_on_limbs_up_to_the_Mul_input_limit()
    {
        var random = new Random(31);
        var inputs = Extremes().Concat(Enumerable.Range(0, 200).Select(_ => Random(random, MulInputLimit)));
        foreach (FieldElement a in inputs)
        {
            foreach (ulong k in new ulong[] { 1, 2, 121665, 121666, (1UL << 17) - 1 })
            {
                FieldElement.MulSmall(out FieldElement scaled, a, k);
                AssertReduced(scaled);
                Assert.Equal(Mod(Value(a) * k), Mod(Value(scaled)));
            }
        }
    }

    // The combinations the ladder and the Edwards formulas feed to Mul: a difference of a sum, a negated
    // reduced value, and a sum or difference of reduced values, each at its largest.
    [Fact]
    public void Sums_and_differences_of_reduced_values_stay_within_the_Mul_input_limit()
    {
        var random = new Random(37);
        var reduced = Extremes().Where(e => new[] { e.L0, e.L1, e.L2, e.L3, e.L4 }.All(l => l < ReducedLimit))
            .Concat(Enumerable.Range(0, 30).Select(_ => Random(random, ReducedLimit))).ToArray();
        foreach (FieldElement a in reduced)
        {
            foreach (FieldElement b in reduced)
            {
                FieldElement c = reduced[random.Next(reduced.Length)];
                FieldElement.Add(out FieldElement sum, a, b);
                FieldElement.Sub(out FieldElement differenceOfSum, sum, c);
                FieldElement.Sub(out FieldElement negated, default, b);
                FieldElement.Sub(out FieldElement difference, a, b);
                foreach (FieldElement x in new[] { sum, differenceOfSum, negated, difference })
                {
                    Assert.All(new[] { x.L0, x.L1, x.L2, x.L3, x.L4 }, limb => Assert.True(limb < MulInputLimit));
                }

                Assert.Equal(Mod(Value(a) + Value(b) - Value(c)), Mod(Value(differenceOfSum)));
                Assert.Equal(Mod(-Value(b)), Mod(Value(negated)));
                CheckMulAndSquare(differenceOfSum, sum);
                CheckMulAndSquare(difference, negated);
            }
        }
    }

    [Fact]
    public void ToBytes_gives_the_canonical_value_and_Invert_the_inverse()
    {
        var random = new Random(29);
        var inputs = Extremes().Concat(Enumerable.Range(0, 50).Select(_ => Random(random, MulInputLimit)));
        foreach (FieldElement a in inputs)
        {
            byte[] encoded = new byte[32];
            FieldElement.ToBytes(encoded, a);
            BigInteger expected = Mod(Value(a));
            Assert.Equal(expected, new BigInteger(encoded, isUnsigned: true));

            FieldElement.Invert(out FieldElement inverse, a);
            FieldElement.ToBytes(encoded, inverse);
            BigInteger expectedInverse = expected.IsZero ? BigInteger.Zero : BigInteger.ModPow(expected, P - 2, P);
            Assert.Equal(expectedInverse, new BigInteger(encoded, isUnsigned: true));
        }
    }
}
