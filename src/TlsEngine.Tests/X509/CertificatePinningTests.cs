using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.X509;

/// <summary>SHA-256 SubjectPublicKeyInfo pins ("sha256/BASE64"), checked after the chain is valid, met by any certificate of the verified chain.</summary>
public class CertificatePinningTests
{
    private static string PinOf(string pemPath)
    {
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        return "sha256/" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    private static TlsClientOptions Pinned(TlsVersion version, params string[] pins)
    {
        TlsClientOptions client = Engines.Client();
        client.MinVersion = client.MaxVersion = version;
        client.CertificatePins = pins.ToList();
        return client;
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Client_accepts_a_server_whose_leaf_key_is_pinned(TlsVersion version)
    {
        using TlsPair pair = Engines.Pair(Pinned(version, "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", PinOf(TestPki.CertPath("ecdsa-p256"))), Engines.Server());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
    }

    [Fact]
    public void Client_accepts_a_pin_of_the_trust_anchor()
    {
        using TlsPair pair = Engines.Pair(Pinned(TlsVersion.Tls13, PinOf(TestPki.CaPath)), Engines.Server());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
    }

    [Fact]
    public void Client_refuses_a_tls12_server_whose_chain_has_no_pinned_key_with_bad_certificate()
    {
        using TlsPair pair = Engines.Pair(Pinned(TlsVersion.Tls12, PinOf(TestPki.CertPath("rsa2048"))), Engines.Server());
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificatePinMismatch, pair.Client.LastError!.Reason);
        Assert.Equal(TlsErrorKind.Certificate, pair.Client.LastError.Kind);
        Assert.Equal((byte)TlsAlertDescription.BadCertificate, Wire.PlaintextAlert(pair.ClientToServer));
        Assert.Contains(PinOf(TestPki.CertPath("ecdsa-p256")), pair.Client.LastError.Message);
    }

    [Fact]
    public void Client_refuses_a_tls13_server_whose_chain_has_no_pinned_key_with_bad_certificate()
    {
        using TlsPair pair = Engines.Pair(Pinned(TlsVersion.Tls13, PinOf(TestPki.CertPath("rsa2048"))), Engines.Server());
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificatePinMismatch, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.BadCertificate, pair.Client.LastError.Alert);
        Assert.True(pair.Client.LastError.AlertSent);
        // The alert went out under the handshake keys; the server read it.
        Assert.Equal(TlsErrorKind.PeerAlert, pair.Server.LastError!.Kind);
        Assert.Equal(TlsAlertDescription.BadCertificate, pair.Server.LastError.Alert);
    }

    [Fact]
    public void Pin_is_checked_only_after_the_path_is_valid()
    {
        // The leaf is pinned, but the roots do not vouch for it: the path failure comes first.
        TlsClientOptions client = Pinned(TlsVersion.Tls13, PinOf(TestPki.CertPath("ecdsa-p256")));
        client.TrustAnchors = TlsTrustAnchors.FromPemFile(TestPki.PathOf("rogue-ca.pem"));
        using TlsPair pair = Engines.Pair(client, Engines.Server());
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificateUnknownIssuer, pair.Client.LastError!.Reason);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Server_refuses_a_client_certificate_without_a_pinned_key(TlsVersion version)
    {
        TlsClientOptions client = Engines.Client();
        client.MinVersion = client.MaxVersion = version;
        client.ClientCertificate = TestPki.Credential("ecdsa-p256");
        TlsServerOptions server = Engines.Server();
        server.ClientCertificateMode = TlsClientCertificateMode.Require;
        server.ClientCertificateTrustAnchors = TestPki.Roots;
        server.ClientCertificatePins = new List<string> { PinOf(TestPki.CertPath("rsa2048")) };
        using TlsPair pair = Engines.Pair(client, server);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificatePinMismatch, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.BadCertificate, pair.Server.LastError.Alert);

        server.ClientCertificatePins = new List<string> { PinOf(TestPki.CertPath("ecdsa-p256")) };
        using TlsPair pinned = Engines.Pair(client, server);
        Assert.True(pinned.Handshake(), $"{pinned.Client.LastError} / {pinned.Server.LastError}");
    }

    [Theory]
    [InlineData("sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("sha256/not base64")]
    [InlineData("sha256/AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Malformed_pins_are_refused_at_creation(string pin)
    {
        Assert.Equal(nameof(TlsClientOptions.CertificatePins), Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(Pinned(TlsVersion.Tls13, pin))).ParamName);
        TlsServerOptions server = Engines.Server();
        server.ClientCertificatePins = new List<string> { pin };
        Assert.Equal(nameof(TlsServerOptions.ClientCertificatePins), Assert.Throws<ArgumentException>(() => TlsConnection.CreateServer(server)).ParamName);
    }

    [Fact]
    public void Pins_are_refused_with_a_client_that_accepts_any_certificate()
    {
        TlsClientOptions client = Pinned(TlsVersion.Tls13, PinOf(TestPki.CaPath));
        client.DangerousAcceptAnyServerCertificate = true;
        Assert.Equal(nameof(TlsClientOptions.CertificatePins), Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(client)).ParamName);
    }

    [Fact]
    public void Session_from_an_unpinned_connection_is_not_resumed_by_a_pinned_client()
    {
        var cache = new TlsSessionCache();
        TlsServerOptions server = Engines.Server();
        server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(3), new FixedTimeProvider(Engines.Now));
        TlsClientOptions plain = Engines.Client();
        plain.SessionCache = cache;
        using (TlsPair first = Engines.Pair(plain, server))
        {
            Assert.True(first.Handshake());
            first.Client.Read(new byte[16], out _);
        }

        TlsClientOptions pinned = Pinned(TlsVersion.Tls13, PinOf(TestPki.CertPath("rsa2048")));
        pinned.SessionCache = cache;
        using TlsPair second = Engines.Pair(pinned, server);
        Assert.False(second.Handshake());
        Assert.Equal(TlsFailureReason.CertificatePinMismatch, second.Client.LastError!.Reason);
    }
}
