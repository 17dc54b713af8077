using TlsEngine;
using TlsEngine.Crypto.BouncyCastle;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.X509;

/// <summary>
/// Certificates that break RFC 5280 encoding rules a validator must not read past (made by
/// TestData/pki/review/make.py): the peer's chain parser refuses them, so they end as CertificateMalformed.
/// </summary>
public class EncodingRuleTests
{
    private static byte[] Der(string name)
    {
        string pem = File.ReadAllText(Path.Combine(TestPki.PathOf("review"), name + ".pem"));
        int start = pem.IndexOf('\n') + 1;
        return Convert.FromBase64String(pem.Substring(start, pem.IndexOf("-----END", StringComparison.Ordinal) - start).Replace("\n", string.Empty));
    }

    [Theory]
    [InlineData("dup-critical-ext")] // §4.2: an extension at most once; critical then not must not hide the critical one
    [InlineData("dup-critical-ext-reversed")]
    [InlineData("dup-san")]
    [InlineData("v1-with-extensions")] // §4.1.2.9: extensions only in v3
    [InlineData("v2-with-extensions")]
    public void Peer_certificate_breaking_an_encoding_rule_is_not_parsed(string name)
    {
        Assert.Null(new BcCryptoProvider().ParseCertificate(Der(name)));
    }

    [Fact]
    public void The_control_certificate_parses()
    {
        Assert.NotNull(new BcCryptoProvider().ParseCertificate(Der("good")));
    }
}
