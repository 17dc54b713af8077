using System;
using System.Runtime.CompilerServices;

namespace TlsEngine.Crypto.Curve25519;

/// <summary>
/// The X25519 function of RFC 7748 §5: a constant-time Montgomery ladder over <see cref="FieldElement"/>.
/// </summary>
/// <remarks>
/// Hand-written because BouncyCastle's is the only other managed X25519 the library can use, and it is
/// about 3.4 times slower than OpenSSL's; X25519 is most of a handshake's cost.
/// </remarks>
internal static class X25519
{
    /// <summary>Bytes in a scalar, a u-coordinate and a shared secret.</summary>
    public const int KeySize = 32;

    // RFC 7748 §5: a24 = (486662 - 2) / 4 for curve25519.
    private const ulong A24 = 121665;

    /// <summary>
    /// X25519(scalar, u) into <paramref name="output"/>. False when the result is all zeros (u of small
    /// order), which callers must refuse (RFC 7748 §6.1, RFC 8446 §7.4.2).
    /// </summary>
    public static bool ScalarMult(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> u, Span<byte> output)
    {
        CheckSizes(scalar, output);
        if (u.Length != KeySize)
        {
            throw new ArgumentException("A u-coordinate is 32 bytes.", nameof(u));
        }

        Ladder state = default;
        FieldElement.FromBytes(out state.X1, u);
        Run(ref state, scalar, output);
        return !IsAllZero(output);
    }

    /// <summary>
    /// The public key for a private key: X25519(scalar, 9) (RFC 7748 §6.1), by a table of multiples of the
    /// base point on edwards25519 (<see cref="X25519Base"/>), about three times faster than the ladder.
    /// </summary>
    public static void ScalarMultBase(ReadOnlySpan<byte> scalar, Span<byte> output)
    {
        CheckSizes(scalar, output);
        X25519Base.ScalarMult(scalar, output);
    }

    private static void CheckSizes(ReadOnlySpan<byte> scalar, Span<byte> output)
    {
        if (scalar.Length != KeySize)
        {
            throw new ArgumentException("An X25519 scalar is 32 bytes.", nameof(scalar));
        }

        if (output.Length < KeySize)
        {
            throw new ArgumentException("The output needs 32 bytes.", nameof(output));
        }
    }

    private static void Run(ref Ladder s, ReadOnlySpan<byte> scalar, Span<byte> output)
    {
        // RFC 7748 §5 decodeScalar25519: clear the three low bits and bit 255, set bit 254.
        Span<byte> k = stackalloc byte[KeySize];
        scalar.CopyTo(k);
        k[0] &= 248;
        k[31] &= 127;
        k[31] |= 64;

        FieldElement.One(out s.X2);
        s.Z2 = default;
        s.X3 = s.X1;
        FieldElement.One(out s.Z3);
        ulong swap = 0;

        for (int t = 254; t >= 0; t--)
        {
            // The index depends on the loop counter only, never on the scalar's value.
            ulong bit = (ulong)((k[t >> 3] >> (t & 7)) & 1);
            swap ^= bit;
            FieldElement.ConditionalSwap(ref s.X2, ref s.X3, swap);
            FieldElement.ConditionalSwap(ref s.Z2, ref s.Z3, swap);
            swap = bit;
            Step(ref s);
        }

        FieldElement.ConditionalSwap(ref s.X2, ref s.X3, swap);
        FieldElement.ConditionalSwap(ref s.Z2, ref s.Z3, swap);

        // x2 / z2; z2 = 0 (a small-order u) gives 0, which the caller refuses.
        FieldElement.Invert(out s.T, s.Z2);
        FieldElement.Mul(out s.X2, s.X2, s.T);
        FieldElement.ToBytes(output, s.X2);

        k.Clear();
        swap = 0;
        Clear(ref s);
    }

    // One ladder step of RFC 7748 §5, in its order and names.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Ladder s)
    {
        FieldElement.Add(out s.A, s.X2, s.Z2);
        FieldElement.Square(out s.AA, s.A);
        FieldElement.Sub(out s.B, s.X2, s.Z2);
        FieldElement.Square(out s.BB, s.B);
        FieldElement.Sub(out s.E, s.AA, s.BB);
        FieldElement.Add(out s.C, s.X3, s.Z3);
        FieldElement.Sub(out s.D, s.X3, s.Z3);
        FieldElement.Mul(out s.DA, s.D, s.A);
        FieldElement.Mul(out s.CB, s.C, s.B);
        FieldElement.Add(out s.T, s.DA, s.CB);
        FieldElement.Square(out s.X3, s.T);
        FieldElement.Sub(out s.T, s.DA, s.CB);
        FieldElement.Square(out s.T, s.T);
        FieldElement.Mul(out s.Z3, s.X1, s.T);

        FieldElement.Mul(out s.X2, s.AA, s.BB);
        FieldElement.MulSmall(out s.T, s.E, A24);
        FieldElement.Add(out s.T, s.AA, s.T);
        FieldElement.Mul(out s.Z2, s.E, s.T);
    }

    private static bool IsAllZero(ReadOnlySpan<byte> value)
    {
        // Accumulate over every byte so the time does not depend on where a non-zero byte is.
        int acc = 0;
        for (int i = 0; i < KeySize; i++)
        {
            acc |= value[i];
        }

        return acc == 0;
    }

    // Not inlined, so the zeroing of the ladder state is not dropped as a store nobody reads.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Clear(ref Ladder s) => s = default;

    /// <summary>The ladder's variables, in one place so they can be zeroed together after use.</summary>
    private struct Ladder
    {
        public FieldElement X1;
        public FieldElement X2;
        public FieldElement Z2;
        public FieldElement X3;
        public FieldElement Z3;
        public FieldElement A;
        public FieldElement AA;
        public FieldElement B;
        public FieldElement BB;
        public FieldElement C;
        public FieldElement D;
        public FieldElement E;
        public FieldElement DA;
        public FieldElement CB;
        public FieldElement T;
    }
}
