using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.X509;

/// <summary>
/// What a client does with ServerName: a host name is sent as SNI and matched; an IP literal is
/// matched against the iPAddress SAN and not sent (RFC 6066 §3); no name is refused at creation
/// unless the name check is explicitly skipped.
/// </summary>
public class ServerNameTests
{
    private static TlsServerOptions OtherNameServer()
    {
        TlsServerOptions server = Engines.Server();
        server.Certificate = TlsCertificateCredential.FromPemFiles(TestPki.PathOf("othername.pem"), TestPki.PathOf("othername.key.pem"));
        return server;
    }

    private static void AssertRefused(string? serverName)
    {
        TlsClientOptions options = Engines.Client();
        options.ServerName = serverName;
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => TlsConnection.CreateClient(options).Dispose());
        Assert.Equal(nameof(TlsClientOptions.ServerName), error.ParamName);
    }

    [Fact]
    public void Client_creation_refuses_no_server_name_when_verifying_certificates() => AssertRefused(null);

    [Fact]
    public void Client_creation_refuses_no_server_name_with_delegated_validation()
    {
        TlsClientOptions options = Engines.Client();
        options.ServerName = null;
        options.DelegateCertificateValidation = true;
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => TlsConnection.CreateClient(options).Dispose());
        Assert.Equal(nameof(TlsClientOptions.ServerName), error.ParamName);
    }

    [Fact]
    public void Client_creation_allows_no_server_name_when_accepting_any_certificate()
    {
        TlsClientOptions options = Engines.Client();
        options.ServerName = null;
        options.DangerousAcceptAnyServerCertificate = true;
        using TlsPair pair = Engines.Pair(options, OtherNameServer());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
    }

    [Fact]
    public void Client_without_name_and_skipped_name_check_accepts_a_certificate_for_another_name()
    {
        TlsClientOptions options = Engines.Client();
        options.ServerName = null;
        options.DangerousSkipHostNameCheck = true;
        using TlsPair pair = Engines.Pair(options, OtherNameServer());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        Assert.Null(pair.Server.ServerName);
    }

    [Fact]
    public void Skipped_name_check_still_sends_sni_and_accepts_another_name()
    {
        TlsClientOptions options = Engines.Client(serverName: "localhost");
        options.DangerousSkipHostNameCheck = true;
        using TlsPair pair = Engines.Pair(options, OtherNameServer());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        Assert.Equal("localhost", pair.Server.ServerName);
    }

    [Fact]
    public void Skipped_name_check_still_verifies_the_chain()
    {
        TlsClientOptions options = Engines.Client();
        options.ServerName = null;
        options.DangerousSkipHostNameCheck = true;
        TlsServerOptions server = Engines.Server();
        server.Certificate = TlsCertificateCredential.FromPemFiles(TestPki.PathOf("untrusted.pem"), TestPki.PathOf("untrusted.key.pem"));
        using TlsPair pair = Engines.Pair(options, server);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificateUnknownIssuer, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnknownCa, pair.Server.LastError!.Alert);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Client_with_name_refuses_certificate_for_another_name_with_bad_certificate(TlsVersion version)
    {
        TlsClientOptions options = Engines.Client(serverName: "localhost");
        options.MaxVersion = version;
        using TlsPair pair = Engines.Pair(options, OtherNameServer());
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificateNameMismatch, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.BadCertificate, pair.Client.LastError.Alert);
        Assert.True(pair.Client.LastError.AlertSent);
        Assert.Equal(TlsErrorKind.PeerAlert, pair.Server.LastError!.Kind);
        Assert.Equal(TlsAlertDescription.BadCertificate, pair.Server.LastError.Alert);
    }

    [Fact]
    public void Delegated_verdict_includes_the_name_check()
    {
        TlsClientOptions options = Engines.Client(serverName: "localhost");
        options.DelegateCertificateValidation = true;
        using TlsPair pair = Engines.Pair(options, OtherNameServer());
        TlsStatus status = TlsStatus.WantRead;
        for (int i = 0; i < 20 && status != TlsStatus.WantCertificateValidation; i++)
        {
            status = pair.Client.Connect();
            pair.Pump();
            pair.Server.Accept();
            pair.Pump();
        }

        Assert.Equal(TlsStatus.WantCertificateValidation, status);
        Assert.Equal(TlsFailureReason.CertificateNameMismatch, pair.Client.PendingCertificateVerdict!.Reason);
    }

    [Fact]
    public void Changing_server_name_after_creation_does_not_change_the_check()
    {
        TlsClientOptions options = Engines.Client(serverName: "localhost");
        using TlsPair pair = Engines.Pair(options, OtherNameServer());
        options.ServerName = "other.example";
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificateNameMismatch, pair.Client.LastError!.Reason);
    }

    [Fact]
    public void Fully_qualified_name_is_sent_without_its_trailing_dot_and_matches()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(serverName: "api.test.example."), Engines.Server());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        Assert.Equal("api.test.example", pair.Server.ServerName);
    }

    [Fact]
    public void Ip_literal_that_the_certificate_does_not_list_is_refused()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(serverName: "127.0.0.2"), Engines.Server());
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificateNameMismatch, pair.Client.LastError!.Reason);
        Assert.Null(pair.Server.ServerName);
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void Ipv6_literal_is_not_sent_as_sni_and_is_matched_against_ip_sans(string name)
    {
        // The test certificate lists 127.0.0.1 only: the address is checked, not ignored.
        using TlsPair pair = Engines.Pair(Engines.Client(serverName: name), Engines.Server());
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificateNameMismatch, pair.Client.LastError!.Reason);
        Assert.Null(pair.Server.ServerName);
    }

    [Fact]
    public void Client_creation_accepts_a_name_of_253_characters()
    {
        string name = string.Join(".", Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);
        Assert.Equal(253, name.Length);
        TlsClientOptions options = Engines.Client(serverName: name);
        TlsConnection.CreateClient(options).Dispose();
        options.ServerName = name + ".";
        TlsConnection.CreateClient(options).Dispose();
    }

    [Fact]
    public void Client_creation_refuses_server_name_over_253_characters() =>
        AssertRefused(string.Join(".", Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 62));

    [Fact]
    public void Client_creation_refuses_server_name_label_over_63_characters() => AssertRefused(new string('a', 64) + ".example");

    [Theory]
    [InlineData("[::1]:443")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[fe80::1%25eth0]")]
    public void Client_creation_refuses_an_ipv6_literal_with_a_port_or_scope(string name) => AssertRefused(name);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..example")]
    [InlineData(".example")]
    [InlineData("example..")]
    public void Client_creation_refuses_server_name_with_an_empty_label(string name) => AssertRefused(name);

    [Theory]
    [InlineData("-a.example")]
    [InlineData("a-.example")]
    public void Client_creation_refuses_server_name_label_with_edge_hyphen(string name) => AssertRefused(name);

    [Theory]
    [InlineData("under_score.example")]
    [InlineData("sp ace.example")]
    [InlineData("*.example")]
    [InlineData("host:443")]
    [InlineData("bücher.example")]
    public void Client_creation_refuses_server_name_outside_letters_digits_and_hyphens(string name) => AssertRefused(name);

    [Theory]
    [InlineData("127.1")]
    [InlineData("010.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.0.0.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("12345")]
    public void Client_creation_refuses_names_that_read_as_non_canonical_ip_addresses(string name) => AssertRefused(name);

    [Fact]
    public void Client_creation_accepts_an_internationalized_name_in_a_label_form()
    {
        TlsConnection.CreateClient(Engines.Client(serverName: new System.Globalization.IdnMapping().GetAscii("bücher.example"))).Dispose();
    }
}
