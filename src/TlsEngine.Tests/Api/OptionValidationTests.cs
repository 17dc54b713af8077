using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>
/// Options are checked when the connection is created: each rule refuses with an
/// ArgumentException whose ParamName is the option, so nothing malformed reaches the wire.
/// </summary>
public class OptionValidationTests
{
    private static void AssertClientRefused(TlsClientOptions options, string option)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => TlsConnection.CreateClient(options).Dispose());
        Assert.Equal(option, error.ParamName);
    }

    private static void AssertServerRefused(TlsServerOptions options, string option)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => TlsConnection.CreateServer(options).Dispose());
        Assert.Equal(option, error.ParamName);
    }

    private static TlsClientOptions Client(Action<TlsClientOptions> configure)
    {
        TlsClientOptions options = Engines.Client();
        configure(options);
        return options;
    }

    private static TlsServerOptions Server(Action<TlsServerOptions> configure)
    {
        TlsServerOptions options = Engines.Server();
        configure(options);
        return options;
    }

    private static List<string> Names(int count, int length) =>
        Enumerable.Range(0, count).Select(i => i.ToString("D5") + new string('p', length - 5)).ToList();

    [Fact]
    public void Client_creation_refuses_alpn_name_over_255_bytes() =>
        AssertClientRefused(Client(o => o.ApplicationProtocols = new List<string> { new('a', 300) }), nameof(TlsOptions.ApplicationProtocols));

    [Fact]
    public void Client_creation_refuses_alpn_name_of_256_utf8_bytes() =>
        AssertClientRefused(Client(o => o.ApplicationProtocols = new List<string> { new string('a', 254) + "é" }), nameof(TlsOptions.ApplicationProtocols));

    [Fact]
    public void Client_creation_accepts_alpn_name_of_255_bytes()
    {
        using TlsPair pair = Engines.Pair(Client(o => o.ApplicationProtocols = new List<string> { new('a', 255) }), Server(o => o.ApplicationProtocols = new List<string> { new('a', 255) }));
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        Assert.Equal(new string('a', 255), pair.Client.ApplicationProtocol);
    }

    [Fact]
    public void Client_creation_refuses_empty_alpn_name() =>
        AssertClientRefused(Client(o => o.ApplicationProtocols = new List<string> { "h2", "" }), nameof(TlsOptions.ApplicationProtocols));

    [Fact]
    public void Client_creation_refuses_alpn_name_listed_twice() =>
        AssertClientRefused(Client(o => o.ApplicationProtocols = new List<string> { "h2", "h2" }), nameof(TlsOptions.ApplicationProtocols));

    [Fact]
    public void Client_creation_refuses_alpn_list_over_65535_bytes() =>
        AssertClientRefused(Client(o => o.ApplicationProtocols = Names(257, 255)), nameof(TlsOptions.ApplicationProtocols));

    [Fact]
    public void Server_creation_refuses_alpn_list_over_65535_bytes() =>
        AssertServerRefused(Server(o => o.ApplicationProtocols = Names(257, 255)), nameof(TlsOptions.ApplicationProtocols));

    [Fact]
    public void Client_creation_refuses_alpn_list_that_leaves_no_room_in_the_client_hello()
    {
        // 200 names of 255 bytes fit ALPN's own 2^16-1 limit but not the ClientHello's extension block
        // once a ticket and a cookie must still fit.
        List<string> names = Names(200, 255);
        Assert.True(names.Sum(n => n.Length + 1) <= 0xFFFF);
        AssertClientRefused(Client(o => o.ApplicationProtocols = names), nameof(TlsOptions.ApplicationProtocols));
    }

    [Fact]
    public void Client_creation_refuses_no_cipher_suites() =>
        AssertClientRefused(Client(o => o.CipherSuites = new List<TlsCipherSuite>()), nameof(TlsOptions.CipherSuites));

    [Fact]
    public void Client_creation_refuses_a_cipher_suite_listed_twice() =>
        AssertClientRefused(Client(o => o.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256 }), nameof(TlsOptions.CipherSuites));

    [Fact]
    public void Client_creation_refuses_an_unknown_cipher_suite() =>
        AssertClientRefused(Client(o => o.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256, (TlsCipherSuite)0x0005 }), nameof(TlsOptions.CipherSuites));

    [Fact]
    public void Client_creation_refuses_a_null_cipher_suite_list() =>
        AssertClientRefused(Client(o => o.CipherSuites = null!), nameof(TlsOptions.CipherSuites));

    [Fact]
    public void Server_creation_refuses_no_cipher_suites() =>
        AssertServerRefused(Server(o => o.CipherSuites = new List<TlsCipherSuite>()), nameof(TlsOptions.CipherSuites));

    [Fact]
    public void Client_creation_refuses_no_groups() =>
        AssertClientRefused(Client(o => { o.Groups = new List<TlsNamedGroup>(); o.KeyShareGroups = new List<TlsNamedGroup>(); }), nameof(TlsOptions.Groups));

    [Fact]
    public void Client_creation_refuses_a_group_listed_twice() =>
        AssertClientRefused(Client(o => o.Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519, TlsNamedGroup.X25519 }), nameof(TlsOptions.Groups));

    [Fact]
    public void Client_creation_refuses_an_unknown_group() =>
        AssertClientRefused(Client(o => o.Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519, (TlsNamedGroup)0x0100 }), nameof(TlsOptions.Groups));

    [Fact]
    public void Client_creation_refuses_a_key_share_group_listed_twice() =>
        AssertClientRefused(Client(o => o.KeyShareGroups = new List<TlsNamedGroup> { TlsNamedGroup.X25519, TlsNamedGroup.X25519 }), nameof(TlsClientOptions.KeyShareGroups));

    [Fact]
    public void Client_creation_accepts_no_key_share_groups()
    {
        using TlsPair pair = Engines.Pair(Client(o => o.KeyShareGroups = new List<TlsNamedGroup>()), Engines.Server());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        Assert.True(pair.Client.HelloRetryRequested);
    }

    [Fact]
    public void Server_creation_refuses_no_groups() =>
        AssertServerRefused(Server(o => o.Groups = new List<TlsNamedGroup>()), nameof(TlsOptions.Groups));

    [Fact]
    public void Client_creation_refuses_no_signature_schemes() =>
        AssertClientRefused(Client(o => o.SignatureSchemes = new List<TlsSignatureScheme>()), nameof(TlsClientOptions.SignatureSchemes));

    [Fact]
    public void Client_creation_refuses_a_signature_scheme_listed_twice() =>
        AssertClientRefused(Client(o => o.SignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.Ed25519, TlsSignatureScheme.Ed25519 }), nameof(TlsClientOptions.SignatureSchemes));

    [Fact]
    public void Client_creation_refuses_an_unknown_signature_scheme() =>
        AssertClientRefused(Client(o => o.SignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.Ed25519, (TlsSignatureScheme)0x0201 }), nameof(TlsClientOptions.SignatureSchemes));

    [Fact]
    public void Tls13_only_client_creation_refuses_pkcs1_only_signature_schemes() =>
        AssertClientRefused(Client(o => { o.MinVersion = TlsVersion.Tls13; o.SignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.RsaPkcs1Sha256 }; }), nameof(TlsClientOptions.SignatureSchemes));

    [Fact]
    public void Server_creation_refuses_no_client_signature_schemes_when_asking_for_certificates() =>
        AssertServerRefused(Server(o => { o.ClientCertificateMode = TlsClientCertificateMode.Request; o.ClientSignatureSchemes = new List<TlsSignatureScheme>(); }), nameof(TlsServerOptions.ClientSignatureSchemes));

    [Fact]
    public void Server_creation_accepts_no_client_signature_schemes_when_not_asking_for_certificates() =>
        TlsConnection.CreateServer(Server(o => o.ClientSignatureSchemes = new List<TlsSignatureScheme>())).Dispose();

    [Fact]
    public void Server_creation_refuses_pkcs1_only_client_signature_schemes_for_tls13_client_authentication() =>
        AssertServerRefused(
            Server(o => { o.ClientCertificateMode = TlsClientCertificateMode.Require; o.ClientSignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.RsaPkcs1Sha256 }; }),
            nameof(TlsServerOptions.ClientSignatureSchemes));

    [Fact]
    public void Server_creation_refuses_early_data_without_ticket_keys() =>
        AssertServerRefused(Server(o => o.MaxEarlyDataSize = 16384), nameof(TlsServerOptions.MaxEarlyDataSize));

    [Fact]
    public void Server_creation_refuses_ticket_lifetime_over_seven_days() =>
        AssertServerRefused(Server(o => o.TicketLifetime = TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1)), nameof(TlsServerOptions.TicketLifetime));

    [Fact]
    public void Server_creation_refuses_more_than_16_tickets_per_connection() =>
        AssertServerRefused(Server(o => o.TicketsPerConnection = 17), nameof(TlsServerOptions.TicketsPerConnection));

    [Fact]
    public void Client_creation_refuses_early_data_larger_than_outbound() =>
        AssertClientRefused(Client(o => o.EarlyData = new byte[o.OutboundCapacity + 1]), nameof(TlsClientOptions.EarlyData));

    [Fact]
    public void Ticket_keys_refuse_a_negative_retired_key_count() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlsSessionTicketKeys().RetiredKeysKept = -1);

    [Fact]
    public void Exporter_refuses_a_tls13_label_that_does_not_fit_hkdf_label()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        Assert.Equal(16, pair.Client.ExportKeyingMaterial(new string('x', 249), ReadOnlySpan<byte>.Empty, 16).Length);
        Assert.Throws<ArgumentException>(() => pair.Client.ExportKeyingMaterial(new string('x', 250), ReadOnlySpan<byte>.Empty, 16));
    }

    [Fact]
    public void Exporter_refuses_a_tls12_context_over_65535_bytes()
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = TlsVersion.Tls12;
        using TlsPair pair = Engines.Pair(client, Engines.Server());
        Assert.True(pair.Handshake());
        Assert.Equal(16, pair.Client.ExportKeyingMaterial("EXPORTER-test", new byte[0xFFFF], 16).Length);
        Assert.Throws<ArgumentException>(() => pair.Client.ExportKeyingMaterial("EXPORTER-test", new byte[0x10000], 16));
    }

    [Fact]
    public void Client_creation_refuses_offering_tls13_without_a_tls13_cipher_suite() =>
        AssertClientRefused(Client(o => o.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 }), nameof(TlsClientOptions.CipherSuites));

    [Fact]
    public void Client_creation_refuses_offering_tls13_with_only_pkcs1_signature_schemes() =>
        AssertClientRefused(Client(o => o.SignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.RsaPkcs1Sha256 }), nameof(TlsClientOptions.SignatureSchemes));

    [Fact]
    public void Tls12_only_client_with_tls12_suites_and_pkcs1_schemes_is_accepted_and_connects()
    {
        TlsClientOptions client = Client(o =>
        {
            o.MaxVersion = TlsVersion.Tls12;
            o.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 };
            o.SignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.RsaPkcs1Sha256 };
        });
        using TlsPair pair = Engines.Pair(client, Engines.Server("rsa2048"));
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsVersion.Tls12, pair.Client.Version);
    }
}
