using System.Security.Cryptography;
using TlsEngine;
using Xunit;
using static TlsEngine.Tests.PreSharedKeys.PskTestPeers;

namespace TlsEngine.Tests.PreSharedKeys;

/// <summary>External PSK settings are checked when a PSK or a connection is created.</summary>
public class ExternalPskOptionTests
{
    [Fact]
    public void Psk_refuses_an_empty_or_oversized_identity_an_empty_key_and_other_hashes()
    {
        Assert.Equal("identity", Assert.Throws<ArgumentException>(() => new TlsExternalPsk(Array.Empty<byte>(), Key)).ParamName);
        Assert.Equal("identity", Assert.Throws<ArgumentException>(() => new TlsExternalPsk(new byte[65536], Key)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => new TlsExternalPsk(new byte[] { 1 }, Array.Empty<byte>())).ParamName);
        Assert.Equal("hash", Assert.Throws<ArgumentException>(() => new TlsExternalPsk(new byte[] { 1 }, Key, HashAlgorithmName.SHA512)).ParamName);
        Assert.Equal(65535, new TlsExternalPsk(new byte[65535], Key).Identity.Length);
    }

    [Fact]
    public void Psk_copies_its_inputs()
    {
        byte[] identity = { 1, 2, 3 };
        var psk = new TlsExternalPsk(identity, Key);
        identity[0] = 9;
        psk.Identity[1] = 9;
        Assert.Equal(new byte[] { 1, 2, 3 }, psk.Identity);
    }

    [Fact]
    public void Client_refuses_a_psk_whose_hash_has_no_configured_tls13_suite()
    {
        TlsClientOptions client = Client(Psk(hash: HashAlgorithmName.SHA384));
        client.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 };
        Assert.Equal(nameof(TlsClientOptions.ExternalPsks), Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(client)).ParamName);
    }

    [Fact]
    public void Psks_need_tls13_and_distinct_identities()
    {
        TlsClientOptions tls12 = Client(Psk());
        tls12.MaxVersion = TlsVersion.Tls12;
        Assert.Equal(nameof(TlsClientOptions.ExternalPsks), Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(tls12)).ParamName);
        TlsServerOptions twice = Server(Psk(), Psk());
        Assert.Equal(nameof(TlsServerOptions.ExternalPsks), Assert.Throws<ArgumentException>(() => TlsConnection.CreateServer(twice)).ParamName);
    }

    [Fact]
    public void Server_needs_a_certificate_only_without_psks()
    {
        TlsServerOptions lookupOnly = Server();
        lookupOnly.ExternalPskLookup = _ => null;
        TlsConnection.CreateServer(lookupOnly).Dispose();
        TlsServerOptions neither = Server();
        Assert.Equal(nameof(TlsServerOptions.Certificate), Assert.Throws<ArgumentException>(() => TlsConnection.CreateServer(neither)).ParamName);
    }

    [Fact]
    public void Modes_must_allow_something()
    {
        TlsClientOptions client = Client(Psk());
        client.PskKeyExchangeModes = 0;
        Assert.Equal(nameof(TlsClientOptions.PskKeyExchangeModes), Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(client)).ParamName);
    }

    [Fact]
    public void Client_without_psks_still_needs_a_server_name()
    {
        TlsClientOptions client = Client();
        Assert.Equal(nameof(TlsClientOptions.ServerName), Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(client)).ParamName);
    }
}
