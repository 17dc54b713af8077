using System;
using System.Runtime.CompilerServices;
#if NET5_0_OR_GREATER
using System.Runtime.Intrinsics.X86;
#endif

namespace TlsEngine.Crypto.Curve25519;

/// <summary>The high words of 64×64→128-bit products, in constant time (the low word is the plain product).</summary>
internal static class Wide
{
    /// <summary>The high word of a·b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulHigh(ulong a, ulong b)
    {
#if NET5_0_OR_GREATER
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.MultiplyNoFlags(a, b);
        }

        return Math.BigMul(a, b, out _);
#else
        return MulPortable(a, b, out _);
#endif
    }

    /// <summary>The 64×64→128 product from four 32×32→64 products, for runtimes without Math.BigMul.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulPortable(ulong a, ulong b, out ulong low)
    {
        ulong aLow = (uint)a, aHigh = a >> 32;
        ulong bLow = (uint)b, bHigh = b >> 32;
        ulong ll = aLow * bLow;
        ulong lh = aLow * bHigh;
        ulong hl = aHigh * bLow;
        ulong hh = aHigh * bHigh;
        ulong middle = (ll >> 32) + (uint)lh + (uint)hl;
        low = (middle << 32) | (uint)ll;
        return hh + (lh >> 32) + (hl >> 32) + (middle >> 32);
    }
}
