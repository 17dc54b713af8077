using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Adversary.RecordMisbehaviourTests;
using static TlsEngine.Tests.Adversary.Tweaks;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// A misbehaving TLS 1.2 server against the engine's client (RFC 5246, RFC 5746, RFC 7627,
/// RFC 8422, and RFC 8446 §4.1.3's downgrade protection): records, alerts, hello extensions,
/// ServerKeyExchange, change_cipher_spec and Finished.
/// </summary>
public class Tls12ClientFacingTests
{
    private static readonly byte[] Ping = "ping"u8.ToArray();

    private static readonly Catalogue<Tls12ServerAdversary> Cases = new Catalogue<Tls12ServerAdversary>(() => new Tls12ServerAdversary())
        // Records and alerts (RFC 5246 §6, §7.2).
        .Tolerated("Warning unrecognized_name before ServerHello", a => a.Before(HandshakeType.ServerHello, p => p.SendAlert(1, A.UnrecognizedName)))
        .Tolerated("Warning certificate_unknown between Certificate and ServerKeyExchange", a => a.Before(HandshakeType.ServerKeyExchange, p => p.SendAlert(1, A.CertificateUnknown)))
        .Tolerated("Four warning alerts in a row", a => a.Before(HandshakeType.ServerKeyExchange, p => Repeat(4, () => p.SendAlert(1, A.UnrecognizedName))))
        .Tolerated("Warning alert after the handshake", a => a.AfterHandshake(p => p.SendAlert(1, A.NoRenegotiation)))
        .Fails("Five warning alerts in a row", R.TooManyWarningAlerts, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerKeyExchange, p => Repeat(5, () => p.SendAlert(1, A.UnrecognizedName))))
        .PeerAlert("Fatal handshake_failure after ServerHello", A.HandshakeFailure, a => a.After(HandshakeType.ServerHello, p => p.SendAlert(2, A.HandshakeFailure)))
        .Fails("Alert level 3", R.MalformedAlert, A.DecodeError, a => a.After(HandshakeType.ServerHello, p => p.SendAlert(3, A.UnrecognizedName)))
        .FailsSilently("Warning close_notify during the handshake", R.PeerClosedDuringHandshake, A.CloseNotify,
            a => a.After(HandshakeType.ServerHello, p => p.SendAlert(1, A.CloseNotify)))
        .FailsSilently("Fatal close_notify during the handshake", R.PeerClosedDuringHandshake, A.CloseNotify,
            a => a.After(HandshakeType.ServerHello, p => p.SendAlert(2, A.CloseNotify)))
        .Closes("close_notify after the TLS 1.2 handshake", a => a.AfterHandshake(p => p.SendAlert(1, A.CloseNotify)))
        .Fails("Content type 25 before ServerHello", R.UnknownContentType, A.UnexpectedMessage, a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(25, Ping)))
        .Fails("Plaintext application data before change_cipher_spec", R.UnexpectedContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHelloDone, p => p.SendPlaintext(23, Ping)))
        .Fails("change_cipher_spec right after ServerHello", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage, a => a.After(HandshakeType.ServerHello, p => p.SendChangeCipherSpec()))
        .Fails("change_cipher_spec before ServerHelloDone", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage, a => a.Before(HandshakeType.ServerHelloDone, p => p.SendChangeCipherSpec()))
        .Fails("Two change_cipher_spec records", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage, a => a.ChangeCipherSpecCopies = 2)
        .Fails("change_cipher_spec of two bytes", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => { a.ChangeCipherSpecCopies = 0; a.BeforeOwnChangeCipherSpec = p => p.SendChangeCipherSpec(1, 1); })
        .Fails("Finished before change_cipher_spec", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.ChangeCipherSpecCopies = 0; a.Edit(HandshakeType.Finished, m => m.Plaintext = true).After(HandshakeType.Finished, p => p.SendChangeCipherSpec()); })
        .Fails("Application data after change_cipher_spec before Finished", R.UnexpectedContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.SendApplicationData(Ping)))
        .Fails("Finished with a corrupted record tag", R.BadRecordMac, A.BadRecordMac, a => a.Before(HandshakeType.Finished, p => p.CorruptNextRecords = 1))
        .Fails("Encrypted record over 2^14+2048 bytes", R.RecordOverflow, A.RecordOverflow, a => a.Before(HandshakeType.Finished, p => p.SendPlaintext(22, new byte[18433])))
        .Fails("Decrypted application data over 2^14 bytes", R.RecordOverflow, A.RecordOverflow, a => a.AfterHandshake(p => p.SendApplicationData(new byte[16385])))
        .Fails("Thirty-three empty application data records in TLS 1.2", R.TooManyEmptyRecords, A.UnexpectedMessage,
            a => a.AfterHandshake(p => Repeat(33, () => p.SendApplicationData(Array.Empty<byte>()))))
        .Fails("change_cipher_spec after the TLS 1.2 handshake", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage, a => a.AfterHandshake(p => p.SendChangeCipherSpec()))

        // ServerHello (RFC 5246 §7.4.1.3, RFC 5746, RFC 7627, RFC 8446 §4.1.3).
        .Fails("TLS 1.2 ServerHello selects an ALPN protocol the client did not offer", R.ApplicationProtocolNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { "spdy/3" }))),
            () => new Tls12ServerAdversary(o => o.ApplicationProtocols = new List<string> { "h2" }))
        .Fails("TLS 1.2 ServerHello selects ALPN when the client offered none", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { "h2" }))))
        .Fails("ServerHello without renegotiation_info", R.InsecureTls12Peer, A.HandshakeFailure, a => a.EditServerHello = h => Remove(h.Extensions, ExtensionType.RenegotiationInfo))
        .Fails("renegotiation_info that is not empty", R.InsecureTls12Peer, A.HandshakeFailure, a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.RenegotiationInfo, 1, 7))
        .Fails("ServerHello without extended_master_secret", R.ExtendedMasterSecretMissing, A.HandshakeFailure, a => a.EditServerHello = h => Remove(h.Extensions, ExtensionType.ExtendedMasterSecret))
        .Tolerated("No extended_master_secret to a client that allows it", a =>
        {
            a.ExtendedMasterSecret = false;
            a.EditServerHello = h => Remove(h.Extensions, ExtensionType.ExtendedMasterSecret);
        }, () => new Tls12ServerAdversary(o => o.RequireExtendedMasterSecret = false))
        .Fails("extended_master_secret with data", R.MalformedMessage, A.DecodeError, a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.ExtendedMasterSecret, 0))
        .Fails("TLS 1.2 ServerHello selects compression method 1", R.CompressionNotNull, A.IllegalParameter, a => a.EditServerHello = h => h.CompressionMethod = 1)
        .Fails("TLS 1.2 ServerHello selects a TLS 1.3 suite", R.CipherSuiteNotOffered, A.IllegalParameter, a => a.EditServerHello = h => h.CipherSuite = 0x1301)
        .Fails("TLS 1.2 ServerHello selects a suite the client did not offer", R.CipherSuiteNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => h.CipherSuite = 0xC02C,
            () => new Tls12ServerAdversary(o => o.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 }))
        .Fails("TLS 1.2 ServerHello with the TLS 1.2 downgrade sentinel", R.DowngradeDetected, A.IllegalParameter,
            a => a.EditServerHello = h => DowngradeSentinel(1).CopyTo(h.Random, 24))
        .Fails("TLS 1.2 ServerHello with the TLS 1.1 downgrade sentinel", R.DowngradeDetected, A.IllegalParameter,
            a => a.EditServerHello = h => DowngradeSentinel(0).CopyTo(h.Random, 24))
        .Tolerated("Downgrade sentinel to a TLS 1.2-only client", a => a.EditServerHello = h => DowngradeSentinel(1).CopyTo(h.Random, 24),
            () => new Tls12ServerAdversary(o => o.MaxVersion = TlsVersion.Tls12))
        .Fails("TLS 1.2 ServerHello with an unknown extension", R.UnsupportedExtension, A.UnsupportedExtension, a => a.EditServerHello = h => h.Extensions.Add(Ext(0x7777)))
        .Fails("TLS 1.2 ServerHello with supported_versions naming TLS 1.2", R.VersionNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.SupportedVersions, 3, 3)))
        .Fails("ec_point_formats without uncompressed", R.UncompressedPointsRefused, A.IllegalParameter, a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.EcPointFormats, 1, 1))
        .Fails("Empty ec_point_formats from the server", R.MalformedMessage, A.DecodeError, a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.EcPointFormats, 0))
        .Fails("session_ticket acknowledgement nobody asked for", R.UnsupportedExtension, A.UnsupportedExtension,
            a => a.EditServerHello = h => h.Extensions.Add(Ext(ExtensionType.SessionTicket)))
        .Fails("ServerHello resumes a session the client never offered", R.ResumptionNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => h.LegacySessionIdEcho = a.ReceivedHello!.LegacySessionId)

        // The server's flight (RFC 5246 §7.4.2–7.4.5, RFC 8422 §5.4).
        .Fails("TLS 1.2 Certificate left out", R.UnexpectedMessage, A.UnexpectedMessage, a => a.Edit(HandshakeType.Certificate, m => m.Drop = true))
        .Fails("Empty TLS 1.2 certificate list", R.EmptyServerCertificate, A.DecodeError, a => a.Edit(HandshakeType.Certificate, m => m.Body = new byte[] { 0, 0, 0 }))
        .Fails("RSA certificate for an ECDSA suite", R.CertificateUnsupported, A.UnsupportedCertificate,
            a => { a.Credential = TestPki.Credential("rsa2048"); a.Scheme = TlsSignatureScheme.RsaPssRsaeSha256; })
        .Fails("ServerKeyExchange with a corrupted signature", R.BadSignature, A.DecryptError, a => a.Edit(HandshakeType.ServerKeyExchange, FlipLastByte))
        .Fails("ServerKeyExchange signed over the wrong randoms", R.BadSignature, A.DecryptError,
            a => a.EditServerKeyExchange = e => e.Signature = a.Crypto.Sign(a.Credential.Key!, a.Scheme, e.Parameters, a.Random))
        .Fails("ServerKeyExchange for a curve the client did not offer", R.GroupNotOffered, A.IllegalParameter, a => a.EditServerKeyExchange = e => e.Group = 0x0019)
        .Fails("ServerKeyExchange with the all-zero X25519 point", R.InvalidKeyShare, A.IllegalParameter, a => a.EditServerKeyExchange = e =>
        {
            e.PublicKey = new byte[32];
            e.Signature = a.Crypto.Sign(a.Credential.Key!, a.Scheme, a.SignedParameters(e.Parameters), a.Random);
        })
        .Fails("ServerKeyExchange signed with a scheme the client did not offer", R.SignatureSchemeNotOffered, A.IllegalParameter,
            a => a.Scheme = TlsSignatureScheme.EcdsaSecp384r1Sha384,
            () => new Tls12ServerAdversary(o => o.SignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.EcdsaSecp256r1Sha256 }))
        .Fails("ServerKeyExchange left out", R.UnexpectedMessage, A.UnexpectedMessage, a => a.Edit(HandshakeType.ServerKeyExchange, m => m.Drop = true))
        .Fails("CertificateVerify from the server in place of ServerKeyExchange", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.ServerKeyExchange, m => m.Encoded = Message(HandshakeType.CertificateVerify, m.Body)))
        .Fails("ServerHelloDone with a body", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.ServerHelloDone, m => m.Body = new byte[] { 0 }))
        .Fails("TLS 1.2 CertificateRequest with an empty signature list", R.MalformedMessage, A.DecodeError,
            a => a.Before(HandshakeType.ServerHelloDone, p => p.Inject(Message(HandshakeType.CertificateRequest, 1, 64, 0, 0, 0, 0), addToTranscript: true)))
        .Fails("EncryptedExtensions in TLS 1.2", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Certificate, p => p.Inject(Message(HandshakeType.EncryptedExtensions, 0, 0))))
        .Tolerated("HelloRequest during the handshake", a => a.Before(HandshakeType.ServerHelloDone, p => p.Inject(Message(HandshakeType.HelloRequest))))
        .Fails("HelloRequest with a body during the handshake", R.MalformedMessage, A.DecodeError,
            a => a.Before(HandshakeType.ServerHelloDone, p => p.Inject(Message(HandshakeType.HelloRequest, 0))))
        .Fails("TLS 1.2 server Finished with wrong verify_data", R.BadFinished, A.DecryptError, a => a.Edit(HandshakeType.Finished, FlipLastByte))
        .Fails("TLS 1.2 server Finished of 13 bytes", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.Finished, m => m.Body = m.Body.Append((byte)0).ToArray()))
        .Fails("TLS 1.2 server Finished of 11 bytes", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.Finished, m => m.Body = m.Body[..11]))
        .Fails("NewSessionTicket that was not promised", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.BeforeOwnChangeCipherSpec = p => p.Inject(Tls12NewSessionTicketMessage.Encode(60, new byte[] { 1, 2, 3 }), addToTranscript: true))

        // After the handshake (RFC 5246 §7.4.1.1, RFC 5746).
        .Fails("HelloRequest after the TLS 1.2 handshake", R.RenegotiationRefused, A.NoRenegotiation,
            a => a.AfterHandshake(p => p.SendHandshake(Message(HandshakeType.HelloRequest), addToTranscript: false)))
        .Fails("ServerHello after the TLS 1.2 handshake", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.AfterHandshake(p => p.SendHandshake(Message(HandshakeType.ServerHello, new byte[38]), addToTranscript: false)))
        .Fails("KeyUpdate after the TLS 1.2 handshake", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.AfterHandshake(p => p.SendHandshake(KeyUpdateMessage.Encode(false), addToTranscript: false)));

    public static TheoryData<string> Names => Cases.Theory;

    [Theory]
    [MemberData(nameof(Names))]
    public void Engine_client_handles_a_misbehaving_tls12_server(string misbehaviour) => Cases.Check(misbehaviour);
}
