using TlsEngine.Crypto;
using TlsEngine.Tests.Support;
using TlsEngine.X509;
using Xunit;

namespace TlsEngine.Tests.X509;

public class HostNameMatcherTests
{
    // The test leaf's SANs: DNS:localhost, DNS:*.test.example, IP:127.0.0.1.
    private static readonly ICertificate Leaf = TestPki.Credential().Chain[0];

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("localhost.", true)]
    [InlineData("api.test.example", true)]
    [InlineData("API.Test.Example", true)]
    [InlineData("test.example", false)]
    [InlineData("a.b.test.example", false)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::1", false)]
    [InlineData("localhost (ecdsa-p256)", false)]
    public void Names_match_only_subject_alternative_names(string name, bool expected)
    {
        Assert.Equal(expected, HostNameMatcher.Matches(Leaf, name));
    }
}
