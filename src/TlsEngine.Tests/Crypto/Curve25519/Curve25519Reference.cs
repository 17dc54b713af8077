using System.Numerics;

namespace TlsEngine.Tests.Crypto.Curve25519;

/// <summary>
/// A deliberately plain X25519 (RFC 7748 §5) and edwards25519 point arithmetic (RFC 8032 §5.1.4) on
/// <see cref="BigInteger"/> mod p, sharing no code with the engine's, to check it against. Not constant
/// time and slow; for tests only. Written for .NET Framework too (the Mono host compiles it).
/// </summary>
internal static class Curve25519Reference
{
    public static readonly BigInteger P = (BigInteger.One << 255) - 19;

    // RFC 7748 §4.1: A = 486662, d = -121665/121666 for edwards25519.
    private static readonly BigInteger A24 = 121665;

    public static readonly BigInteger D = Mod(-121665 * Inverse(121666));

    /// <summary>The base point B of RFC 8032 §5.1: y = 4/5, x even.</summary>
    public static readonly (BigInteger X, BigInteger Y) Base = (
        BigInteger.Parse("15112221349535400772501151409588531511454012693041857206046113283949847762202"),
        Mod(4 * Inverse(5)));

    public static BigInteger Mod(BigInteger v)
    {
        BigInteger r = v % P;
        return r.Sign < 0 ? r + P : r;
    }

    public static BigInteger Inverse(BigInteger v) => BigInteger.ModPow(Mod(v), P - 2, P);

    public static BigInteger FromLittleEndian(byte[] bytes)
    {
        var unsigned = new byte[bytes.Length + 1];
        Array.Copy(bytes, unsigned, bytes.Length);
        return new BigInteger(unsigned);
    }

    public static byte[] ToLittleEndian(BigInteger v)
    {
        byte[] raw = v.ToByteArray();
        var output = new byte[32];
        Array.Copy(raw, output, Math.Min(raw.Length, 32));
        return output;
    }

    /// <summary>RFC 7748 §5 decodeScalar25519.</summary>
    public static BigInteger DecodeScalar(byte[] scalar)
    {
        var k = (byte[])scalar.Clone();
        k[0] &= 248;
        k[31] &= 127;
        k[31] |= 64;
        return FromLittleEndian(k);
    }

    /// <summary>RFC 7748 §5 decodeUCoordinate: bit 255 masked, then reduced mod p.</summary>
    public static BigInteger DecodeU(byte[] u)
    {
        var masked = (byte[])u.Clone();
        masked[31] &= 127;
        return Mod(FromLittleEndian(masked));
    }

    /// <summary>X25519(k, u) by the pseudo-code of RFC 7748 §5, with ordinary branches for cswap.</summary>
    public static byte[] ScalarMult(byte[] scalar, byte[] u)
    {
        BigInteger k = DecodeScalar(scalar);
        BigInteger x1 = DecodeU(u);
        BigInteger x2 = 1, z2 = 0, x3 = x1, z3 = 1;
        bool swap = false;
        for (int t = 254; t >= 0; t--)
        {
            bool bit = !(k >> t).IsEven;
            if (swap != bit)
            {
                (x2, x3) = (x3, x2);
                (z2, z3) = (z3, z2);
            }

            swap = bit;
            BigInteger a = Mod(x2 + z2), aa = Mod(a * a), b = Mod(x2 - z2), bb = Mod(b * b), e = Mod(aa - bb);
            BigInteger c = Mod(x3 + z3), d = Mod(x3 - z3), da = Mod(d * a), cb = Mod(c * b);
            x3 = Mod((da + cb) * (da + cb));
            z3 = Mod(x1 * (da - cb) * (da - cb));
            x2 = Mod(aa * bb);
            z2 = Mod(e * (aa + (A24 * e)));
        }

        if (swap)
        {
            (x2, x3) = (x3, x2);
            (z2, z3) = (z3, z2);
        }

        return ToLittleEndian(Mod(x2 * Inverse(z2)));
    }

    /// <summary>Whether u is the u-coordinate of a point on curve25519 (v^2 = u^3 + A·u^2 + u has a root), not on its twist.</summary>
    public static bool IsOnCurve(BigInteger u)
    {
        BigInteger rhs = Mod((u * u * u) + (486662 * u * u) + u);
        return rhs.IsZero || BigInteger.ModPow(rhs, (P - 1) / 2, P).IsOne;
    }

    /// <summary>Affine addition on -x^2 + y^2 = 1 + d·x^2·y^2 (complete: d is not a square).</summary>
    public static (BigInteger X, BigInteger Y) Add((BigInteger X, BigInteger Y) p, (BigInteger X, BigInteger Y) q)
    {
        BigInteger t = Mod(D * p.X * q.X * p.Y * q.Y);
        BigInteger x = Mod(((p.X * q.Y) + (p.Y * q.X)) * Inverse(1 + t));
        BigInteger y = Mod(((p.Y * q.Y) + (p.X * q.X)) * Inverse(1 - t));
        return (x, y);
    }

    public static (BigInteger X, BigInteger Y) Negate((BigInteger X, BigInteger Y) p) => (Mod(-p.X), p.Y);

    /// <summary>[k]p by double-and-add, 0 &lt;= k &lt; 2^256.</summary>
    public static (BigInteger X, BigInteger Y) Multiply(BigInteger k, (BigInteger X, BigInteger Y) p)
    {
        (BigInteger X, BigInteger Y) r = (0, 1);
        for (int i = 255; i >= 0; i--)
        {
            r = Add(r, r);
            if (!(k >> i).IsEven)
            {
                r = Add(r, p);
            }
        }

        return r;
    }

    /// <summary>RFC 7748 §4.1: u = (1 + y)/(1 - y).</summary>
    public static BigInteger ToMontgomeryU((BigInteger X, BigInteger Y) p) => Mod((1 + p.Y) * Inverse(1 - p.Y));
}
