using TlsEngine.X509;
using Xunit;

namespace TlsEngine.Tests.X509;

/// <summary>The dNSName and iPAddress subtree rules of RFC 5280 §4.2.1.10, one case per boundary.</summary>
public class NameConstraintMatchingTests
{
    [Theory]
    [InlineData("example.org", "example.org", true)]
    [InlineData("www.example.org", "example.org", true)]
    [InlineData("a.b.example.org", "example.org", true)]
    [InlineData("WWW.Example.ORG", "example.org", true)]
    [InlineData("www.example.org.", "example.org", true)]
    [InlineData("badexample.org", "example.org", false)]
    [InlineData("example.org.evil", "example.org", false)]
    [InlineData("org", "example.org", false)]
    [InlineData("example.org", ".example.org", false)]
    [InlineData("www.example.org", ".example.org", true)]
    [InlineData("wwwexample.org", ".example.org", false)]
    [InlineData("anything.at.all", "", true)]
    [InlineData("*.example.org", "example.org", true)]
    [InlineData("*.example.org", ".example.org", true)]
    [InlineData("*.example.org", "www.example.org", false)]
    [InlineData("*.org", "example.org", false)]
    public void Dns_permitted_subtree(string name, string constraint, bool permitted) =>
        Assert.Equal(permitted, DnsConstraint.Permits(name, constraint));

    [Theory]
    [InlineData("bad.example.org", "bad.example.org", true)]
    [InlineData("www.bad.example.org", "bad.example.org", true)]
    [InlineData("notbad.example.org", "bad.example.org", false)]
    [InlineData("good.example.org", "bad.example.org", false)]
    [InlineData("*.example.org", "bad.example.org", true)]
    [InlineData("*.example.org", "www.bad.example.org", false)]
    [InlineData("*.bad.example.org", "bad.example.org", true)]
    [InlineData("*.good.example.org", "bad.example.org", false)]
    [InlineData("*.example.org", ".example.org", true)]
    [InlineData("*.example.org", ".bad.example.org", false)]
    [InlineData("BAD.example.org.", "bad.example.org", true)]
    public void Dns_excluded_subtree(string name, string constraint, bool excluded) =>
        Assert.Equal(excluded, DnsConstraint.MayReach(name, constraint));

    [Theory]
    [InlineData(new byte[] { 10, 1, 2, 3 }, new byte[] { 10, 0, 0, 0, 255, 0, 0, 0 }, true)]
    [InlineData(new byte[] { 11, 1, 2, 3 }, new byte[] { 10, 0, 0, 0, 255, 0, 0, 0 }, false)]
    [InlineData(new byte[] { 192, 168, 1, 7 }, new byte[] { 192, 168, 1, 0, 255, 255, 255, 0 }, true)]
    [InlineData(new byte[] { 192, 168, 2, 7 }, new byte[] { 192, 168, 1, 0, 255, 255, 255, 0 }, false)]
    [InlineData(new byte[] { 1, 2, 3, 4 }, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 }, true)]
    public void Ipv4_subtree(byte[] address, byte[] constraint, bool within) =>
        Assert.Equal(within, IpConstraint.Contains(constraint, address));

    [Fact]
    public void Ipv6_subtree_matches_by_prefix_and_never_across_families()
    {
        byte[] constraint = new byte[32];
        constraint[0] = 0x20;
        constraint[1] = 0x01;
        constraint[2] = 0x0d;
        constraint[3] = 0xb8;
        for (int i = 16; i < 20; i++)
        {
            constraint[i] = 0xff;
        }

        byte[] inside = new byte[16];
        constraint.AsSpan(0, 4).CopyTo(inside);
        inside[15] = 1;
        byte[] outside = (byte[])inside.Clone();
        outside[3] = 0xb9;
        Assert.True(IpConstraint.IsWellFormed(constraint));
        Assert.True(IpConstraint.Contains(constraint, inside));
        Assert.False(IpConstraint.Contains(constraint, outside));
        Assert.False(IpConstraint.Contains(constraint, new byte[] { 32, 1, 13, 184 }));
    }

    [Theory]
    [InlineData(new byte[] { 10, 0, 0, 0, 255, 0, 0, 0 }, true)]
    [InlineData(new byte[] { 10, 0, 0, 0, 255, 0, 255, 0 }, false)]
    [InlineData(new byte[] { 10, 0, 0, 0, 254, 255, 0, 0 }, false)]
    [InlineData(new byte[] { 10, 0, 0, 0 }, false)]
    public void Ip_constraint_needs_a_contiguous_mask_of_its_family(byte[] constraint, bool wellFormed) =>
        Assert.Equal(wellFormed, IpConstraint.IsWellFormed(constraint));
}
