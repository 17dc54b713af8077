using TlsEngine.Buffers;
using Xunit;

namespace TlsEngine.Tests.Buffers;

/// <summary>No length prefix is ever written wrapped: a value that does not fit its field throws.</summary>
public class TlsWriterTests
{
    [Theory]
    [InlineData(1, 0xFF)]
    [InlineData(2, 0xFFFF)]
    [InlineData(3, 0xFFFFFF)]
    public void Length_scope_accepts_its_maximum(int prefixBytes, int max)
    {
        var writer = new TlsWriter();
        using (writer.PushLength(prefixBytes))
        {
            writer.WriteBytes(new byte[max]);
        }

        Assert.Equal(prefixBytes + max, writer.Length);
        Assert.All(writer.WrittenSpan.Slice(0, prefixBytes).ToArray(), b => Assert.Equal(0xFF, b));
    }

    [Theory]
    [InlineData(1, 0x100)]
    [InlineData(2, 0x10000)]
    [InlineData(3, 0x1000000)]
    public void Length_scope_refuses_one_byte_more_than_its_prefix_holds(int prefixBytes, int length)
    {
        var writer = new TlsWriter();
        Assert.Throws<InvalidOperationException>(() =>
        {
            using (writer.PushLength(prefixBytes))
            {
                writer.WriteBytes(new byte[length]);
            }
        });
    }

    [Fact]
    public void Vector8_refuses_256_bytes()
    {
        var writer = new TlsWriter();
        writer.WriteVector8(new byte[255]);
        Assert.Throws<InvalidOperationException>(() => writer.WriteVector8(new byte[256]));
    }

    [Fact]
    public void Vector16_refuses_65536_bytes()
    {
        var writer = new TlsWriter();
        writer.WriteVector16(new byte[0xFFFF]);
        Assert.Throws<InvalidOperationException>(() => writer.WriteVector16(new byte[0x10000]));
    }

    [Fact]
    public void Vector24_refuses_two_to_the_24_bytes()
    {
        var writer = new TlsWriter();
        Assert.Throws<InvalidOperationException>(() => writer.WriteVector24(new byte[1 << 24]));
    }

    [Theory]
    [InlineData(0x100, 0x10000, 0x1000000)]
    [InlineData(-1, -1, -1)]
    public void Integer_fields_refuse_values_that_do_not_fit(int u8, int u16, int u24)
    {
        var writer = new TlsWriter();
        Assert.Throws<InvalidOperationException>(() => writer.WriteU8(u8));
        Assert.Throws<InvalidOperationException>(() => writer.WriteU16(u16));
        Assert.Throws<InvalidOperationException>(() => writer.WriteU24(u24));
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void Nested_scopes_patch_each_prefix()
    {
        var writer = new TlsWriter(16);
        using (writer.PushLength(2))
        {
            using (writer.PushLength(1))
            {
                writer.WriteBytes(new byte[] { 7, 8, 9 });
            }
        }

        Assert.Equal(new byte[] { 0, 4, 3, 7, 8, 9 }, writer.ToArray());
    }

    [Fact]
    public void Growing_zeroes_the_storage_it_drops()
    {
        var writer = new TlsWriter(16);
        writer.WriteBytes(Enumerable.Repeat((byte)0xAA, 16).ToArray());
        byte[] before = (byte[])typeof(TlsWriter).GetField("_buffer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(writer)!;
        writer.WriteU8(1);
        Assert.All(before, b => Assert.Equal(0, b));
        Assert.Equal(17, writer.Length);
        Assert.Equal(0xAA, writer.WrittenSpan[15]);
    }
}
