using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Adversary.Tweaks;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// Extensions where they do not belong, unsolicited, repeated or malformed (RFC 8446 §4.2: an
/// extension in a message that must not carry it is illegal_parameter, an answer to an extension
/// that was never offered is unsupported_extension).
/// </summary>
public class ExtensionMisbehaviourTests
{
    private static readonly Catalogue<Tls13ServerAdversary> AgainstClient = new Catalogue<Tls13ServerAdversary>(() => new Tls13ServerAdversary())
        .Fails("ServerHello carries ALPN", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { "h2" }))), OfferingAlpn)
        .Fails("ServerHello carries server_name", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.ServerName)))
        .Fails("ServerHello carries supported_groups", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.SupportedGroups, 0, 2, 0, 0x1D)))
        .Fails("ServerHello carries an unknown extension", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(0x7777, 1)))
        .Fails("ServerHello over TLS answers a connection_id nobody offered", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.ConnectionId, 2, 1, 2)))
        .Fails("ServerHello selects a PSK the client never offered", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.PreSharedKey, 0, 0)))
        .Fails("ServerHello repeats supported_versions", R.DuplicateExtension, A.IllegalParameter,
            a => a.EditServerHello = h => Duplicate(h.Extensions, ExtensionType.SupportedVersions))
        .Fails("HelloRetryRequest carries server_name", R.MisplacedExtension, A.IllegalParameter,
            a => { a.RetryGroup = TlsNamedGroup.Secp256r1; a.EditHelloRetryRequest = h => h.Extensions.Add(Ext(ExtensionType.ServerName)); })
        .Fails("HelloRetryRequest repeats key_share", R.DuplicateExtension, A.IllegalParameter,
            a => { a.RetryGroup = TlsNamedGroup.Secp256r1; a.EditHelloRetryRequest = h => Duplicate(h.Extensions, ExtensionType.KeyShare); })
        .Fails("EncryptedExtensions carries key_share", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.KeyShare, ServerShare(0x1D, new byte[32]))))
        .Fails("EncryptedExtensions carries supported_versions", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.SupportedVersions, 3, 4)))
        .Fails("EncryptedExtensions carries pre_shared_key", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.PreSharedKey, 0, 0)))
        .Fails("EncryptedExtensions carries signature_algorithms", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.SignatureAlgorithms, 0, 2, 4, 3)))
        .Fails("EncryptedExtensions carries cookie", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.Cookie, 0, 1, 1)))
        .Fails("EncryptedExtensions carries psk_key_exchange_modes", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.PskKeyExchangeModes, 1, 1)))
        .Fails("EncryptedExtensions carries an unknown extension", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(0x7777)))
        .Fails("EncryptedExtensions carries ALPN the client did not offer", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.SelectAlpn = "h2")
        .Fails("EncryptedExtensions selects two ALPN protocols", R.MalformedMessage, A.DecodeError,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { "h2", "http/1.1" }))), OfferingAlpn)
        .Fails("EncryptedExtensions selects an ALPN protocol the client did not offer", R.ApplicationProtocolNotOffered, A.IllegalParameter,
            a => a.SelectAlpn = "spdy/3", OfferingAlpn)
        .Fails("EncryptedExtensions accepts early_data that was not offered", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.EarlyData)))
        .Fails("EncryptedExtensions acknowledges server_name the client did not send", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.ServerName)), () => new Tls13ServerAdversary(o => o.ServerName = "127.0.0.1"))
        .Fails("EncryptedExtensions repeats ALPN", R.DuplicateExtension, A.IllegalParameter,
            a => { a.SelectAlpn = "h2"; a.EditEncryptedExtensions = e => Duplicate(e, ExtensionType.Alpn); }, OfferingAlpn)
        .Fails("Certificate entry carries an unsolicited extension", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.Edit(HandshakeType.Certificate, m => m.Body = CertificateBody(Array.Empty<byte>(), (a.Credential.ChainDer[0], new byte[] { 0x77, 0x77, 0, 0 }))))
        .Fails("Certificate entry extensions overrun the entry", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.Certificate, m => m.Body = CertificateBody(Array.Empty<byte>(), (a.Credential.ChainDer[0], new byte[] { 0x77, 0x77, 0, 9 }))))
        .Fails("CertificateRequest without signature_algorithms", R.MissingExtension, A.MissingExtension,
            a => { a.RequestClientCertificate = true; a.EditCertificateRequest = r => { r.Extensions.Clear(); r.Extensions.Add(Ext(0xFAFA)); }; })
        .Fails("CertificateRequest with no extensions at all", R.MalformedMessage, A.DecodeError,
            a => { a.RequestClientCertificate = true; a.EditCertificateRequest = r => r.Extensions.Clear(); })
        .Fails("CertificateRequest with an empty signature_algorithms list", R.MalformedMessage, A.DecodeError,
            a => { a.RequestClientCertificate = true; a.EditCertificateRequest = r => Set(r.Extensions, ExtensionType.SignatureAlgorithms, 0, 0); })
        .Fails("CertificateRequest with a context during the handshake", R.InvalidRequestContext, A.IllegalParameter,
            a => { a.RequestClientCertificate = true; a.EditCertificateRequest = r => r.Context = new byte[] { 1, 2, 3 }; })
        .Fails("CertificateRequest repeats signature_algorithms", R.DuplicateExtension, A.IllegalParameter,
            a => { a.RequestClientCertificate = true; a.EditCertificateRequest = r => Duplicate(r.Extensions, ExtensionType.SignatureAlgorithms); })
        .Fails("CertificateRequest with a byte after its extensions", R.MalformedMessage, A.DecodeError,
            a => { a.RequestClientCertificate = true; a.Edit(HandshakeType.CertificateRequest, m => m.Body = m.Body.Append((byte)0).ToArray()); })
        .Tolerated("EncryptedExtensions with the server's supported_groups", a => a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.SupportedGroups, 0, 2, 0, 0x17)))
        .Tolerated("EncryptedExtensions selecting an offered ALPN protocol", a => a.SelectAlpn = "h2", OfferingAlpn, a => Assert.Equal("h2", a.Engine.ApplicationProtocol));

    private static readonly Catalogue<Tls13ClientAdversary> AgainstServer = new Catalogue<Tls13ClientAdversary>(() => new Tls13ClientAdversary())
        .Fails("ClientHello repeats key_share", R.DuplicateExtension, A.IllegalParameter, a => a.EditClientHello = h => Duplicate(h.Extensions, ExtensionType.KeyShare))
        .Fails("ClientHello repeats supported_versions", R.DuplicateExtension, A.IllegalParameter, a => a.EditClientHello = h => Duplicate(h.Extensions, ExtensionType.SupportedVersions))
        .Fails("ClientHello carries early_data with content", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => h.Extensions.Add(Ext(ExtensionType.EarlyData, 0)))
        .Fails("key_share list length overruns the extension", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => h.Extensions[h.Extensions.FindIndex(e => e.Type == ExtensionType.KeyShare)].Data[1] += 1)
        .Fails("supported_groups of odd length", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SupportedGroups, 0, 3, 0, 0x1D, 0))
        .Fails("signature_algorithms of odd length", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SignatureAlgorithms, 0, 3, 4, 3, 5))
        .Fails("ALPN list length overruns the extension", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.Alpn, 0, 9, 2, (byte)'h', (byte)'2'), WithAlpn)
        .Fails("An extension length overruns the extension block", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.ClientHello, m => m.Body = m.Body.Concat(new byte[] { 0x77, 0x77, 0, 5, 1 }).ToArray()))
        .Tolerated("ClientHello with status_request", a => a.EditClientHello = h => h.Extensions.Insert(0, Ext(ExtensionType.StatusRequest, 1, 0, 0, 0, 0)))
        .Tolerated("ClientHello with 200 bytes of padding extension", a => a.EditClientHello = h => h.Extensions.Insert(0, Ext(21, new byte[200])))
        .Tolerated("ClientHello over TLS with a connection_id, malformed or not (datagrams only, RFC 9146 §3)",
            a => a.EditClientHello = h => h.Extensions.Insert(0, Ext(ExtensionType.ConnectionId, 9, 1)))
        .Tolerated("ClientHello with a cookie nobody asked for", a => a.EditClientHello = h => h.Extensions.Insert(0, Ext(ExtensionType.Cookie, 0, 2, 9, 9)))
        .Tolerated("ClientHello with ec_point_formats lacking uncompressed, in TLS 1.3", a => a.EditClientHello = h => h.Extensions.Insert(0, Ext(ExtensionType.EcPointFormats, 1, 1)))
        .Tolerated("supported_versions listing TLS 1.3 twice", a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SupportedVersions, 4, 3, 4, 3, 4));

    public static TheoryData<string> ClientCases => AgainstClient.Theory;

    public static TheoryData<string> ServerCases => AgainstServer.Theory;

    [Theory]
    [MemberData(nameof(ClientCases))]
    public void Engine_client_checks_the_server_extensions(string misbehaviour) => AgainstClient.Check(misbehaviour);

    [Theory]
    [MemberData(nameof(ServerCases))]
    public void Engine_server_checks_the_client_extensions(string misbehaviour) => AgainstServer.Check(misbehaviour);

    private static Tls13ServerAdversary OfferingAlpn() => new(o => o.ApplicationProtocols = new List<string> { "h2", "http/1.1" });

    private static Tls13ClientAdversary WithAlpn()
    {
        TlsServerOptions options = Engines.Server();
        options.ApplicationProtocols.Add("h2");
        return new Tls13ClientAdversary(options) { Alpn = new[] { "h2" } };
    }
}
