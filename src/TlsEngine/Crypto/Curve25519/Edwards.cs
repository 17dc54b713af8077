using System;
using System.Runtime.CompilerServices;

namespace TlsEngine.Crypto.Curve25519;

/// <summary>
/// Point arithmetic on edwards25519, -x^2 + y^2 = 1 + d·x^2·y^2 (RFC 7748 §4.1, RFC 8032 §5.1), the twisted
/// Edwards form of curve25519: for a fixed base its additions are cheaper than a Montgomery ladder's steps.
/// </summary>
/// <remarks>
/// Formulas from Hisil, Wong, Carter and Dawson, "Twisted Edwards Curves Revisited" (2008), for a = -1 in
/// extended coordinates. Every value handed to <see cref="FieldElement.Add"/> or as the subtrahend of
/// <see cref="FieldElement.Sub"/> is a product (reduced), as <see cref="FieldElement"/>'s bounds require;
/// where a formula would add to a sum, the operand is first reduced by a small multiplication.
/// </remarks>
internal static class Edwards
{
    /// <summary>A point (X : Y : Z : T) with x = X/Z, y = Y/Z and T = XY/Z; every coordinate reduced.</summary>
    internal struct Extended
    {
        public FieldElement X;
        public FieldElement Y;
        public FieldElement Z;
        public FieldElement T;
    }

    /// <summary>
    /// An affine point as ((y + x)/2, (y - x)/2, d·x·y). The halves (rather than the usual y ± x and 2dxy)
    /// scale all four intermediates of the addition by 1/2, which leaves the projective result unchanged
    /// and lets the addition use Z1 where the formula has 2·Z1, a sum the field's bounds would not allow.
    /// </summary>
    /// <remarks>128 bytes with the padding, so a table entry is two cache lines and four 32-byte vectors.</remarks>
    internal struct Precomputed
    {
        public FieldElement YPlusX;
        public FieldElement YMinusX;
        public FieldElement XYD;
        public ulong Padding;
    }

    /// <summary>The intermediates of one addition or doubling, kept together so they can be zeroed.</summary>
    internal struct Scratch
    {
        public FieldElement A;
        public FieldElement B;
        public FieldElement C;
        public FieldElement E;
        public FieldElement F;
        public FieldElement G;
        public FieldElement H;
    }

    /// <summary>The neutral element (0, 1).</summary>
    public static void Identity(out Extended p)
    {
        p = default;
        FieldElement.One(out p.Y);
        FieldElement.One(out p.Z);
    }

    /// <summary>
    /// p += q, or p -= q when <paramref name="negate"/> is 1, without a branch: -q swaps y + x with y - x
    /// and negates dxy, which swaps F and G (7 multiplications).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddPrecomputed(ref Extended p, ref Precomputed q, ulong negate, ref Scratch s)
    {
        FieldElement.ConditionalSwap(ref q.YPlusX, ref q.YMinusX, negate);
        FieldElement.Sub(out s.A, p.Y, p.X);
        FieldElement.Mul(out s.A, s.A, q.YMinusX);
        FieldElement.Add(out s.B, p.Y, p.X);
        FieldElement.Mul(out s.B, s.B, q.YPlusX);
        FieldElement.Mul(out s.C, p.T, q.XYD);
        FieldElement.Sub(out s.E, s.B, s.A);
        FieldElement.Add(out s.H, s.B, s.A);
        FieldElement.Sub(out s.F, p.Z, s.C);
        FieldElement.Add(out s.G, p.Z, s.C);
        FieldElement.ConditionalSwap(ref s.F, ref s.G, negate);
        FromCompleted(ref p, ref s);
    }

    /// <summary>
    /// p = 2p. With a = -1 the formula's (E, F, G, H) are (2XY, B - A - 2Z^2, B - A, -A - B) for A = X^2,
    /// B = Y^2; this computes their negatives, which give the same point.
    /// </summary>
    public static void Double(ref Extended p, ref Scratch s)
    {
        FieldElement.Square(out s.A, p.X);
        FieldElement.Square(out s.B, p.Y);
        FieldElement.Square(out s.C, p.Z);
        FieldElement.MulSmall(out s.C, s.C, 2);
        FieldElement.Mul(out s.E, p.X, p.Y);
        FieldElement.MulSmall(out s.E, s.E, 2);
        s.F = default;
        FieldElement.Sub(out s.E, s.F, s.E);
        FieldElement.Sub(out s.G, s.A, s.B);
        FieldElement.MulSmall(out s.G, s.G, 1);
        FieldElement.Add(out s.F, s.C, s.G);
        FieldElement.Add(out s.H, s.A, s.B);
        FromCompleted(ref p, ref s);
    }

    /// <summary>
    /// p += q for a projective q given as ((Y + X)/2, (Y - X)/2, d·T) (<see cref="ToCached"/>) and its Z: the
    /// addition above with D = Z1·Z2 (8 multiplications), for building tables.
    /// </summary>
    public static void AddCached(ref Extended p, in Precomputed q, in FieldElement qz, ref Scratch s)
    {
        FieldElement.Sub(out s.A, p.Y, p.X);
        FieldElement.Mul(out s.A, s.A, q.YMinusX);
        FieldElement.Add(out s.B, p.Y, p.X);
        FieldElement.Mul(out s.B, s.B, q.YPlusX);
        FieldElement.Mul(out s.C, p.T, q.XYD);
        FieldElement.Mul(out s.G, p.Z, qz);
        FieldElement.Sub(out s.E, s.B, s.A);
        FieldElement.Add(out s.H, s.B, s.A);
        FieldElement.Sub(out s.F, s.G, s.C);
        FieldElement.Add(out s.G, s.G, s.C);
        FromCompleted(ref p, ref s);
    }

    /// <summary>q's coordinates for <see cref="AddCached"/>; <paramref name="half"/> is 1/2 and <paramref name="d"/> the curve constant.</summary>
    public static void ToCached(out Precomputed r, in Extended q, in FieldElement half, in FieldElement d)
    {
        r = default;
        FieldElement.Add(out FieldElement t, q.Y, q.X);
        FieldElement.Mul(out r.YPlusX, t, half);
        FieldElement.Sub(out t, q.Y, q.X);
        FieldElement.Mul(out r.YMinusX, t, half);
        FieldElement.Mul(out r.XYD, q.T, d);
    }

    /// <summary>The affine form of p given 1/Z; <paramref name="half"/> is 1/2 and <paramref name="d"/> the curve constant.</summary>
    public static void ToPrecomputed(out Precomputed r, in Extended p, in FieldElement inverseZ, in FieldElement half, in FieldElement d)
    {
        FieldElement.Mul(out FieldElement x, p.X, inverseZ);
        FieldElement.Mul(out FieldElement y, p.Y, inverseZ);
        r = default;
        FieldElement.Add(out FieldElement t, y, x);
        FieldElement.Mul(out r.YPlusX, t, half);
        FieldElement.Sub(out t, y, x);
        FieldElement.Mul(out r.YMinusX, t, half);
        FieldElement.Mul(out t, x, y);
        FieldElement.Mul(out r.XYD, t, d);
    }

    /// <summary>r = a when mask is all ones, unchanged when it is zero, without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ConditionalMove(ref FieldElement r, in FieldElement a, ulong mask)
    {
        r.L0 ^= mask & (r.L0 ^ a.L0);
        r.L1 ^= mask & (r.L1 ^ a.L1);
        r.L2 ^= mask & (r.L2 ^ a.L2);
        r.L3 ^= mask & (r.L3 ^ a.L3);
        r.L4 ^= mask & (r.L4 ^ a.L4);
    }

    // Not inlined, so zeroing a secret point is not dropped as a store nobody reads.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Clear(ref Extended p, ref Precomputed q, ref Scratch s)
    {
        p = default;
        q = default;
        s = default;
    }

    /// <summary>Checks the curve equation for an affine (x, y); for tests of the constants.</summary>
    internal static bool IsOnCurve(in FieldElement x, in FieldElement y, in FieldElement d)
    {
        FieldElement.Square(out FieldElement xx, x);
        FieldElement.Square(out FieldElement yy, y);
        FieldElement.Mul(out FieldElement dxxyy, xx, yy);
        FieldElement.Mul(out dxxyy, dxxyy, d);
        FieldElement.One(out FieldElement one);
        FieldElement.Add(out FieldElement right, one, dxxyy);
        FieldElement.Sub(out FieldElement left, yy, xx);
        Span<byte> l = stackalloc byte[32];
        Span<byte> r = stackalloc byte[32];
        FieldElement.ToBytes(l, left);
        FieldElement.ToBytes(r, right);
        return l.SequenceEqual(r);
    }

    /// <summary>
    /// The common end of the addition and doubling formulas: the extended point (E·F, G·H, F·G, E·H)
    /// from the completed coordinates E, F, G, H in <paramref name="s"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FromCompleted(ref Extended p, ref Scratch s)
    {
        FieldElement.Mul(out p.X, s.E, s.F);
        FieldElement.Mul(out p.Y, s.G, s.H);
        FieldElement.Mul(out p.Z, s.F, s.G);
        FieldElement.Mul(out p.T, s.E, s.H);
    }
}
