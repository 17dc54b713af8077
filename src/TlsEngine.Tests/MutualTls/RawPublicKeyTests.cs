using TlsEngine;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.MutualTls;

/// <summary>
/// Raw public keys (RFC 7250) in both versions and both roles: the certificate types are negotiated,
/// the Certificate carries a SubjectPublicKeyInfo, CertificateVerify proves the key, and only pinned
/// keys are accepted.
/// </summary>
public class RawPublicKeyTests
{
    private static readonly TlsCertificateType[] RawOnly = { TlsCertificateType.RawPublicKey };

    public static TlsCertificateCredential RawKey(string keyType) =>
        TlsCertificateCredential.FromPrivateKeyPem(File.ReadAllText(TestPki.KeyPath(keyType)));

    /// <summary>A client that accepts only the server's raw key, pinned to <paramref name="pin"/>.</summary>
    private static TlsClientOptions RawClient(TlsVersion version, byte[] pin)
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = version;
        client.ServerName = null;
        client.PeerCertificateTypes = RawOnly.ToList();
        client.PinnedPeerPublicKeys = new List<byte[]> { pin };
        return client;
    }

    private static TlsServerOptions RawServer(string keyType = "ecdsa-p256")
    {
        TlsServerOptions server = Engines.Server();
        server.Certificate = null;
        server.CertificateTypes = RawOnly.ToList();
        server.RawPublicKey = RawKey(keyType);
        return server;
    }

    private static void AssertBothSee(TlsPair pair, TlsFailureReason reason, TlsAlertDescription alert, bool clientFails)
    {
        TlsConnection failing = clientFails ? pair.Client : pair.Server;
        TlsConnection other = clientFails ? pair.Server : pair.Client;
        Assert.Equal(reason, failing.LastError!.Reason);
        Assert.Equal(alert, failing.LastError.Alert);
        Assert.True(failing.LastError.AlertSent);
        // A TLS 1.3 client is done before the server judges its certificate: it meets the alert when it reads.
        pair.Pump();
        other.Read(new byte[16], out _);
        Assert.Equal(TlsErrorKind.PeerAlert, other.LastError!.Kind);
        Assert.Equal(alert, other.LastError.Alert);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, "ecdsa-p256")]
    [InlineData(TlsVersion.Tls13, "ed25519")]
    [InlineData(TlsVersion.Tls13, "rsa2048")]
    [InlineData(TlsVersion.Tls12, "ecdsa-p384")]
    [InlineData(TlsVersion.Tls12, "rsa2048")]
    public void Client_accepts_the_pinned_raw_key_of_a_server(TlsVersion version, string keyType)
    {
        TlsServerOptions server = RawServer(keyType);
        using TlsPair pair = Engines.Pair(RawClient(version, server.RawPublicKey!.RawPublicKey!), server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(version, pair.Client.Version);
        Assert.Equal(TlsCertificateType.RawPublicKey, pair.Client.ServerCertificateType);
        Assert.Equal(TlsCertificateType.RawPublicKey, pair.Server.ServerCertificateType);
        Assert.Equal(server.RawPublicKey.RawPublicKey, pair.Client.PeerRawPublicKey);
        Assert.Empty(pair.Client.PeerCertificates);
        Assert.NotNull(pair.Client.PeerSignatureScheme);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Server_accepts_the_pinned_raw_key_of_a_client(TlsVersion version)
    {
        TlsServerOptions server = RawServer();
        TlsCertificateCredential clientKey = RawKey("ed25519");
        server.ClientCertificateMode = TlsClientCertificateMode.Require;
        server.PeerCertificateTypes = RawOnly.ToList();
        server.PinnedPeerPublicKeys = new List<byte[]> { clientKey.RawPublicKey! };
        TlsClientOptions client = RawClient(version, server.RawPublicKey!.RawPublicKey!);
        client.CertificateTypes = RawOnly.ToList();
        client.RawPublicKey = version == TlsVersion.Tls12 ? RawKey("ecdsa-p256") : clientKey;
        if (version == TlsVersion.Tls12)
        {
            server.PinnedPeerPublicKeys = new List<byte[]> { client.RawPublicKey.RawPublicKey! };
        }

        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsCertificateType.RawPublicKey, pair.Server.ClientCertificateType);
        Assert.Equal(client.RawPublicKey.RawPublicKey, pair.Server.PeerRawPublicKey);
        Assert.NotNull(pair.Server.PeerSignatureScheme);
    }

    [Fact]
    public void A_server_with_both_types_presents_x509_to_a_client_that_offers_no_raw_key()
    {
        TlsServerOptions server = Engines.Server();
        server.CertificateTypes = new List<TlsCertificateType> { TlsCertificateType.RawPublicKey, TlsCertificateType.X509 };
        server.RawPublicKey = RawKey("ecdsa-p256");
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsCertificateType.X509, pair.Client.ServerCertificateType);
        Assert.Null(pair.Client.PeerRawPublicKey);
        Assert.NotEmpty(pair.Client.PeerCertificates);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Client_refuses_a_raw_key_that_is_not_pinned_with_bad_certificate(TlsVersion version)
    {
        using TlsPair pair = Engines.Pair(RawClient(version, RawKey("ed25519").RawPublicKey!), RawServer());
        Assert.False(pair.Handshake());
        AssertBothSee(pair, TlsFailureReason.RawPublicKeyNotPinned, TlsAlertDescription.BadCertificate, clientFails: true);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Server_refuses_a_client_raw_key_that_is_not_pinned_with_bad_certificate(TlsVersion version)
    {
        TlsServerOptions server = RawServer();
        server.ClientCertificateMode = TlsClientCertificateMode.Require;
        server.PeerCertificateTypes = RawOnly.ToList();
        server.PinnedPeerPublicKeys = new List<byte[]> { RawKey("rsa2048").RawPublicKey! };
        TlsClientOptions client = RawClient(version, server.RawPublicKey!.RawPublicKey!);
        client.CertificateTypes = RawOnly.ToList();
        client.RawPublicKey = RawKey("ecdsa-p256");
        using TlsPair pair = Engines.Pair(client, server);
        Assert.False(pair.Handshake());
        AssertBothSee(pair, TlsFailureReason.RawPublicKeyNotPinned, TlsAlertDescription.BadCertificate, clientFails: false);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Server_with_no_certificate_type_in_common_refuses_with_unsupported_certificate(TlsVersion version)
    {
        // The client accepts only raw keys; the server has only an X.509 chain.
        TlsClientOptions client = RawClient(version, RawKey("ecdsa-p256").RawPublicKey!);
        using var server = TlsConnection.CreateServer(Engines.Server());
        using var connection = TlsConnection.CreateClient(client);
        connection.Connect();
        server.Inbound.Write(connection.Outbound.ReadAll());
        Assert.Equal(TlsStatus.Failed, server.Accept());
        Assert.Equal(TlsFailureReason.CertificateTypeNotOffered, server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnsupportedCertificate, server.LastError.Alert);
        Assert.Equal((byte)TlsAlertDescription.UnsupportedCertificate, Wire.PlaintextAlert(server.Outbound.ReadAll()));
    }

    [Fact]
    public void Server_refuses_a_client_raw_key_type_it_does_not_accept()
    {
        TlsServerOptions server = Engines.Server();
        server.ClientCertificateMode = TlsClientCertificateMode.Require;
        server.ClientCertificateTrustAnchors = TestPki.Roots;
        TlsClientOptions client = Engines.Client();
        client.CertificateTypes = RawOnly.ToList();
        client.RawPublicKey = RawKey("ecdsa-p256");
        using TlsPair pair = Engines.Pair(client, server);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.CertificateTypeNotOffered, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnsupportedCertificate, pair.Server.LastError.Alert);
        Assert.Equal(TlsAlertDescription.UnsupportedCertificate, pair.Client.LastError!.Alert);
    }

    private static (TlsConnection Client, TlsStatus Status) Tls12ClientGets(TlsClientOptions options, params Extension[] answers)
    {
        var client = TlsConnection.CreateClient(options);
        client.Connect();
        client.Outbound.ReadAll();
        var hello = new ServerHello
        {
            Random = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(),
            CipherSuite = (ushort)TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            Extensions =
            {
                new Extension(ExtensionType.RenegotiationInfo, new byte[] { 0 }),
                new Extension(ExtensionType.ExtendedMasterSecret, Array.Empty<byte>()),
            },
        };
        hello.Extensions.AddRange(answers);
        client.Inbound.Write(Wire.Record(22, hello.Encode()));
        return (client, client.Connect());
    }

    public static IEnumerable<object[]> ServerChoices()
    {
        // (name, client accepts raw keys only, the server's server_certificate_type (null: none), reason, alert)
        yield return new object[] { "a raw key chosen when only X.509 was offered", false, new byte[] { 2 }, TlsFailureReason.UnsupportedExtension, TlsAlertDescription.UnsupportedExtension };
        yield return new object[] { "X.509 chosen when only raw keys were offered", true, new byte[] { 0 }, TlsFailureReason.CertificateTypeNotOffered, TlsAlertDescription.UnsupportedCertificate };
        yield return new object[] { "no answer when only raw keys were offered", true, null!, TlsFailureReason.CertificateTypeNotOffered, TlsAlertDescription.UnsupportedCertificate };
        yield return new object[] { "a two-byte answer", true, new byte[] { 2, 2 }, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError };
    }

    [Theory]
    [MemberData(nameof(ServerChoices))]
    public void Tls12_client_judges_the_server_certificate_type(string name, bool rawOnly, byte[]? answer, TlsFailureReason reason, TlsAlertDescription alert)
    {
        _ = name;
        TlsClientOptions options = rawOnly ? RawClient(TlsVersion.Tls13, RawKey("ecdsa-p256").RawPublicKey!) : Engines.Client();
        Extension[] answers = answer == null ? Array.Empty<Extension>() : new[] { new Extension(ExtensionType.ServerCertificateType, answer) };
        (TlsConnection client, TlsStatus status) = Tls12ClientGets(options, answers);
        using (client)
        {
            Assert.Equal(TlsStatus.Failed, status);
            Assert.Equal(reason, client.LastError!.Reason);
            Assert.Equal(alert, client.LastError.Alert);
            Assert.Equal((byte)alert, Wire.PlaintextAlert(client.Outbound.ReadAll()));
        }
    }

    [Fact]
    public void Options_need_a_raw_key_to_present_one()
    {
        TlsServerOptions server = Engines.Server();
        server.CertificateTypes = RawOnly.ToList();
        Assert.Equal(nameof(TlsOptions.RawPublicKey), Assert.Throws<ArgumentException>(() => TlsConnection.CreateServer(server)).ParamName);
        server.RawPublicKey = TestPki.Credential();
        Assert.Equal(nameof(TlsOptions.RawPublicKey), Assert.Throws<ArgumentException>(() => TlsConnection.CreateServer(server)).ParamName);
    }

    [Fact]
    public void Options_need_well_formed_pins_to_accept_raw_keys()
    {
        TlsClientOptions client = RawClient(TlsVersion.Tls13, RawKey("ecdsa-p256").RawPublicKey!);
        client.PinnedPeerPublicKeys = new List<byte[]>();
        Assert.Equal(nameof(TlsOptions.PinnedPeerPublicKeys), Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(client)).ParamName);
        client.PinnedPeerPublicKeys = new List<byte[]> { new byte[] { 0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF } };
        Assert.Equal(nameof(TlsOptions.PinnedPeerPublicKeys), Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(client)).ParamName);
    }

    [Fact]
    public void A_raw_key_credential_presents_the_key_of_its_private_key()
    {
        TlsCertificateCredential raw = RawKey("ecdsa-p256");
        Assert.True(raw.IsRawPublicKey);
        // The leaf certificate of the same key carries the same SubjectPublicKeyInfo.
        byte[] certificateKey = TlsTrustAnchors.ParseCertificates(File.ReadAllText(TestPki.CertPath("ecdsa-p256")), TlsEngine.Crypto.CryptoProviders.Default)[0].SubjectPublicKeyInfo;
        Assert.Equal(certificateKey, raw.RawPublicKey);
        Assert.Equal(certificateKey, TlsCertificateCredential.ReadPublicKeyPem(Pem("PUBLIC KEY", certificateKey)));
    }

    [Fact]
    public void A_raw_key_declaring_more_bytes_than_it_holds_is_refused_before_any_asn1_parsing()
    {
        // SEQUENCE of 1.4 GB inside 16 bytes: the bounded DER walk refuses it, BouncyCastle never sees it.
        byte[] hostile = { 0x30, 0x84, 0x55, 0x00, 0x00, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x01, 0x00 };
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(TlsEngine.Crypto.CryptoProviders.Default.ParsePublicKey(hostile));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    public static string Pem(string label, byte[] der) =>
        $"-----BEGIN {label}-----\n{Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks)}\n-----END {label}-----\n";

    [Fact]
    public void A_session_from_one_pinned_key_is_not_resumed_by_a_client_pinning_another()
    {
        TlsServerOptions server = RawServer();
        server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(7), new FixedTimeProvider(Engines.Now));
        var cache = new TlsSessionCache();
        TlsClientOptions first = RawClient(TlsVersion.Tls13, server.RawPublicKey!.RawPublicKey!);
        first.ServerName = "localhost";
        first.SessionCache = cache;
        using (TlsPair pair = Engines.Pair(first, server))
        {
            Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
            pair.Client.Read(new byte[16], out _);
            pair.Pump();
            pair.Client.Read(new byte[16], out _);
            Assert.NotEmpty(pair.Client.SessionTickets);
        }

        TlsClientOptions second = RawClient(TlsVersion.Tls13, RawKey("ecdsa-p384").RawPublicKey!);
        second.ServerName = "localhost";
        second.SessionCache = cache;
        using TlsPair other = Engines.Pair(second, server);

        Assert.False(other.Handshake());
        Assert.False(other.Client.IsResumed);
        Assert.Equal(TlsFailureReason.RawPublicKeyNotPinned, other.Client.LastError!.Reason);
    }
}
