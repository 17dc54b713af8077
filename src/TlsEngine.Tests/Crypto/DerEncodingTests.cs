using TlsEngine.Crypto;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Crypto;

/// <summary>The DER walk that every untrusted encoding passes before BouncyCastle reads it.</summary>
public class DerEncodingTests
{
    [Theory]
    [InlineData("3000")]
    [InlineData("300602012a0401ff")]
    [InlineData("3003020101")]
    [InlineData("a00430020500")]
    public void Accepts_well_formed_der(string hex) => Assert.True(DerEncoding.IsWellFormed(Hex.Parse(hex)));

    [Fact]
    public void Accepts_the_long_form_from_128_up()
    {
        byte[] octets = new byte[3 + 128];
        octets[0] = 0x04;
        octets[1] = 0x81;
        octets[2] = 0x80;
        Assert.True(DerEncoding.IsWellFormed(octets));
        Assert.False(DerEncoding.IsWellFormed(octets.AsSpan(0, octets.Length - 1)));
        octets[2] = 0x7f;
        Assert.False(DerEncoding.IsWellFormed(octets.AsSpan(0, octets.Length - 1)));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("30", "no length")]
    [InlineData("3001", "length beyond the input")]
    [InlineData("3003020201", "nested length beyond its container")]
    [InlineData("0482000100", "length in more octets than needed")]
    [InlineData("04810100", "long form for a length under 128")]
    [InlineData("30800000", "indefinite length")]
    [InlineData("308500000000010000", "length of five octets")]
    [InlineData("3000 3000", "two elements where one is expected")]
    [InlineData("300001", "trailing byte")]
    [InlineData("2403040100", "constructed OCTET STRING")]
    [InlineData("1000", "primitive SEQUENCE")]
    [InlineData("0000", "end-of-contents tag")]
    [InlineData("308458744fb9", "the fuzz finding's 1.48 GB length")]
    public void Refuses_malformed_der(string hex, string why)
    {
        Assert.False(DerEncoding.IsWellFormed(Hex.Parse(hex.Replace(" ", string.Empty))), why);
    }

    [Fact]
    public void Refuses_nesting_deeper_than_the_cap_without_recursing()
    {
        Assert.True(DerEncoding.IsWellFormed(Nested(DerEncoding.MaxDepth)));
        Assert.False(DerEncoding.IsWellFormed(Nested(DerEncoding.MaxDepth + 1)));
        Assert.False(DerEncoding.IsWellFormed(Nested(1000)));
    }

    private static byte[] Nested(int depth)
    {
        // depth SEQUENCEs, each holding the next, innermost empty.
        byte[] inner = { 0x30, 0x00 };
        for (int i = 1; i < depth; i++)
        {
            int length = inner.Length;
            byte[] header = length < 0x80 ? new byte[] { 0x30, (byte)length }
                : length < 0x100 ? new byte[] { 0x30, 0x81, (byte)length }
                : length < 0x10000 ? new byte[] { 0x30, 0x82, (byte)(length >> 8), (byte)length }
                : new byte[] { 0x30, 0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length };
            inner = header.Concat(inner).ToArray();
        }

        return inner;
    }
}
