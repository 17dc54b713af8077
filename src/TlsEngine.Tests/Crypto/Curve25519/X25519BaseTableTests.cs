using System.Numerics;
using TlsEngine.Crypto.Curve25519;
using Xunit;
using static TlsEngine.Tests.Crypto.Curve25519.Curve25519Reference;
using Point = (System.Numerics.BigInteger X, System.Numerics.BigInteger Y);

namespace TlsEngine.Tests.Crypto.Curve25519;

/// <summary>
/// The fixed-base table and its two constant-time lookups: every entry against the reference, and the
/// masked-move lookup (the netstandard2.0 path, which this runtime does not take) against the vector one
/// for every row and digit.
/// </summary>
public class X25519BaseTableTests
{
    private const int Rows = 32;
    private const int PerRow = 8;

    [Fact]
    public void Every_table_entry_is_its_multiple_of_the_base_point()
    {
        Edwards.Precomputed[] table = X25519Base.Table.Entries;
        Assert.Equal(Rows * PerRow, table.Length);
        BigInteger half = Inverse(2);
        Point rowBase = Base;
        for (int row = 0; row < Rows; row++)
        {
            Point multiple = rowBase;
            for (int m = 1; m <= PerRow; m++)
            {
                Edwards.Precomputed entry = table[(row * PerRow) + m - 1];
                Assert.Equal(Mod((multiple.Y + multiple.X) * half), Value(entry.YPlusX));
                Assert.Equal(Mod((multiple.Y - multiple.X) * half), Value(entry.YMinusX));
                Assert.Equal(Mod(D * multiple.X * multiple.Y), Value(entry.XYD));
                multiple = Add(multiple, rowBase);
            }

            for (int i = 0; i < 8; i++)
            {
                rowBase = Add(rowBase, rowBase);
            }
        }

        Assert.Equal(half, Value(X25519Base.Table.Identity.YPlusX));
        Assert.Equal(half, Value(X25519Base.Table.Identity.YMinusX));
        Assert.Equal(BigInteger.Zero, Value(X25519Base.Table.Identity.XYD));
    }

    [Fact]
    public void Masked_and_vector_lookups_select_the_same_entry_for_every_row_and_digit()
    {
        Edwards.Precomputed[] table = X25519Base.Table.Entries;
        for (int row = 0; row < Rows; row++)
        {
            for (int magnitude = 0; magnitude <= PerRow; magnitude++)
            {
                Edwards.Precomputed expected = magnitude == 0 ? X25519Base.Table.Identity : table[(row * PerRow) + magnitude - 1];

                // Start from garbage: the lookup must overwrite every limb.
                Edwards.Precomputed masked = Garbage();
                X25519Base.SelectMasked(ref masked, table.AsSpan(row * PerRow, PerRow), magnitude);
                AssertSame(expected, masked);

                Edwards.Precomputed vector = Garbage();
                X25519Base.SelectVectors(ref vector, table.AsSpan(row * PerRow, PerRow), magnitude);
                AssertSame(expected, vector);
            }
        }
    }

    private static Edwards.Precomputed Garbage()
    {
        var all = new FieldElement { L0 = ulong.MaxValue, L1 = ulong.MaxValue, L2 = ulong.MaxValue, L3 = ulong.MaxValue, L4 = ulong.MaxValue };
        return new Edwards.Precomputed { YPlusX = all, YMinusX = all, XYD = all, Padding = ulong.MaxValue };
    }

    private static void AssertSame(in Edwards.Precomputed expected, in Edwards.Precomputed actual)
    {
        Assert.Equal(Limbs(expected.YPlusX), Limbs(actual.YPlusX));
        Assert.Equal(Limbs(expected.YMinusX), Limbs(actual.YMinusX));
        Assert.Equal(Limbs(expected.XYD), Limbs(actual.XYD));
    }

    private static ulong[] Limbs(in FieldElement a) => new[] { a.L0, a.L1, a.L2, a.L3, a.L4 };

    private static BigInteger Value(in FieldElement a) =>
        Mod(a.L0 + ((BigInteger)a.L1 << 51) + ((BigInteger)a.L2 << 102) + ((BigInteger)a.L3 << 153) + ((BigInteger)a.L4 << 204));
}
