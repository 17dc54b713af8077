using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.X509;

/// <summary>Each certificate failure ends the handshake with the alert RFC 8446 §6.2 names.</summary>
public class CertificateFailureTests
{
    private static void AssertClientRefuses(TlsPair pair, TlsAlertDescription alert)
    {
        Assert.False(pair.Handshake());
        TlsError error = pair.Client.LastError!;
        Assert.Equal(TlsErrorKind.Certificate, error.Kind);
        Assert.Equal(alert, error.Alert);
        Assert.True(error.AlertSent);
        Assert.Equal(TlsErrorKind.PeerAlert, pair.Server.LastError!.Kind);
        Assert.Equal(alert, pair.Server.LastError.Alert);
    }

    [Fact]
    public void Client_rejects_certificate_for_another_name_with_bad_certificate()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(serverName: "wrong.example"), Engines.Server());
        AssertClientRefuses(pair, TlsAlertDescription.BadCertificate);
        Assert.Contains("wrong.example", pair.Client.LastError!.Message);
    }

    [Fact]
    public void Client_rejects_certificate_from_untrusted_root_with_unknown_ca()
    {
        TlsServerOptions server = Engines.Server();
        server.Certificate = TlsCertificateCredential.FromPemFiles(TestPki.PathOf("untrusted.pem"), TestPki.PathOf("untrusted.key.pem"));
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        AssertClientRefuses(pair, TlsAlertDescription.UnknownCa);
    }

    [Fact]
    public void Client_rejects_expired_certificate_with_certificate_expired()
    {
        TlsClientOptions client = Engines.Client();
        client.TimeProvider = new FixedTimeProvider(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using TlsPair pair = Engines.Pair(client, Engines.Server());
        AssertClientRefuses(pair, TlsAlertDescription.CertificateExpired);
    }

    [Fact]
    public void Client_rejects_certificate_not_yet_valid()
    {
        TlsClientOptions client = Engines.Client();
        client.TimeProvider = new FixedTimeProvider(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using TlsPair pair = Engines.Pair(client, Engines.Server());
        // RFC 8446 §6.2: certificate_expired covers "expired or not currently valid".
        AssertClientRefuses(pair, TlsAlertDescription.CertificateExpired);
        Assert.Equal(TlsFailureReason.CertificateExpired, pair.Client.LastError!.Reason);
    }

    [Fact]
    public void Client_rejects_certificate_verify_made_with_another_key_with_decrypt_error()
    {
        TlsServerOptions server = Engines.Server();
        server.Certificate = TlsCertificateCredential.CreateUnchecked(
            File.ReadAllText(TestPki.CertPath("ecdsa-p256")), File.ReadAllText(TestPki.PathOf("othername.key.pem")));
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.DecryptError, pair.Client.LastError!.Alert);
        Assert.Equal(TlsAlertDescription.DecryptError, pair.Server.LastError!.Alert);
    }

    [Fact]
    public void Dangerous_option_accepts_any_certificate()
    {
        TlsClientOptions client = Engines.Client(serverName: "wrong.example");
        client.DangerousAcceptAnyServerCertificate = true;
        TlsServerOptions server = Engines.Server();
        server.Certificate = TlsCertificateCredential.FromPemFiles(TestPki.PathOf("untrusted.pem"), TestPki.PathOf("untrusted.key.pem"));
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake());
    }

    [Fact]
    public void Verification_is_on_by_default_against_the_machine_roots()
    {
        var client = new TlsClientOptions { ServerName = "localhost", Random = TlsRandom.FromSeed(1), TimeProvider = new FixedTimeProvider(Engines.Now) };
        using TlsPair pair = Engines.Pair(client, Engines.Server());
        AssertClientRefuses(pair, TlsAlertDescription.UnknownCa);
    }

    [Fact]
    public void Credential_refuses_a_key_that_does_not_belong_to_the_certificate()
    {
        Assert.Throws<ArgumentException>(() => TlsCertificateCredential.FromPemFiles(TestPki.CertPath("ecdsa-p256"), TestPki.PathOf("othername.key.pem")));
        Assert.Throws<ArgumentException>(() => TlsCertificateCredential.FromPemFiles(TestPki.CertPath("ecdsa-p256"), TestPki.KeyPath("rsa2048")));
    }
}
