using System.Numerics;
using TlsEngine.Crypto.Curve25519;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Crypto.Curve25519.Curve25519Reference;
using Point = (System.Numerics.BigInteger X, System.Numerics.BigInteger Y);

namespace TlsEngine.Tests.Crypto.Curve25519;

/// <summary>
/// The engine's ladder, fixed-base multiplication and edwards25519 formulas against
/// <see cref="Curve25519Reference"/>, an independent <see cref="BigInteger"/> implementation: random and
/// hostile u-coordinates (bit 255 set, values from p up, points on the twist), every clamping pattern of
/// the scalar, and the edge points of the complete Edwards formulas.
/// </summary>
public class X25519ReferenceTests
{
    private static byte[] Ladder(byte[] scalar, byte[] u)
    {
        var output = new byte[32];
        X25519.ScalarMult(scalar, u, output);
        return output;
    }

    private static byte[] FixedBase(byte[] scalar)
    {
        var output = new byte[32];
        X25519.ScalarMultBase(scalar, output);
        return output;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Reference_reproduces_the_rfc7748_vectors()
    {
        // RFC 7748 §5.2 and §6.1.
        Assert.Equal(
            Hex.Parse("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
            Curve25519Reference.ScalarMult(
                Hex.Parse("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                Hex.Parse("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")));
        Assert.Equal(
            Hex.Parse("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
            Curve25519Reference.ScalarMult(
                Hex.Parse("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                Hex.Parse("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")));
        byte[] alice = Hex.Parse("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        Assert.Equal(Hex.Parse("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), Curve25519Reference.ScalarMult(alice, Nine()));
        Assert.Equal(Hex.Parse("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), ToLittleEndian(ToMontgomeryU(Multiply(DecodeScalar(alice), Base))));
    }

    [Fact]
    public void Ladder_equals_the_reference_for_random_scalars_and_hostile_u()
    {
        var random = new Random(7748);
        for (int i = 0; i < 120; i++)
        {
            byte[] scalar = RandomBytes(random);
            byte[] u = RandomBytes(random);
            switch (i % 4)
            {
                case 1:
                    // From p to 2^255 - 1: non-canonical, reduced by the arithmetic (RFC 7748 §5).
                    u = Hex.Parse("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
                    u[0] = (byte)(0xED + random.Next(19));
                    u[31] |= (byte)(random.Next(2) << 7);
                    break;
                case 2:
                    // Bit 255 set: masked (RFC 7748 §5).
                    u[31] |= 0x80;
                    break;
                case 3:
                    // Every limb at its largest once decoded.
                    u = Hex.Parse("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
                    u[random.Next(32)] = (byte)random.Next(256);
                    break;
            }

            Assert.Equal(Curve25519Reference.ScalarMult(scalar, u), Ladder(scalar, u));
        }
    }

    [Fact]
    public void Ladder_equals_the_reference_for_points_on_the_twist()
    {
        var random = new Random(25519);
        int found = 0;
        while (found < 30)
        {
            byte[] u = RandomBytes(random);
            if (IsOnCurve(DecodeU(u)))
            {
                continue;
            }

            found++;
            byte[] scalar = RandomBytes(random);
            Assert.Equal(Curve25519Reference.ScalarMult(scalar, u), Ladder(scalar, u));
        }
    }

    [Fact]
    public void Fixed_base_equals_the_reference_for_every_clamping_pattern()
    {
        // Bits 0, 1, 2 and 255 are cleared by clamping and bit 254 set: each of the 32 patterns of those
        // five bits, over scalars whose other bits are random, all zero and all one.
        var random = new Random(255);
        var bodies = new List<byte[]> { new byte[32], Hex.Parse("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff") };
        for (int i = 0; i < 4; i++)
        {
            bodies.Add(RandomBytes(random));
        }

        foreach (byte[] body in bodies)
        {
            for (int pattern = 0; pattern < 32; pattern++)
            {
                var scalar = (byte[])body.Clone();
                scalar[0] = (byte)((scalar[0] & 0xF8) | (pattern & 7));
                scalar[31] = (byte)((scalar[31] & 0x3F) | ((pattern >> 3) << 6));
                Assert.Equal(Curve25519Reference.ScalarMult(scalar, Nine()), FixedBase(scalar));
            }
        }
    }

    [Fact]
    public void Fixed_base_equals_the_reference_edwards_multiple_of_the_base_point()
    {
        var random = new Random(8032);
        for (int i = 0; i < 20; i++)
        {
            byte[] scalar = RandomBytes(random);
            Assert.Equal(ToLittleEndian(ToMontgomeryU(Multiply(DecodeScalar(scalar), Base))), FixedBase(scalar));
        }
    }

    [Fact]
    public void Edwards_doubling_and_mixed_addition_match_the_reference_at_edge_points()
    {
        var random = new Random(2008);
        BigInteger sqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);
        Point b = Base;
        Point b7 = Multiply(7, b);
        var points = new List<Point> { (0, 1), (0, P - 1), (sqrtMinusOne, 0), (P - sqrtMinusOne, 0), b, Negate(b), b7 };
        for (int i = 0; i < 4; i++)
        {
            points.Add(Multiply(FromLittleEndian(RandomBytes(random)), b));
        }

        foreach (Point p in points)
        {
            Edwards.Extended extended = ToExtended(p, random);
            var scratch = default(Edwards.Scratch);
            Edwards.Double(ref extended, ref scratch);
            AssertPoint(Add(p, p), extended);

            foreach (Point q in points)
            {
                for (ulong negate = 0; negate <= 1; negate++)
                {
                    extended = ToExtended(p, random);
                    Edwards.Precomputed precomputed = ToPrecomputed(q);
                    Edwards.AddPrecomputed(ref extended, ref precomputed, negate, ref scratch);
                    AssertPoint(Add(p, negate == 1 ? Negate(q) : q), extended);
                }
            }
        }
    }

    private static byte[] Nine()
    {
        var nine = new byte[32];
        nine[0] = 9;
        return nine;
    }

    private static FieldElement Element(BigInteger v)
    {
        v = Mod(v);
        ulong Limb(int i) => (ulong)((v >> (51 * i)) & ((BigInteger.One << 51) - 1));
        return new FieldElement { L0 = Limb(0), L1 = Limb(1), L2 = Limb(2), L3 = Limb(3), L4 = Limb(4) };
    }

    private static BigInteger Value(in FieldElement a) =>
        Mod(a.L0 + ((BigInteger)a.L1 << 51) + ((BigInteger)a.L2 << 102) + ((BigInteger)a.L3 << 153) + ((BigInteger)a.L4 << 204));

    // A random projective representative, so the formulas see Z != 1.
    private static Edwards.Extended ToExtended(Point p, Random random)
    {
        BigInteger z = Mod(FromLittleEndian(RandomBytes(random))) + 1;
        return new Edwards.Extended
        {
            X = Element(p.X * z),
            Y = Element(p.Y * z),
            Z = Element(z),
            T = Element(p.X * p.Y * z),
        };
    }

    private static Edwards.Precomputed ToPrecomputed(Point q)
    {
        BigInteger half = Inverse(2);
        return new Edwards.Precomputed
        {
            YPlusX = Element((q.Y + q.X) * half),
            YMinusX = Element((q.Y - q.X) * half),
            XYD = Element(D * q.X * q.Y),
        };
    }

    private static void AssertPoint(Point expected, in Edwards.Extended actual)
    {
        BigInteger z = Value(actual.Z);
        Assert.False(z.IsZero);
        BigInteger inverse = Inverse(z);
        Assert.Equal(expected, (Mod(Value(actual.X) * inverse), Mod(Value(actual.Y) * inverse)));
        Assert.Equal(Mod(Value(actual.X) * Value(actual.Y)), Mod(Value(actual.T) * z));
    }
}
