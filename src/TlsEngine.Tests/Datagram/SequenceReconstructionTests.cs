using TlsEngine.Datagram;
using Xunit;

namespace TlsEngine.Tests.Datagram;

public class SequenceReconstructionTests
{
    [Theory]
    [InlineData(0UL, 0x00, 8, 0UL)]
    [InlineData(0UL, 0xFF, 8, 0xFFUL)] // nothing below zero: the only candidate
    [InlineData(0x1FFUL, 0x00, 8, 0x200UL)] // the low bits wrapped: forward
    [InlineData(0x200UL, 0xFF, 8, 0x1FFUL)] // a late record: backward
    [InlineData(0x180UL, 0x00, 8, 0x200UL)] // exactly half a window: the later value
    [InlineData(0x181UL, 0x00, 8, 0x200UL)]
    [InlineData(0x17FUL, 0x00, 8, 0x100UL)]
    [InlineData(0x12345UL, 0x2345, 16, 0x12345UL)]
    [InlineData(0x1FFF0UL, 0x0003, 16, 0x20003UL)]
    [InlineData(0x20003UL, 0xFFF0, 16, 0x1FFF0UL)]
    public void Picks_the_value_closest_to_the_next_expected(ulong nextExpected, int lowBits, int bitCount, ulong expected)
    {
        Assert.Equal(expected, SequenceReconstruction.Reconstruct(nextExpected, (ushort)lowBits, bitCount));
    }

    [Fact]
    public void Never_reconstructs_past_the_48_bit_space()
    {
        ulong max = ReplayWindow.MaxSequence;
        Assert.Equal(max, SequenceReconstruction.Reconstruct(max, 0xFF, 8));
        Assert.Equal(max - 0xFF, SequenceReconstruction.Reconstruct(max, 0x00, 8));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Recovers_any_number_within_half_a_window_of_the_expected_one(int bitCount)
    {
        var random = new Random(7);
        int half = 1 << (bitCount - 1);
        for (int i = 0; i < 5000; i++)
        {
            ulong expected = (ulong)random.NextInt64(half, 1L << 47);
            ulong actual = (ulong)((long)expected + random.Next(-half + 1, half));
            ushort low = (ushort)(actual & ((1UL << bitCount) - 1));
            Assert.Equal(actual, SequenceReconstruction.Reconstruct(expected, low, bitCount));
        }
    }
}
