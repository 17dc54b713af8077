using System;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#endif

namespace TlsEngine.Crypto.Curve25519;

/// <summary>
/// X25519(k, 9), the public key for a private key (RFC 7748 §6.1), as [k]B on edwards25519 from a table of
/// multiples of B: 64 table additions and 4 doublings instead of a 255-step ladder, then u = (1 + y)/(1 - y)
/// (RFC 7748 §4.1), which is the same u the ladder gives, since the map is a group isomorphism.
/// </summary>
/// <remarks>
/// The clamped scalar k (RFC 7748 §5) is written in 64 signed base-16 digits e_i in [-8, 8); the last one
/// takes the final carry and is at most 8, since k &lt; 2^255. Row j of the table holds m·256^j·B for
/// m = 1..8, so [k]B = 16·Σ e_(2j+1)·(row j) + Σ e_(2j)·(row j). Every lookup reads all eight entries of its
/// row and keeps one by mask, and a negative digit negates the entry by a masked swap: the memory read
/// and the instructions run are the same for every scalar.
/// </remarks>
internal static class X25519Base
{
    private const int Rows = 32;
    private const int PerRow = 8;
    private const int Digits = 64;

    /// <summary>X25519(scalar, 9) into <paramref name="output"/> (32 bytes each).</summary>
    public static void ScalarMult(ReadOnlySpan<byte> scalar, Span<byte> output)
    {
        Edwards.Precomputed[] table = Table.Entries;
        Span<sbyte> e = stackalloc sbyte[Digits];
        Recode(scalar, e);

        Edwards.Identity(out Edwards.Extended p);
        Edwards.Precomputed q = default;
        Edwards.Scratch s = default;
        for (int i = 1; i < Digits; i += 2)
        {
            ulong negate = Select(ref q, table, i >> 1, e[i]);
            Edwards.AddPrecomputed(ref p, ref q, negate, ref s);
        }

        for (int i = 0; i < 4; i++)
        {
            Edwards.Double(ref p, ref s);
        }

        for (int i = 0; i < Digits; i += 2)
        {
            ulong negate = Select(ref q, table, i >> 1, e[i]);
            Edwards.AddPrecomputed(ref p, ref q, negate, ref s);
        }

        // u = (Z + Y)/(Z - Y). Z = Y only for the neutral element, which no clamped scalar reaches
        // (k/8 is below the group order); its inverse would be 0 and u = 0, as from the ladder.
        FieldElement.Add(out s.A, p.Z, p.Y);
        FieldElement.Sub(out s.B, p.Z, p.Y);
        FieldElement.Invert(out s.C, s.B);
        FieldElement.Mul(out s.A, s.A, s.C);
        FieldElement.ToBytes(output, s.A);

        e.Clear();
        Edwards.Clear(ref p, ref q, ref s);
    }

    // RFC 7748 §5 decodeScalar25519, then the signed digits. The carry is computed, never branched on.
    private static void Recode(ReadOnlySpan<byte> scalar, Span<sbyte> e)
    {
        int carry = 0;
        for (int i = 0; i < Digits - 1; i++)
        {
            int b = scalar[i >> 1];
            if (i == 0)
            {
                b &= 248;
            }

            int v = ((i & 1) == 0 ? b & 15 : b >> 4) + carry;
            carry = (v + 8) >> 4;
            e[i] = (sbyte)(v - (carry << 4));
        }

        // Bit 255 cleared and bit 254 set: the top digit is 4..7 before the carry.
        e[Digits - 1] = (sbyte)((((scalar[31] & 127) | 64) >> 4) + carry);
        carry = 0;
    }

    /// <summary>
    /// q = |digit|·(row's base) ((1/2, 1/2, 0), the neutral element, for 0), reading every entry of the row;
    /// returns 1 when the digit is negative, for the addition to negate q.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Select(ref Edwards.Precomputed q, Edwards.Precomputed[] table, int row, int digit)
    {
        int sign = digit >> 31;
        int magnitude = (digit ^ sign) - sign;
        int start = row * PerRow;
#if NET8_0_OR_GREATER
        if (Vector256.IsHardwareAccelerated)
        {
            SelectVectors(ref q, table.AsSpan(start, PerRow), magnitude);
            return (ulong)(sign & 1);
        }
#endif

        SelectMasked(ref q, table.AsSpan(start, PerRow), magnitude);
        return (ulong)(sign & 1);
    }

    /// <summary>q = row[magnitude - 1] (the neutral element for 0) by masked moves of every entry.</summary>
    /// <remarks>The netstandard2.0 path; internal so tests reach it on a runtime that takes the vector one.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SelectMasked(ref Edwards.Precomputed q, ReadOnlySpan<Edwards.Precomputed> row, int magnitude)
    {
        ref Edwards.Precomputed identity = ref Table.Identity;
        ulong zero = Equal(magnitude, 0);
        q.YPlusX = default;
        q.YMinusX = default;
        q.XYD = default;
        Edwards.ConditionalMove(ref q.YPlusX, identity.YPlusX, zero);
        Edwards.ConditionalMove(ref q.YMinusX, identity.YMinusX, zero);
        for (int m = 1; m <= PerRow; m++)
        {
            ulong mask = Equal(magnitude, m);
            ref readonly Edwards.Precomputed entry = ref row[m - 1];
            Edwards.ConditionalMove(ref q.YPlusX, entry.YPlusX, mask);
            Edwards.ConditionalMove(ref q.YMinusX, entry.YMinusX, mask);
            Edwards.ConditionalMove(ref q.XYD, entry.XYD, mask);
        }
    }

#if NET8_0_OR_GREATER
    // The same selection, an entry (128 bytes) as four 256-bit vectors: masked ORs of every entry.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SelectVectors(ref Edwards.Precomputed q, Span<Edwards.Precomputed> row, int magnitude)
    {
        Span<Vector256<ulong>> entries = MemoryMarshal.Cast<Edwards.Precomputed, Vector256<ulong>>(row);
        Span<Vector256<ulong>> identity = MemoryMarshal.Cast<Edwards.Precomputed, Vector256<ulong>>(
            MemoryMarshal.CreateSpan(ref Table.Identity, 1));
        Vector256<ulong> mask = Vector256.Create(Equal(magnitude, 0));
        Vector256<ulong> v0 = identity[0] & mask;
        Vector256<ulong> v1 = identity[1] & mask;
        Vector256<ulong> v2 = identity[2] & mask;
        Vector256<ulong> v3 = identity[3] & mask;
        for (int m = 0; m < PerRow; m++)
        {
            mask = Vector256.Create(Equal(magnitude, m + 1));
            v0 |= entries[4 * m] & mask;
            v1 |= entries[(4 * m) + 1] & mask;
            v2 |= entries[(4 * m) + 2] & mask;
            v3 |= entries[(4 * m) + 3] & mask;
        }

        Span<Vector256<ulong>> result = MemoryMarshal.Cast<Edwards.Precomputed, Vector256<ulong>>(MemoryMarshal.CreateSpan(ref q, 1));
        result[0] = v0;
        result[1] = v1;
        result[2] = v2;
        result[3] = v3;
    }
#endif

    // All ones when a = b, for a and b in 0..15.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Equal(int a, int b) => 0 - (((ulong)(uint)(a ^ b) - 1) >> 63);

    /// <summary>The table, built from B at first use rather than embedded as 3,840 constants.</summary>
    internal static class Table
    {
        // RFC 8032 §5.1: B = (x, 4/5) with x = 15112221349535400772501151409588531511454012693041857206046113283949847762202
        // (even), here little-endian. RFC 7748 §4.1 maps it to u = 9.
        internal static readonly byte[] BaseX =
        {
            0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
            0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21,
        };

        internal static readonly Edwards.Precomputed[] Entries;

        internal static Edwards.Precomputed Identity;

        static Table()
        {
            Constants(out FieldElement d, out FieldElement half, out Edwards.Extended b);
            Entries = Build(b, d, half);
            Identity.YPlusX = half;
            Identity.YMinusX = half;
        }

        /// <summary>d = -121665/121666 (RFC 7748 §4.1), 1/2, and B with Z = 1.</summary>
        internal static void Constants(out FieldElement d, out FieldElement half, out Edwards.Extended b)
        {
            FieldElement.One(out FieldElement one);
            FieldElement.MulSmall(out FieldElement t, one, 121666);
            FieldElement.Invert(out t, t);
            FieldElement.MulSmall(out t, t, 121665);
            FieldElement zero = default;
            FieldElement.Sub(out d, zero, t);
            FieldElement.MulSmall(out d, d, 1);

            FieldElement.MulSmall(out t, one, 2);
            FieldElement.Invert(out half, t);

            b = default;
            FieldElement.FromBytes(out b.X, BaseX);
            FieldElement.MulSmall(out t, one, 5);
            FieldElement.Invert(out t, t);
            FieldElement.MulSmall(out b.Y, t, 4);
            b.Z = one;
            FieldElement.Mul(out b.T, b.X, b.Y);
        }

        // Each row's multiples by additions in projective form (base + base + ...), the next row's base as
        // 8·base doubled five times (256·base), and then all 256 points made affine together with one
        // inversion (Montgomery's trick): about 6,000 field operations in all.
        private static Edwards.Precomputed[] Build(in Edwards.Extended b, in FieldElement d, in FieldElement half)
        {
            var points = new Edwards.Extended[Rows * PerRow];
            Edwards.Scratch s = default;
            Edwards.Extended rowBase = b;
            for (int row = 0; row < Rows; row++)
            {
                int start = row * PerRow;
                points[start] = rowBase;
                Edwards.ToCached(out Edwards.Precomputed cached, rowBase, half, d);
                for (int m = 1; m < PerRow; m++)
                {
                    points[start + m] = points[start + m - 1];
                    Edwards.AddCached(ref points[start + m], cached, rowBase.Z, ref s);
                }

                rowBase = points[start + PerRow - 1];
                for (int i = 0; i < 5; i++)
                {
                    Edwards.Double(ref rowBase, ref s);
                }
            }

            // products[i] = Z_0·...·Z_i; walking back, inverse is 1/products[i] and 1/Z_i = inverse·products[i - 1].
            var products = new FieldElement[points.Length];
            products[0] = points[0].Z;
            for (int i = 1; i < points.Length; i++)
            {
                FieldElement.Mul(out products[i], products[i - 1], points[i].Z);
            }

            var entries = new Edwards.Precomputed[points.Length];
            FieldElement.Invert(out FieldElement inverse, products[points.Length - 1]);
            for (int i = points.Length - 1; i > 0; i--)
            {
                FieldElement.Mul(out FieldElement pointInverse, inverse, products[i - 1]);
                FieldElement.Mul(out inverse, inverse, points[i].Z);
                Edwards.ToPrecomputed(out entries[i], points[i], pointInverse, half, d);
            }

            Edwards.ToPrecomputed(out entries[0], points[0], inverse, half, d);
            return entries;
        }
    }
}
