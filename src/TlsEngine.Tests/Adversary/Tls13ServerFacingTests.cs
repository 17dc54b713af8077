using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Adversary.Tweaks;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// A misbehaving TLS 1.3 client against the engine's server: ClientHello fields, the second
/// ClientHello after HelloRetryRequest, the client's flight and client authentication
/// (RFC 8446 §4.1.2, §4.1.4, §4.4).
/// </summary>
public class Tls13ServerFacingTests
{
    private static readonly Catalogue<Tls13ClientAdversary> Cases = new Catalogue<Tls13ClientAdversary>(() => new Tls13ClientAdversary())
        // ClientHello (RFC 8446 §4.1.2, Appendix D).
        .Fails("ClientHello legacy_version SSL 3.0", R.ObsoleteLegacyVersion, A.ProtocolVersion, a => a.EditClientHello = h => h.LegacyVersion = 0x0300)
        .Fails("ClientHello legacy_version 0x0200", R.ObsoleteLegacyVersion, A.ProtocolVersion, a => a.EditClientHello = h => h.LegacyVersion = 0x0200)
        .Fails("ClientHello without supported_versions offers TLS 1.1", R.NoCommonVersion, A.ProtocolVersion,
            a => a.EditClientHello = h => { Remove(h.Extensions, ExtensionType.SupportedVersions); h.LegacyVersion = 0x0302; })
        .Fails("supported_versions offers only TLS 1.1", R.NoCommonVersion, A.ProtocolVersion,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SupportedVersions, 2, 3, 2))
        .Fails("supported_versions with an empty list", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SupportedVersions, 0))
        .Fails("supported_versions of odd length", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SupportedVersions, 3, 3, 4, 3))
        .Fails("No cipher suite in common", R.NoCommonCipherSuite, A.HandshakeFailure, a => a.EditClientHello = h => h.CipherSuites = new List<ushort> { 0x1305 })
        .Fails("cipher_suites of odd length", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.ClientHello, m => OddSuitesLength(m)))
        .Fails("compression_methods without the null method", R.CompressionNotNull, A.IllegalParameter, a => a.EditClientHello = h => h.CompressionMethods = new byte[] { 1 })
        .Fails("TLS 1.3 ClientHello offering DEFLATE besides null", R.CompressionNotNull, A.IllegalParameter, a => a.EditClientHello = h => h.CompressionMethods = new byte[] { 0, 1 })
        .Fails("Empty compression_methods", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => h.CompressionMethods = Array.Empty<byte>())
        .Fails("ClientHello without key_share", R.MissingExtension, A.MissingExtension, a => a.EditClientHello = h => Remove(h.Extensions, ExtensionType.KeyShare))
        .Fails("ClientHello without supported_groups", R.MissingExtension, A.MissingExtension, a => a.EditClientHello = h => Remove(h.Extensions, ExtensionType.SupportedGroups))
        .Fails("ClientHello without signature_algorithms", R.MissingExtension, A.MissingExtension, a => a.EditClientHello = h => Remove(h.Extensions, ExtensionType.SignatureAlgorithms))
        .Fails("Empty signature_algorithms", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SignatureAlgorithms, 0, 0))
        .Fails("signature_algorithms with nothing the server's key can make", R.NoCommonSignatureScheme, A.HandshakeFailure,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SignatureAlgorithms, 0, 2, 4, 1))
        .Fails("supported_groups with no group in common and no share", R.NoCommonGroup, A.HandshakeFailure,
            a => a.EditClientHello = h => { Set(h.Extensions, ExtensionType.SupportedGroups, 0, 2, 1, 0); Set(h.Extensions, ExtensionType.KeyShare, 0, 0); })
        .Fails("key_share for a group missing from supported_groups", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SupportedGroups, 0, 2, 0, 0x17))
        .Fails("Two key_share entries for X25519", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditClientHello = h => { byte[] share = h.Extensions.First(e => e.Type == ExtensionType.KeyShare).Data[2..]; Set(h.Extensions, ExtensionType.KeyShare, Vector16(share.Concat(share).ToArray())); })
        .Fails("key_share with the all-zero X25519 point", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.KeyShare, Vector16(ServerShare(0x1D, new byte[32]))))
        .Fails("key_share with an X25519 point of order 8", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.KeyShare, Vector16(ServerShare(0x1D, X25519OrderEight()))))
        .Fails("key_share with X25519 u = p, a non-canonical zero", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.KeyShare, Vector16(ServerShare(0x1D, X25519NonCanonicalZero()))))
        .Fails("key_share with X25519 u = 1 and bit 255 set", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.KeyShare, Vector16(ServerShare(0x1D, X25519OneWithTopBit()))))
        .Tolerated("key_share with bit 255 of the X25519 key set", a => a.EditClientHello = h => SetX25519TopBit(h.Extensions, 2))
        .Fails("key_share with a P-256 point off the curve", R.InvalidKeyShare, A.IllegalParameter,
            a => { a.KeyShareGroups[0] = 0x17; a.EditClientHello = h => Set(h.Extensions, ExtensionType.KeyShare, Vector16(ServerShare(0x17, OffCurveP256()))); })
        .Fails("key_share entry with an empty key_exchange", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.KeyShare, 0, 4, 0, 0x1D, 0, 0))
        .Fails("signature_algorithms sent twice", R.DuplicateExtension, A.IllegalParameter, a => a.EditClientHello = h => Duplicate(h.Extensions, ExtensionType.SignatureAlgorithms))
        .Fails("ClientHello with a byte after its extensions", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.ClientHello, m => m.Body = m.Body.Append((byte)0).ToArray()))
        .Fails("ClientHello extensions length overruns the message", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.ClientHello, m => m.Body = m.Body[..^1]))
        .Fails("Session id of 33 bytes", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => h.LegacySessionId = new byte[33])
        .Fails("ClientHello cut after its random", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.ClientHello, m => m.Body = m.Body[..34]))
        .Fails("ALPN with no protocol in common", R.NoApplicationProtocol, A.NoApplicationProtocol,
            a => a.Alpn = new[] { "spdy/1" }, () => new Tls13ClientAdversary(WithAlpn()))
        .Fails("ALPN with an empty protocol name", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.Alpn, 0, 3, 2, (byte)'h', (byte)'2', 0), () => new Tls13ClientAdversary(WithAlpn()))
        .Fails("server_name with an empty host name", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.ServerName, 0, 3, 0, 0, 0))
        .Fails("server_name with an empty list", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.ServerName, 0, 0))
        .Tolerated("ClientHello with an unknown extension", a => a.EditClientHello = h => h.Extensions.Insert(0, Ext(0x7777, 1, 2, 3)))
        .Tolerated("ClientHello with GREASE suite, group and extension", a => a.EditClientHello = h =>
        {
            h.CipherSuites.Insert(0, 0x0A0A);
            Set(h.Extensions, ExtensionType.SupportedGroups, 0, 8, 0x0A, 0x0A, 0, 0x1D, 0, 0x17, 0, 0x18);
            h.Extensions.Insert(0, Ext(0x1A1A));
        })
        .Tolerated("ClientHello legacy_version TLS 1.0 with supported_versions", a => a.EditClientHello = h => h.LegacyVersion = 0x0301)
        // RFC 8701: GREASE values are ignored wherever they appear, never refused.
        .Tolerated("supported_versions with a GREASE version", a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SupportedVersions, 4, 0x3A, 0x3A, 3, 4))
        .Tolerated("signature_algorithms with a GREASE scheme", a => a.EditClientHello = h =>
            Set(h.Extensions, ExtensionType.SignatureAlgorithms, Vector16(new byte[] { 0x4A, 0x4A }.Concat(h.Extensions.First(e => e.Type == ExtensionType.SignatureAlgorithms).Data[2..]).ToArray())))
        .Tolerated("A one-byte GREASE key share for a GREASE group", a => a.EditClientHello = h =>
        {
            Set(h.Extensions, ExtensionType.SupportedGroups, 0, 8, 0x0A, 0x0A, 0, 0x1D, 0, 0x17, 0, 0x18);
            byte[] shares = h.Extensions.First(e => e.Type == ExtensionType.KeyShare).Data[2..];
            Set(h.Extensions, ExtensionType.KeyShare, Vector16(new byte[] { 0x0A, 0x0A, 0, 1, 0 }.Concat(shares).ToArray()));
        })
        .Tolerated("psk_key_exchange_modes with a GREASE mode", a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.PskKeyExchangeModes, 2, 0x0B, 1))
        .Tolerated("GREASE extensions first and last", a => a.EditClientHello = h => { h.Extensions.Insert(0, Ext(0x0A0A)); h.Extensions.Add(Ext(0xFAFA, 0)); })
        .Tolerated("ALPN with a GREASE protocol", a => { a.Alpn = new[] { "h2" }; a.EditClientHello = h => Set(h.Extensions, ExtensionType.Alpn, 0, 6, 2, 0x0A, 0x0A, 2, (byte)'h', (byte)'2'); },
            () => new Tls13ClientAdversary(WithAlpn()))
        .Tolerated("TLS_FALLBACK_SCSV from a client offering TLS 1.3", a => a.EditClientHello = h => h.CipherSuites.Add(0x5600))

        // The second ClientHello (RFC 8446 §4.1.2, §4.1.4).
        .Tolerated("A HelloRetryRequest round trip", a => a.KeyShareGroups.Clear(), check: a => Assert.True(a.Engine.HelloRetryRequested))
        .Fails("Second ClientHello changes the cipher suites", R.InvalidSecondClientHello, A.IllegalParameter,
            a => { a.KeyShareGroups.Clear(); a.EditSecondClientHello = h => h.CipherSuites = new List<ushort> { 0x1302 }; })
        .Fails("Second ClientHello without the cookie", R.InvalidSecondClientHello, A.IllegalParameter,
            a => { a.KeyShareGroups.Clear(); a.EditSecondClientHello = h => Remove(h.Extensions, ExtensionType.Cookie); })
        .Fails("Second ClientHello with a tampered cookie", R.InvalidSecondClientHello, A.IllegalParameter,
            a => { a.KeyShareGroups.Clear(); a.EditSecondClientHello = h => h.Extensions[h.Extensions.FindIndex(e => e.Type == ExtensionType.Cookie)].Data[^1] ^= 1; })
        .Fails("Second ClientHello shares a group that was not asked for", R.InvalidSecondClientHello, A.IllegalParameter,
            a => { a.KeyShareGroups.Clear(); a.EditSecondClientHello = h => Set(h.Extensions, ExtensionType.KeyShare, Vector16(ServerShare(0x17, P256Point(a)))); })
        .Fails("Second ClientHello still without a key share", R.InvalidSecondClientHello, A.IllegalParameter,
            a => { a.KeyShareGroups.Clear(); a.EditSecondClientHello = h => Set(h.Extensions, ExtensionType.KeyShare, 0, 0); })
        .Fails("Second ClientHello changes the legacy session id", R.InvalidSecondClientHello, A.IllegalParameter,
            a => { a.KeyShareGroups.Clear(); a.EditSecondClientHello = h => h.LegacySessionId = new byte[32]; })
        .Fails("Finished in place of the second ClientHello", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.KeyShareGroups.Clear(); a.Edit(HandshakeType.ClientHello, m => m.Encoded = Message(HandshakeType.Finished, new byte[32]), occurrence: 2); })

        // The order of the client's flight.
        .Fails("ServerHello from the client", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.ClientHello, m => m.Encoded = Message(HandshakeType.ServerHello, m.Body)))
        .Fails("Handshake type 99 in place of ClientHello", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.ClientHello, m => m.Encoded = Message(99, m.Body)))
        .Fails("Certificate from the client without a CertificateRequest", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.Inject(new CertificateMessage { Certificates = { TestPki.Credential().ChainDer[0] } }.Encode())))
        .Fails("CertificateVerify from the client without a CertificateRequest", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.Inject(new CertificateVerifyMessage { Scheme = 0x0403, Signature = new byte[70] }.Encode())))
        .Fails("EndOfEarlyData without accepted 0-RTT", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.Inject(Message(HandshakeType.EndOfEarlyData))))
        .Fails("KeyUpdate before the client Finished", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.Inject(KeyUpdateMessage.Encode(false))))
        .Fails("Client Finished with wrong verify_data", R.BadFinished, A.DecryptError, a => a.Edit(HandshakeType.Finished, FlipLastByte))
        .Fails("Client Finished computed from the server's secret", R.BadFinished, A.DecryptError,
            a => a.Edit(HandshakeType.Finished, m => m.Body = a.VerifyData(a.ServerHandshakeSecret)))
        .Fails("Client Finished of 31 bytes", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.Finished, m => m.Body = m.Body[..31]))
        .Fails("Empty client Finished", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.Finished, m => m.Body = Array.Empty<byte>()))

        // Client authentication (RFC 8446 §4.4.2–4.4.3).
        .Tolerated("A valid client certificate", a => a.ClientCredential = TestPki.Credential(), RequiringCertificates)
        .Fails("Empty client Certificate when one is required", R.CertificateRequired, A.CertificateRequired, _ => { }, RequiringCertificates)
        .Fails("Client Certificate left out", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.Certificate, m => m.Drop = true).Edit(HandshakeType.CertificateVerify, m => m.Drop = true); }, RequiringCertificates)
        .Fails("Client CertificateVerify left out", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.CertificateVerify, m => m.Drop = true); }, RequiringCertificates)
        .Fails("Client CertificateVerify with a corrupted signature", R.BadSignature, A.DecryptError,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.CertificateVerify, FlipLastByte); }, RequiringCertificates)
        .Fails("Client CertificateVerify signed with the server's context string", R.BadSignature, A.DecryptError,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.CertificateVerify, m => m.Encoded = ServerContextSignature(a)); }, RequiringCertificates)
        .Fails("Client CertificateVerify names rsa_pkcs1_sha256", R.SignatureSchemeNotOffered, A.IllegalParameter,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.CertificateVerify, m => { byte[] body = m.Body; body[0] = 4; body[1] = 1; m.Body = body; }); }, RequiringCertificates)
        .Fails("Client Certificate with a request context it was not given", R.InvalidRequestContext, A.IllegalParameter,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.Certificate, m => m.Body = CertificateBody(new byte[] { 9 }, (TestPki.Credential().ChainDer[0], Array.Empty<byte>()))); }, RequiringCertificates)
        .Fails("Client certificate from an unknown root", R.CertificateUnknownIssuer, A.UnknownCa,
            a => a.ClientCredential = TestPki.Credential("untrusted"), RequiringCertificates);

    public static TheoryData<string> Names => Cases.Theory;

    [Theory]
    [MemberData(nameof(Names))]
    public void Engine_server_handles_a_misbehaving_client(string misbehaviour) => Cases.Check(misbehaviour);

    internal static byte[] Vector16(byte[] content) => new[] { (byte)(content.Length >> 8), (byte)content.Length }.Concat(content).ToArray();

    private static TlsServerOptions WithAlpn()
    {
        TlsServerOptions options = Engines.Server();
        options.ApplicationProtocols.Add("h2");
        return options;
    }

    private static Tls13ClientAdversary RequiringCertificates()
    {
        TlsServerOptions options = Engines.Server();
        options.ClientCertificateMode = TlsClientCertificateMode.Require;
        options.ClientCertificateTrustAnchors = TestPki.Roots;
        return new Tls13ClientAdversary(options);
    }

    private static byte[] P256Point(Tls13ClientAdversary a)
    {
        using var share = a.Crypto.GenerateKeyShare(TlsNamedGroup.Secp256r1, a.Random);
        return share.PublicKey;
    }

    /// <summary>Makes the cipher_suites length odd (the byte after version, random and a 32-byte session id).</summary>
    private static void OddSuitesLength(Outgoing message)
    {
        byte[] body = message.Body;
        body[2 + 32 + 1 + 32 + 1] |= 1;
        message.Body = body;
    }

    private static byte[] ServerContextSignature(Tls13ClientAdversary a)
    {
        byte[] content = CertificateVerifyMessage.SignedContent(server: true, a.Transcript.Hash(a.Suite.Hash));
        byte[] signature = a.Crypto.Sign(TestPki.Credential().Key!, TlsSignatureScheme.EcdsaSecp256r1Sha256, content, a.Random);
        return new CertificateVerifyMessage { Scheme = 0x0403, Signature = signature }.Encode();
    }
}
