using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Adversary.Tweaks;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// A misbehaving TLS 1.2 client against the engine's server (RFC 5246, RFC 5746, RFC 7627,
/// RFC 8422): ClientHello, ClientKeyExchange, change_cipher_spec, Finished, renegotiation and
/// client authentication.
/// </summary>
public class Tls12ServerFacingTests
{
    private static readonly byte[] Ping = "ping"u8.ToArray();

    private static readonly Catalogue<Tls12ClientAdversary> Cases = new Catalogue<Tls12ClientAdversary>(() => new Tls12ClientAdversary())
        // ClientHello (RFC 5246 §7.4.1.2, RFC 5746 §3.6, RFC 7627 §5.3, RFC 8422 §5.1).
        .Fails("ClientHello without renegotiation_info or SCSV", R.InsecureTls12Peer, A.HandshakeFailure, a => a.EditClientHello = h => Remove(h.Extensions, ExtensionType.RenegotiationInfo))
        .Fails("renegotiation_info from the client that is not empty", R.InsecureTls12Peer, A.HandshakeFailure,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.RenegotiationInfo, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))
        .Tolerated("The renegotiation SCSV instead of renegotiation_info", a => a.EditClientHello = h =>
        {
            Remove(h.Extensions, ExtensionType.RenegotiationInfo);
            h.CipherSuites.Add(0x00FF);
        })
        .Fails("ClientHello without extended_master_secret", R.ExtendedMasterSecretMissing, A.HandshakeFailure, a => a.EditClientHello = h => Remove(h.Extensions, ExtensionType.ExtendedMasterSecret))
        .Fails("TLS 1.2 ClientHello offering only DEFLATE", R.CompressionNotNull, A.IllegalParameter, a => a.EditClientHello = h => h.CompressionMethods = new byte[] { 1 })
        .Tolerated("TLS 1.2 ClientHello offering DEFLATE and null", a => a.EditClientHello = h => h.CompressionMethods = new byte[] { 1, 0 })
        .Fails("Client ec_point_formats without uncompressed", R.UncompressedPointsRefused, A.IllegalParameter, a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.EcPointFormats, 1, 2))
        .Fails("Empty ec_point_formats from the client", R.MalformedMessage, A.DecodeError, a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.EcPointFormats, 0))
        .Fails("Only CBC suites offered", R.NoCommonCipherSuite, A.HandshakeFailure, a => a.EditClientHello = h => h.CipherSuites = new List<ushort> { 0xC009, 0xC013, 0x002F })
        .Fails("No curve in common", R.NoCommonGroup, A.HandshakeFailure, a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.SupportedGroups, 0, 2, 0, 0x19))
        .Fails("legacy_version TLS 1.0 without supported_versions", R.NoCommonVersion, A.ProtocolVersion, a => a.EditClientHello = h => h.LegacyVersion = 0x0301)
        .Fails("TLS 1.2 ClientHello with legacy_version SSL 3.0", R.ObsoleteLegacyVersion, A.ProtocolVersion, a => a.EditClientHello = h => h.LegacyVersion = 0x0300)
        .Fails("TLS 1.2 ClientHello repeats ec_point_formats", R.DuplicateExtension, A.IllegalParameter, a => a.EditClientHello = h => Duplicate(h.Extensions, ExtensionType.EcPointFormats))
        .Tolerated("TLS 1.2 ClientHello with supported_versions naming only TLS 1.2", a => a.EditClientHello = h => h.Extensions.Add(Ext(ExtensionType.SupportedVersions, 2, 3, 3)))
        // RFC 7507 §3: TLS_FALLBACK_SCSV below the server's best version is an inappropriate_fallback.
        .Fails("TLS_FALLBACK_SCSV from a TLS 1.2 client to a TLS 1.3 server", R.InappropriateFallback, A.InappropriateFallback,
            a => a.EditClientHello = h => h.CipherSuites.Add(0x5600))
        .Fails("TLS_FALLBACK_SCSV with supported_versions naming GREASE and TLS 1.2", R.InappropriateFallback, A.InappropriateFallback,
            a => a.EditClientHello = h => { h.CipherSuites.Add(0x5600); h.Extensions.Add(Ext(ExtensionType.SupportedVersions, 4, 0x7A, 0x7A, 3, 3)); })
        .Fails("TLS_FALLBACK_SCSV from a TLS 1.1 client", R.InappropriateFallback, A.InappropriateFallback,
            a => a.EditClientHello = h => { h.CipherSuites.Add(0x5600); h.LegacyVersion = 0x0302; })
        .Tolerated("TLS_FALLBACK_SCSV to a server whose best version is TLS 1.2", a => a.EditClientHello = h => h.CipherSuites.Add(0x5600), () => new Tls12ClientAdversary(Tls12Only()))
        .Tolerated("TLS_FALLBACK_SCSV to a server with no TLS 1.3 suite", a => a.EditClientHello = h => h.CipherSuites.Add(0x5600), () => new Tls12ClientAdversary(NoTls13Suite()))
        .Tolerated("The renegotiation SCSV beside renegotiation_info", a => a.EditClientHello = h => h.CipherSuites.Add(0x00FF))
        .Tolerated("TLS 1.2 ClientHello with GREASE suite, group, signature scheme and extensions", a => a.EditClientHello = h =>
        {
            h.CipherSuites.Insert(0, 0x0A0A);
            Set(h.Extensions, ExtensionType.SupportedGroups, 0, 8, 0x0A, 0x0A, 0, 0x1D, 0, 0x17, 0, 0x18);
            Set(h.Extensions, ExtensionType.SignatureAlgorithms, 0, 6, 0x1A, 0x1A, 4, 3, 8, 4);
            h.Extensions.Insert(0, Ext(0x1A1A));
            h.Extensions.Add(Ext(0x2A2A, 0));
        })

        // ClientKeyExchange, change_cipher_spec, Finished (RFC 5246 §7.4.7, §7.4.9, RFC 8422 §5.7).
        .Fails("ClientKeyExchange with the all-zero X25519 point", R.InvalidKeyShare, A.IllegalParameter, a => a.ClientPoint = new byte[32])
        .Fails("ClientKeyExchange with a 31-byte point", R.InvalidKeyShare, A.IllegalParameter, a => a.ClientPoint = new byte[31])
        .Fails("Empty ClientKeyExchange", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.ClientKeyExchange, m => m.Body = new byte[] { 0 }))
        .Fails("ClientKeyExchange left out", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage, a => a.Edit(HandshakeType.ClientKeyExchange, m => m.Drop = true))
        .Fails("Client Finished before change_cipher_spec", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.ChangeCipherSpecCopies = 0; a.Edit(HandshakeType.Finished, m => m.Plaintext = true); })
        .Fails("Two change_cipher_spec records from the client", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage, a => a.ChangeCipherSpecCopies = 2)
        .Fails("Client change_cipher_spec carrying 0x00", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => { a.ChangeCipherSpecCopies = 0; a.BeforeOwnChangeCipherSpec = p => p.SendChangeCipherSpec(0); })
        .Fails("Client Finished with wrong verify_data", R.BadFinished, A.DecryptError, a => a.Edit(HandshakeType.Finished, FlipLastByte))
        .Fails("Client Finished computed with the server's label", R.BadFinished, A.DecryptError, a => a.Edit(HandshakeType.Finished, m => m.Body = a.VerifyData(fromClient: false)))
        .Fails("Client Finished of 13 bytes", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.Finished, m => m.Body = m.Body.Append((byte)0).ToArray()))
        .Fails("Client Finished in a record with a corrupted tag", R.BadRecordMac, A.BadRecordMac, a => a.Before(HandshakeType.Finished, p => p.CorruptNextRecords = 1))
        .Fails("Application data from the client between change_cipher_spec and Finished", R.UnexpectedContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.SendApplicationData(Ping)))
        .Fails("Plaintext application data from the client before change_cipher_spec", R.UnexpectedContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ClientKeyExchange, p => p.SendPlaintext(23, Ping)))
        .Fails("ClientKeyExchange record also carries the start of the next message", R.InterleavedContentType, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.ClientKeyExchange, m => m.ExtraInRecord = new byte[] { 20, 0 }))
        .Fails("Certificate from a TLS 1.2 client without a CertificateRequest", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ClientKeyExchange, p => p.Inject(Tls12CertificateMessage.Encode(TestPki.Credential().ChainDer))))
        .Fails("CertificateVerify from a TLS 1.2 client without a certificate", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.After(HandshakeType.ClientKeyExchange, p => p.Inject(Tls12CertificateVerifyMessage.Encode(0x0403, new byte[70]))))

        // Alerts from the client (RFC 5246 §7.2).
        .PeerAlert("Fatal handshake_failure from a TLS 1.2 client", A.HandshakeFailure, a => a.Before(HandshakeType.ClientKeyExchange, p => p.SendAlert(2, A.HandshakeFailure)))
        .Tolerated("Warning alert from a TLS 1.2 client during the handshake", a => a.Before(HandshakeType.ClientKeyExchange, p => p.SendAlert(1, A.UnrecognizedName)))
        .Fails("Alert level 3 from a TLS 1.2 client", R.MalformedAlert, A.DecodeError, a => a.Before(HandshakeType.ClientKeyExchange, p => p.SendAlert(3, A.UnrecognizedName)))
        .FailsSilently("close_notify from a TLS 1.2 client during the handshake", R.PeerClosedDuringHandshake, A.CloseNotify,
            a => a.Before(HandshakeType.ClientKeyExchange, p => p.SendAlert(1, A.CloseNotify)))

        // After the handshake (RFC 5746: renegotiation is refused).
        .Fails("Renegotiating ClientHello", R.RenegotiationRefused, A.NoRenegotiation,
            a => a.AfterHandshake(p => p.SendHandshake(a.BuildHello().Encode(), addToTranscript: false)))
        .Fails("KeyUpdate from a TLS 1.2 client", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.AfterHandshake(p => p.SendHandshake(KeyUpdateMessage.Encode(false), addToTranscript: false)))
        .Fails("Client Finished after the TLS 1.2 handshake", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.AfterHandshake(p => p.SendHandshake(Message(HandshakeType.Finished, new byte[12]), addToTranscript: false)))

        // Client authentication (RFC 5246 §7.4.6, §7.4.8).
        .Tolerated("A valid TLS 1.2 client certificate", a => a.ClientCredential = TestPki.Credential(), RequiringCertificates)
        .Fails("Empty TLS 1.2 client certificate when one is required", R.CertificateRequired, A.HandshakeFailure, _ => { }, RequiringCertificates)
        .Fails("TLS 1.2 client CertificateVerify with a corrupted signature", R.BadSignature, A.DecryptError,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.CertificateVerify, FlipLastByte); }, RequiringCertificates)
        .Fails("TLS 1.2 client CertificateVerify left out", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.CertificateVerify, m => m.Drop = true); }, RequiringCertificates)
        .Fails("TLS 1.2 client certificate from an unknown root", R.CertificateUnknownIssuer, A.UnknownCa,
            a => a.ClientCredential = TestPki.Credential("untrusted"), RequiringCertificates)
        .Fails("TLS 1.2 client CertificateVerify names ecdsa_secp521r1_sha512, which the server did not offer", R.SignatureSchemeNotOffered, A.IllegalParameter,
            a => { a.ClientCredential = TestPki.Credential(); a.Edit(HandshakeType.CertificateVerify, m => m.Body = new byte[] { 6, 3 }.Concat(m.Body.Skip(2)).ToArray()); }, RequiringCertificates);

    public static TheoryData<string> Names => Cases.Theory;

    [Theory]
    [MemberData(nameof(Names))]
    public void Engine_server_handles_a_misbehaving_tls12_client(string misbehaviour) => Cases.Check(misbehaviour);

    private static TlsServerOptions Tls12Only()
    {
        TlsServerOptions options = Engines.Server();
        options.MaxVersion = TlsVersion.Tls12;
        return options;
    }

    private static TlsServerOptions NoTls13Suite()
    {
        TlsServerOptions options = Engines.Server();
        options.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 };
        return options;
    }

    private static Tls12ClientAdversary RequiringCertificates()
    {
        TlsServerOptions options = Engines.Server();
        options.ClientCertificateMode = TlsClientCertificateMode.Require;
        options.ClientCertificateTrustAnchors = TestPki.Roots;
        return new Tls12ClientAdversary(options);
    }
}
