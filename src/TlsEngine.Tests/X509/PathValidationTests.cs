using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Support.PathPki;

namespace TlsEngine.Tests.X509;

/// <summary>
/// RFC 5280 path rules other than name constraints, each with a certificate that breaks the rule
/// and one that keeps it (TestData/pki/paths).
/// </summary>
public class PathValidationTests
{
    // ---- Critical extensions (RFC 5280 §4.2) ----

    [Fact]
    public void Client_rejects_leaf_with_unknown_critical_extension()
    {
        using TlsPair pair = ServerPresenting("critical-ext-leaf");
        AssertClientRefuses(pair, TlsFailureReason.CertificateUnhandledCriticalExtension);
    }

    [Fact]
    public void Client_rejects_intermediate_with_unknown_critical_extension()
    {
        using TlsPair pair = ServerPresenting("critical-ext-int-leaf");
        AssertClientRefuses(pair, TlsFailureReason.CertificateUnhandledCriticalExtension);
    }

    [Fact]
    public void Client_rejects_critical_certificate_policies_it_does_not_process()
    {
        using TlsPair pair = ServerPresenting("critical-policies-leaf");
        AssertClientRefuses(pair, TlsFailureReason.CertificateUnhandledCriticalExtension);
    }

    [Fact]
    public void Client_accepts_unknown_extension_and_certificate_policies_when_not_critical()
    {
        using TlsPair pair = ServerPresenting("noncritical-ext-leaf");
        AssertCompletes(pair);
    }

    // ---- Path length (RFC 5280 §4.2.1.9) ----

    [Fact]
    public void Client_rejects_intermediate_under_anchor_with_path_length_zero()
    {
        using TlsPair pair = ServerPresenting("pathlen0-int-leaf", Root("pathlen0-root"));
        AssertClientRefuses(pair, TlsFailureReason.CertificateNotAllowed);
    }

    [Fact]
    public void Client_accepts_leaf_directly_under_anchor_with_path_length_zero()
    {
        using TlsPair pair = ServerPresenting("pathlen0-leaf", Root("pathlen0-root"));
        AssertCompletes(pair);
    }

    [Fact]
    public void Self_issued_intermediate_does_not_count_toward_path_length()
    {
        // Anchor pathlen:1 over "Rollover CA" (old key) over "Rollover CA" (new key, self-issued) over the leaf.
        using TlsPair pair = ServerPresenting("rollover-leaf", Root("pathlen1-root"));
        AssertCompletes(pair);
    }

    // ---- Weak keys and signature algorithms ----

    [Theory]
    [InlineData("rsa1024-leaf", TlsVersion.Tls13)]
    [InlineData("rsa1024-leaf", TlsVersion.Tls12)]
    [InlineData("rsa1024-int-leaf", TlsVersion.Tls13)]
    [InlineData("secp256k1-int-leaf", TlsVersion.Tls13)]
    [InlineData("sha1-leaf", TlsVersion.Tls13)]
    [InlineData("sha1-leaf", TlsVersion.Tls12)]
    [InlineData("md5-leaf", TlsVersion.Tls13)]
    [InlineData("pss-sha1-leaf", TlsVersion.Tls13)]
    public void Client_rejects_weak_key_or_signature_in_path(string name, TlsVersion version)
    {
        using TlsPair pair = ServerPresenting(name, version: version);
        AssertClientRefuses(pair, TlsFailureReason.CertificateWeakCrypto);
        if (version == TlsVersion.Tls12)
        {
            // The certificate travels in plaintext in TLS 1.2, and so does the alert.
            Assert.Equal((byte)TlsAlertDescription.BadCertificate, Wire.PlaintextAlert(pair.ClientToServer));
        }
    }

    [Theory]
    [InlineData("rsa-int-leaf")]
    [InlineData("pss-leaf")]
    [InlineData("noncritical-ext-leaf")]
    public void Client_accepts_rsa_2048_and_p256_keys_signed_with_sha256(string name)
    {
        using TlsPair pair = ServerPresenting(name);
        AssertCompletes(pair);
    }

    [Fact]
    public void Server_rejects_client_certificate_with_rsa_1024_key()
    {
        using TlsPair pair = ClientPresenting("rsa1024-leaf");
        AssertServerRefuses(pair, TlsFailureReason.CertificateWeakCrypto);
    }

    // ---- Key usage, extended key usage, basic constraints ----

    [Fact]
    public void Client_rejects_leaf_whose_key_usage_excludes_digital_signature()
    {
        using TlsPair pair = ServerPresenting("ku-no-signature-leaf");
        AssertClientRefuses(pair, TlsFailureReason.CertificateNotAllowed);
    }

    [Fact]
    public void Client_rejects_server_certificate_for_client_auth_only()
    {
        using TlsPair pair = ServerPresenting("eku-client-leaf");
        AssertClientRefuses(pair, TlsFailureReason.CertificateNotAllowed);
    }

    [Fact]
    public void Server_rejects_client_certificate_for_server_auth_only()
    {
        using TlsPair pair = ClientPresenting("eku-server-leaf");
        AssertServerRefuses(pair, TlsFailureReason.CertificateNotAllowed);
    }

    [Fact]
    public void Server_accepts_client_certificate_for_client_auth()
    {
        using TlsPair pair = ClientPresenting("eku-client-leaf");
        AssertCompletes(pair);
    }

    [Fact]
    public void Client_rejects_intermediate_whose_extended_key_usage_excludes_server_auth()
    {
        using TlsPair pair = ServerPresenting("eku-client-int-leaf");
        AssertClientRefuses(pair, TlsFailureReason.CertificateNotAllowed);
    }

    [Fact]
    public void Server_accepts_client_certificate_under_client_auth_intermediate()
    {
        using TlsPair pair = ClientPresenting("eku-client-int-leaf");
        AssertCompletes(pair);
    }

    [Theory]
    [InlineData("no-certsign-int-leaf")]
    [InlineData("not-ca-int-leaf")]
    public void Client_rejects_issuer_that_may_not_sign_certificates(string name)
    {
        using TlsPair pair = ServerPresenting(name);
        AssertClientRefuses(pair, TlsFailureReason.CertificateNotAllowed);
    }
}
