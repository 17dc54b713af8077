using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace TlsEngine.Crypto.Curve25519;

/// <summary>
/// An element of GF(2^255 - 19) as five 51-bit limbs (radix 2^51), so a product of two limbs fits a
/// 64×64→128 multiply with room for the sums of a schoolbook multiplication.
/// </summary>
/// <remarks>
/// Bounds the arithmetic relies on: <see cref="Mul"/>, <see cref="Square"/>, <see cref="MulSmall"/>,
/// <see cref="Sub"/> and <see cref="FromBytes"/> return "reduced" limbs (below 2^51 + 2^13, except that
/// <see cref="Sub"/> may reach 2^52.6); <see cref="Add"/> must only be given reduced inputs and
/// <see cref="Sub"/>'s subtrahend must be reduced. <see cref="Mul"/>, <see cref="Square"/>,
/// <see cref="MulSmall"/>, <see cref="Invert"/> and <see cref="ToBytes"/> take any limbs below 2^54, so
/// the output of one <see cref="Add"/> or <see cref="Sub"/> may go straight in. Every routine is branch-free and indexes memory only
/// by public values: nothing here depends on the value of a secret for its timing.
/// </remarks>
internal struct FieldElement
{
    private const ulong Mask51 = (1UL << 51) - 1;

    // Mul, Square and MulSmall shift one factor of each limb product left by this much (limbs below 2^54).
    private const int Shift = 10;

    // 2p limb by limb, added before a subtraction so no limb goes negative.
    private const ulong TwoP0 = 0xFFFFFFFFFFFDAUL;
    private const ulong TwoP1234 = 0xFFFFFFFFFFFFEUL;

    internal ulong L0;
    internal ulong L1;
    internal ulong L2;
    internal ulong L3;
    internal ulong L4;

    public static void One(out FieldElement r)
    {
        r.L0 = 1;
        r.L1 = 0;
        r.L2 = 0;
        r.L3 = 0;
        r.L4 = 0;
    }

    /// <summary>Decodes a u-coordinate, ignoring bit 255 (RFC 7748 §5: "mask the most significant bit").</summary>
    /// <remarks>Values from p to 2^255 - 1 are accepted as they are and reduce in the arithmetic (RFC 7748 §5).</remarks>
    public static void FromBytes(out FieldElement r, ReadOnlySpan<byte> bytes)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(8));
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(16));
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(24));
        r.L0 = w0 & Mask51;
        r.L1 = ((w0 >> 51) | (w1 << 13)) & Mask51;
        r.L2 = ((w1 >> 38) | (w2 << 26)) & Mask51;
        r.L3 = ((w2 >> 25) | (w3 << 39)) & Mask51;
        r.L4 = (w3 >> 12) & Mask51;
    }

    /// <summary>Encodes the canonical value (fully reduced below p), little-endian.</summary>
    public static void ToBytes(Span<byte> output, in FieldElement a)
    {
        ulong l0 = a.L0, l1 = a.L1, l2 = a.L2, l3 = a.L3, l4 = a.L4;

        // Two weak passes leave a value below 2p with every limb below 2^51 (+19 at most in l0).
        for (int pass = 0; pass < 2; pass++)
        {
            l1 += l0 >> 51;
            l0 &= Mask51;
            l2 += l1 >> 51;
            l1 &= Mask51;
            l3 += l2 >> 51;
            l2 &= Mask51;
            l4 += l3 >> 51;
            l3 &= Mask51;
            l0 += 19 * (l4 >> 51);
            l4 &= Mask51;
        }

        // q = floor((h + 19) / 2^255) is 1 exactly when h >= p; then h + 19 - 2^255 = h - p.
        ulong q = (l0 + 19) >> 51;
        q = (l1 + q) >> 51;
        q = (l2 + q) >> 51;
        q = (l3 + q) >> 51;
        q = (l4 + q) >> 51;
        l0 += 19 * q;
        l1 += l0 >> 51;
        l0 &= Mask51;
        l2 += l1 >> 51;
        l1 &= Mask51;
        l3 += l2 >> 51;
        l2 &= Mask51;
        l4 += l3 >> 51;
        l3 &= Mask51;
        l4 &= Mask51;

        BinaryPrimitives.WriteUInt64LittleEndian(output, l0 | (l1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(8), (l1 >> 13) | (l2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(16), (l2 >> 26) | (l3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(24), (l3 >> 39) | (l4 << 12));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(out FieldElement r, in FieldElement a, in FieldElement b)
    {
        r.L0 = a.L0 + b.L0;
        r.L1 = a.L1 + b.L1;
        r.L2 = a.L2 + b.L2;
        r.L3 = a.L3 + b.L3;
        r.L4 = a.L4 + b.L4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub(out FieldElement r, in FieldElement a, in FieldElement b)
    {
        r.L0 = a.L0 + TwoP0 - b.L0;
        r.L1 = a.L1 + TwoP1234 - b.L1;
        r.L2 = a.L2 + TwoP1234 - b.L2;
        r.L3 = a.L3 + TwoP1234 - b.L3;
        r.L4 = a.L4 + TwoP1234 - b.L4;
    }

    /// <summary>Swaps a and b when swap is 1, leaves them when it is 0, without a branch (RFC 7748 §5 cswap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ConditionalSwap(ref FieldElement a, ref FieldElement b, ulong swap)
    {
        ulong mask = 0 - swap;
        ulong t = mask & (a.L0 ^ b.L0);
        a.L0 ^= t;
        b.L0 ^= t;
        t = mask & (a.L1 ^ b.L1);
        a.L1 ^= t;
        b.L1 ^= t;
        t = mask & (a.L2 ^ b.L2);
        a.L2 ^= t;
        b.L2 ^= t;
        t = mask & (a.L3 ^ b.L3);
        a.L3 ^= t;
        b.L3 ^= t;
        t = mask & (a.L4 ^ b.L4);
        a.L4 ^= t;
        b.L4 ^= t;
    }

    // Mul and Square fold each column into a 51-bit limb as soon as it is summed; the carry from the
    // previous column is added after a column's products, so those do not wait for it. r is written
    // last, so it may be the same element as a or b.
    public static void Mul(out FieldElement r, in FieldElement a, in FieldElement b)
    {
        ulong a0 = a.L0 << Shift, a1 = a.L1 << Shift, a2 = a.L2 << Shift, a3 = a.L3 << Shift, a4 = a.L4 << Shift;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4;

        // 2^255 = 19 (mod p): the limb products landing at 2^(51·k), k >= 5, are summed apart and
        // folded back times 19 (a sum, not each factor, so no multiples of b stay live).
        ulong high = Hi(a0, b0) + (Hi(a1, b4) + Hi(a2, b3) + Hi(a3, b2) + Hi(a4, b1)) * 19;
        ulong low = Lo(a0, b0) + (Lo(a1, b4) + Lo(a2, b3) + Lo(a3, b2) + Lo(a4, b1)) * 19;
        ulong r0 = low & Mask51;
        ulong c = Carry(low, high);

        high = Hi(a0, b1) + Hi(a1, b0) + (Hi(a2, b4) + Hi(a3, b3) + Hi(a4, b2)) * 19;
        low = Lo(a0, b1) + Lo(a1, b0) + (Lo(a2, b4) + Lo(a3, b3) + Lo(a4, b2)) * 19 + c;
        ulong r1 = low & Mask51;
        c = Carry(low, high);

        high = Hi(a0, b2) + Hi(a1, b1) + Hi(a2, b0) + (Hi(a3, b4) + Hi(a4, b3)) * 19;
        low = Lo(a0, b2) + Lo(a1, b1) + Lo(a2, b0) + (Lo(a3, b4) + Lo(a4, b3)) * 19 + c;
        ulong r2 = low & Mask51;
        c = Carry(low, high);

        high = Hi(a0, b3) + Hi(a1, b2) + Hi(a2, b1) + Hi(a3, b0) + Hi(a4, b4) * 19;
        low = Lo(a0, b3) + Lo(a1, b2) + Lo(a2, b1) + Lo(a3, b0) + Lo(a4, b4) * 19 + c;
        ulong r3 = low & Mask51;
        c = Carry(low, high);

        high = Hi(a0, b4) + Hi(a1, b3) + Hi(a2, b2) + Hi(a3, b1) + Hi(a4, b0);
        low = Lo(a0, b4) + Lo(a1, b3) + Lo(a2, b2) + Lo(a3, b1) + Lo(a4, b0) + c;
        Finish(out r, r0, r1, r2, r3, low, high);
    }

    // Not inlined: the body is large, and one copy of it serves every caller.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Square(out FieldElement r, in FieldElement a) => SquareInline(out r, a);

    // Inlined into SquareTimes's loop, where the inverse spends nearly all its time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SquareInline(out FieldElement r, in FieldElement a)
    {
        ulong l0 = a.L0, l1 = a.L1, l2 = a.L2, l3 = a.L3, l4 = a.L4;
        ulong s0 = l0 << Shift, s1 = l1 << Shift, s2 = l2 << Shift, s3 = l3 << Shift, s4 = l4 << Shift;

        // Each cross product once, doubled, and the fold's 19, applied to the column's sums.
        ulong high = Hi(s0, l0) + (Hi(s1, l4) + Hi(s2, l3)) * 38;
        ulong low = Lo(s0, l0) + (Lo(s1, l4) + Lo(s2, l3)) * 38;
        ulong r0 = low & Mask51;
        ulong c = Carry(low, high);

        high = Hi(s0, l1) * 2 + (Hi(s2, l4) * 2 + Hi(s3, l3)) * 19;
        low = Lo(s0, l1) * 2 + (Lo(s2, l4) * 2 + Lo(s3, l3)) * 19 + c;
        ulong r1 = low & Mask51;
        c = Carry(low, high);

        high = Hi(s0, l2) * 2 + Hi(s1, l1) + Hi(s3, l4) * 38;
        low = Lo(s0, l2) * 2 + Lo(s1, l1) + Lo(s3, l4) * 38 + c;
        ulong r2 = low & Mask51;
        c = Carry(low, high);

        high = (Hi(s0, l3) + Hi(s1, l2)) * 2 + Hi(s4, l4) * 19;
        low = (Lo(s0, l3) + Lo(s1, l2)) * 2 + Lo(s4, l4) * 19 + c;
        ulong r3 = low & Mask51;
        c = Carry(low, high);

        high = (Hi(s0, l4) + Hi(s1, l3)) * 2 + Hi(s2, l2);
        low = (Lo(s0, l4) + Lo(s1, l3)) * 2 + Lo(s2, l2) + c;
        Finish(out r, r0, r1, r2, r3, low, high);
    }

    /// <summary>Squares n times (n public).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SquareTimes(out FieldElement r, in FieldElement a, int n)
    {
        SquareInline(out r, a);
        for (int i = 1; i < n; i++)
        {
            SquareInline(out r, r);
        }
    }

    /// <summary>Multiplies by a small constant (below 2^17): a24 = 121665 in the ladder, 9 for the base point.</summary>
    public static void MulSmall(out FieldElement r, in FieldElement a, ulong k)
    {
        ulong s0 = a.L0 << Shift, s1 = a.L1 << Shift, s2 = a.L2 << Shift, s3 = a.L3 << Shift, s4 = a.L4 << Shift;
        ulong low = Lo(s0, k);
        ulong r0 = low & Mask51;
        ulong c = Carry(low, Hi(s0, k));
        low = Lo(s1, k) + c;
        ulong r1 = low & Mask51;
        c = Carry(low, Hi(s1, k));
        low = Lo(s2, k) + c;
        ulong r2 = low & Mask51;
        c = Carry(low, Hi(s2, k));
        low = Lo(s3, k) + c;
        ulong r3 = low & Mask51;
        c = Carry(low, Hi(s3, k));
        low = Lo(s4, k) + c;
        Finish(out r, r0, r1, r2, r3, low, Hi(s4, k));
    }

    /// <summary>r = a^(p-2) = 1/a (0 for 0), by the fixed addition chain for 2^255 - 21: 254 squarings, 11 multiplications.</summary>
    public static void Invert(out FieldElement r, in FieldElement a)
    {
        Square(out FieldElement z2, a);                 // 2
        SquareTimes(out FieldElement t, z2, 2);         // 8
        Mul(out FieldElement z9, t, a);                 // 9
        Mul(out FieldElement z11, z9, z2);              // 11
        Square(out t, z11);                             // 22
        Mul(out FieldElement z5, t, z9);                // 2^5 - 1
        SquareTimes(out t, z5, 5);
        Mul(out FieldElement z10, t, z5);               // 2^10 - 1
        SquareTimes(out t, z10, 10);
        Mul(out FieldElement z20, t, z10);              // 2^20 - 1
        SquareTimes(out t, z20, 20);
        Mul(out t, t, z20);                             // 2^40 - 1
        SquareTimes(out t, t, 10);
        Mul(out FieldElement z50, t, z10);              // 2^50 - 1
        SquareTimes(out t, z50, 50);
        Mul(out FieldElement z100, t, z50);             // 2^100 - 1
        SquareTimes(out t, z100, 100);
        Mul(out t, t, z100);                            // 2^200 - 1
        SquareTimes(out t, t, 50);
        Mul(out t, t, z50);                             // 2^250 - 1
        SquareTimes(out t, t, 5);                       // 2^255 - 32
        Mul(out r, t, z11);                             // 2^255 - 21

        z2 = default;
        z9 = default;
        z11 = default;
        z5 = default;
        z10 = default;
        z20 = default;
        z50 = default;
        z100 = default;
        t = default;
        Scrub(ref z2, ref z9, ref z11, ref z5, ref z10, ref z20, ref z50, ref z100, ref t);
    }

    /// <summary>Keeps the zeroing of the inverse's intermediates from being removed as dead stores.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Scrub(
        ref FieldElement a, ref FieldElement b, ref FieldElement c, ref FieldElement d, ref FieldElement e,
        ref FieldElement f, ref FieldElement g, ref FieldElement h, ref FieldElement i)
    {
        a = default;
        b = default;
        c = default;
        d = default;
        e = default;
        f = default;
        g = default;
        h = default;
        i = default;
    }

    // One factor of every limb product comes shifted left by Shift bits, so the product's high word is
    // already the part of the product from bit 54 up, and its low word holds bits 0 to 53 at the top:
    // a column is two plain sums, of high words and of those 54-bit remainders, with no masking or
    // recombining per product and no carry flag to recover. A constant factor common to several
    // products (the fold's 19, a square's doubling) multiplies both sums once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hi(ulong shifted, ulong b) => Wide.MulHigh(shifted, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Lo(ulong shifted, ulong b) => (shifted * b) >> Shift;

    // The column's value from bit 51 up: high counts units of 2^54.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Carry(ulong low, ulong high) => (high << (64 - Shift - 51)) + (low >> 51);

    // Limb 4 from the last column; the carry out of it times 19 goes back into limb 0, and limb 0's
    // overflow into limb 1. Why nothing overflows for limbs below 2^54 (so below 2^64 after the shift):
    // a limb product is below 2^108, its high word below 2^54 and its remainder below 2^54. Column 0
    // holds the most, 77 limb products' worth (1 + 4·19 in Mul, 1 + 2·2·19 in Square), so its high
    // sum is below 2^60.3 (2^63.3 shifted into units of 2^51) and its remainder sum below 2^60.3; a
    // carry out of a column is therefore below 2^63.3, and a remainder sum plus such a carry fits a
    // word. Column 4 has no fold, 5 products plus a carry below 2^63.3: its carry out is below 2^59.4,
    // times 19 below 2^63.6, so limb 0 fits and passes less than 2^12.6 to limb 1, which keeps every
    // output limb below 2^51 + 2^13.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(out FieldElement r, ulong r0, ulong r1, ulong r2, ulong r3, ulong low, ulong high)
    {
        ulong r4 = low & Mask51;
        r0 += Carry(low, high) * 19;
        r1 += r0 >> 51;
        r0 &= Mask51;
        r.L0 = r0;
        r.L1 = r1;
        r.L2 = r2;
        r.L3 = r3;
        r.L4 = r4;
    }
}
