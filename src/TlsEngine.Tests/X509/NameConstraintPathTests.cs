using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Support.PathPki;

namespace TlsEngine.Tests.X509;

/// <summary>RFC 5280 §4.2.1.10 name constraints of intermediates and anchors, through handshakes (TestData/pki/paths).</summary>
public class NameConstraintPathTests
{
    [Theory]
    // Intermediate: permitted DNS:example.org, IP:127.0.0.0/8.
    [InlineData("nc-permit-localhost", "localhost")]
    [InlineData("nc-permit-lookalike", "badexample.org")]
    [InlineData("nc-permit-ip-outside", "www.example.org")]
    // Intermediate: excluded DNS:bad.example.org, IP:10.0.0.0/8, IP:fd00::/8.
    [InlineData("nc-exclude-inside", "good.example.org")]
    [InlineData("nc-exclude-wildcard", "good.example.org")]
    [InlineData("nc-exclude-ip", "good.example.org")]
    [InlineData("nc-exclude-ipv6", "good.example.org")]
    // Intermediate: permitted DNS:.example.org (subdomains only).
    [InlineData("nc-dot-apex", "example.org")]
    // Intermediate: permitted IP:2001:db8::/32 only, so an IPv4 address is outside too.
    [InlineData("nc-ipv6-outside", "localhost")]
    [InlineData("nc-ipv6-v4", "localhost")]
    // Constraints of forms that are not processed, where the leaf presents that form.
    [InlineData("nc-email-present", "localhost")]
    [InlineData("nc-dirname-leaf", "localhost")]
    public void Client_rejects_leaf_outside_an_intermediates_name_constraints(string name, string serverName)
    {
        using TlsPair pair = ServerPresenting(name, serverName: serverName);
        AssertClientRefuses(pair, TlsFailureReason.CertificateNameConstraintViolation);
    }

    [Theory]
    [InlineData("nc-permit-inside", "www.example.org")]
    [InlineData("nc-permit-inside", "example.org")]
    [InlineData("nc-exclude-outside", "notbad.example.org")]
    [InlineData("nc-dot-sub", "www.example.org")]
    [InlineData("nc-ipv6-inside", "localhost")]
    [InlineData("nc-email-absent", "localhost")]
    public void Client_accepts_leaf_within_an_intermediates_name_constraints(string name, string serverName)
    {
        using TlsPair pair = ServerPresenting(name, serverName: serverName);
        AssertCompletes(pair);
    }

    [Fact]
    public void Client_rejects_leaf_outside_the_anchors_name_constraints()
    {
        using TlsPair pair = ServerPresenting("nc-root-localhost", Root("nc-root"));
        AssertClientRefuses(pair, TlsFailureReason.CertificateNameConstraintViolation);
    }

    [Fact]
    public void Client_accepts_leaf_within_the_anchors_name_constraints()
    {
        using TlsPair pair = ServerPresenting("nc-root-inside", Root("nc-root"), serverName: "www.example.org");
        AssertCompletes(pair);
    }
}
