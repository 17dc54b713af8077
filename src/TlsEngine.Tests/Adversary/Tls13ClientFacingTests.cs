using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Adversary.Tweaks;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// A misbehaving TLS 1.3 server against the engine's client: ServerHello and HelloRetryRequest
/// fields, the order of the server's flight, Certificate, CertificateVerify and Finished
/// (RFC 8446 §4.1–4.4).
/// </summary>
public class Tls13ClientFacingTests
{
    private static readonly byte[] Cookie = { 0xC0, 0x0C, 0x1E };

    private static readonly Catalogue<Tls13ServerAdversary> Cases = new Catalogue<Tls13ServerAdversary>(() => new Tls13ServerAdversary())
        // ServerHello (RFC 8446 §4.1.3).
        .Fails("ServerHello selects a TLS 1.3 suite the client did not offer", R.CipherSuiteNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => h.CipherSuite = 0x1303, OnlyAes128)
        .Fails("ServerHello selects a TLS 1.2 suite for TLS 1.3", R.CipherSuiteNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => h.CipherSuite = 0xC02B)
        .Fails("ServerHello selects the unassigned suite 0x13FF", R.CipherSuiteNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => h.CipherSuite = 0x13FF)
        .Fails("ServerHello legacy_version is 0x0304", R.IllegalParameter, A.IllegalParameter,
            a => a.EditServerHello = h => h.LegacyVersion = 0x0304)
        .Fails("ServerHello echoes a different session id", R.SessionIdNotEchoed, A.IllegalParameter,
            a => a.EditServerHello = h => h.LegacySessionIdEcho = new byte[32])
        .Fails("ServerHello echoes no session id", R.SessionIdNotEchoed, A.IllegalParameter,
            a => a.EditServerHello = h => h.LegacySessionIdEcho = Array.Empty<byte>())
        .Fails("ServerHello selects compression method 1", R.CompressionNotNull, A.IllegalParameter,
            a => a.EditServerHello = h => h.CompressionMethod = 1)
        .Fails("supported_versions selects 0x0305", R.VersionNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.SupportedVersions, 3, 5))
        .Fails("supported_versions selects TLS 1.2", R.VersionNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.SupportedVersions, 3, 3))
        .Fails("supported_versions in ServerHello is three bytes", R.MalformedMessage, A.DecodeError,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.SupportedVersions, 3, 4, 0))
        .Fails("ServerHello without supported_versions selects TLS 1.1", R.NoCommonVersion, A.ProtocolVersion,
            a => a.EditServerHello = h => { Remove(h.Extensions, ExtensionType.SupportedVersions); h.LegacyVersion = 0x0302; })
        .Fails("key_share for a group the client sent no share for", R.GroupNotOffered, A.IllegalParameter,
            a => a.Group = TlsNamedGroup.Secp256r1)
        .Fails("key_share for secp521r1, never offered", R.GroupNotOffered, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, ServerShare(0x0019, new byte[133])))
        .Fails("key_share with the all-zero X25519 point", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, ServerShare(0x001D, new byte[32])))
        .Fails("key_share with an X25519 point of order 8", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, ServerShare(0x001D, X25519OrderEight())))
        .Fails("key_share with X25519 u = p, a non-canonical zero", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, ServerShare(0x001D, X25519NonCanonicalZero())))
        .Fails("key_share with X25519 u = 1 and bit 255 set", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, ServerShare(0x001D, X25519OneWithTopBit())))
        .Tolerated("key_share with bit 255 of the X25519 key set", a => a.EditServerHello = h => SetX25519TopBit(h.Extensions, 0))
        .Fails("key_share with a 31-byte X25519 key", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, ServerShare(0x001D, new byte[31])))
        .Fails("key_share with a P-256 point off the curve", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, ServerShare(0x0017, OffCurveP256())), SharesP256)
        .Fails("key_share with a compressed P-256 point", R.InvalidKeyShare, A.IllegalParameter,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, ServerShare(0x0017, new byte[] { 2 }.Concat(new byte[32]).ToArray())), SharesP256)
        .Fails("key_share with an empty key_exchange", R.MalformedMessage, A.DecodeError,
            a => a.EditServerHello = h => Set(h.Extensions, ExtensionType.KeyShare, 0, 0x1D, 0, 0))
        .Fails("ServerHello without key_share", R.MissingExtension, A.MissingExtension,
            a => a.EditServerHello = h => Remove(h.Extensions, ExtensionType.KeyShare))
        .Fails("ServerHello with a byte after its extensions", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.ServerHello, m => m.Body = m.Body.Append((byte)0).ToArray()))
        .Fails("ServerHello cut after its random", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.ServerHello, m => m.Body = m.Body[..34]))
        .Fails("A second ServerHello under handshake keys", R.UnexpectedMessage, A.UnexpectedMessage, SecondServerHello)

        // HelloRetryRequest (RFC 8446 §4.1.4).
        .Fails("A second HelloRetryRequest", R.SecondHelloRetryRequest, A.UnexpectedMessage,
            a => { a.RetryGroup = TlsNamedGroup.Secp256r1; a.Edit(HandshakeType.ServerHello, m => m.Encoded = Retry(a, Ext(ExtensionType.Cookie, 0, 1, 9)), occurrence: 2); })
        .Fails("HelloRetryRequest that would change nothing", R.InvalidHelloRetryRequest, A.IllegalParameter,
            a => { a.RetryCookie = Cookie; a.EditHelloRetryRequest = h => Remove(h.Extensions, ExtensionType.Cookie); })
        .Fails("HelloRetryRequest for the group the client already shared", R.InvalidHelloRetryRequest, A.IllegalParameter,
            a => a.RetryGroup = TlsNamedGroup.X25519)
        .Fails("HelloRetryRequest for a group the client never offered", R.GroupNotOffered, A.IllegalParameter,
            a => a.RetryGroup = (TlsNamedGroup)0x0019)
        .Fails("HelloRetryRequest with an empty cookie", R.MalformedMessage, A.DecodeError,
            a => { a.RetryCookie = Cookie; a.EditHelloRetryRequest = h => Set(h.Extensions, ExtensionType.Cookie, 0, 0); })
        .Fails("HelloRetryRequest with an unknown extension", R.UnsupportedExtension, A.UnsupportedExtension,
            a => { a.RetryCookie = Cookie; a.EditHelloRetryRequest = h => h.Extensions.Add(Ext(0x7777)); })
        .Fails("HelloRetryRequest selects a suite the client did not offer", R.CipherSuiteNotOffered, A.IllegalParameter,
            a => { a.RetryCookie = Cookie; a.EditHelloRetryRequest = h => h.CipherSuite = 0x1302; }, OnlyAes128)
        .Fails("HelloRetryRequest echoes a different session id", R.SessionIdNotEchoed, A.IllegalParameter,
            a => { a.RetryCookie = Cookie; a.EditHelloRetryRequest = h => h.LegacySessionIdEcho = new byte[32]; })
        .Fails("HelloRetryRequest selects TLS 1.2 in supported_versions", R.VersionNotOffered, A.IllegalParameter,
            a => { a.RetryCookie = Cookie; a.EditHelloRetryRequest = h => Set(h.Extensions, ExtensionType.SupportedVersions, 3, 3); })
        .Fails("HelloRetryRequest selects compression method 1", R.CompressionNotNull, A.IllegalParameter,
            a => { a.RetryCookie = Cookie; a.EditHelloRetryRequest = h => h.CompressionMethod = 1; })
        .Fails("ServerHello changes the suite HelloRetryRequest chose", R.InvalidHelloRetryRequest, A.IllegalParameter,
            a => { a.RetryGroup = TlsNamedGroup.Secp256r1; a.EditServerHello = h => h.CipherSuite = 0x1302; })
        .Fails("ServerHello answers with a group other than the one HelloRetryRequest asked for", R.GroupNotOffered, A.IllegalParameter,
            a => { a.RetryGroup = TlsNamedGroup.Secp256r1; a.Group = TlsNamedGroup.X25519; })
        .Tolerated("HelloRetryRequest with a cookie only", a => a.RetryCookie = Cookie, check: a => Assert.True(a.Engine.HelloRetryRequested))
        .Tolerated("HelloRetryRequest for P-256 with a cookie", a => { a.RetryGroup = TlsNamedGroup.Secp256r1; a.RetryCookie = Cookie; },
            check: a => Assert.Equal(TlsNamedGroup.Secp256r1, a.Engine.Group))

        // The order of the server's flight (RFC 8446 §4, §6.2 unexpected_message).
        .Fails("EncryptedExtensions left out", R.UnexpectedMessage, A.UnexpectedMessage, a => a.Edit(HandshakeType.EncryptedExtensions, m => m.Drop = true))
        .Fails("Certificate left out", R.UnexpectedMessage, A.UnexpectedMessage, a => a.Edit(HandshakeType.Certificate, m => m.Drop = true))
        .Fails("CertificateVerify left out", R.UnexpectedMessage, A.UnexpectedMessage, a => a.Edit(HandshakeType.CertificateVerify, m => m.Drop = true))
        .Fails("Finished left out, NewSessionTicket instead", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.Finished, m => m.Drop = true).After(HandshakeType.Finished, p => p.Inject(Tls13ServerAdversary.Ticket().Encode())))
        .Fails("EncryptedExtensions sent twice", R.UnexpectedMessage, A.UnexpectedMessage, a => a.Edit(HandshakeType.EncryptedExtensions, m => m.Copies = 2))
        .Fails("Certificate sent twice", R.UnexpectedMessage, A.UnexpectedMessage, a => a.Edit(HandshakeType.Certificate, m => m.Copies = 2))
        .Fails("CertificateRequest after Certificate", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.After(HandshakeType.Certificate, p => p.Inject(Message(HandshakeType.CertificateRequest, 0, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3))))
        .Fails("Two CertificateRequests", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.RequestClientCertificate = true; a.Edit(HandshakeType.CertificateRequest, m => m.Copies = 2); })
        .Fails("A ClientHello from the server", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.Inject(Message(HandshakeType.ClientHello, new byte[40]))))
        .Fails("EndOfEarlyData from the server", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.Inject(Message(HandshakeType.EndOfEarlyData))))
        .Fails("Handshake type 99 in place of EncryptedExtensions", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.EncryptedExtensions, m => m.Encoded = Message(99, m.Body)))
        .Fails("HelloRequest in TLS 1.3", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.Inject(Message(HandshakeType.HelloRequest))))
        .Fails("KeyUpdate before the server Finished", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.Inject(KeyUpdateMessage.Encode(false))))
        .Fails("NewSessionTicket before the server Finished", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.Inject(Tls13ServerAdversary.Ticket().Encode())))
        .Fails("ServerKeyExchange in TLS 1.3", R.UnexpectedMessage, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Certificate, p => p.Inject(Message(HandshakeType.ServerKeyExchange, 3, 0, 0x1D, 0))))
        .Fails("Handshake message declaring 16 MiB", R.HandshakeMessageTooLarge, A.IllegalParameter,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendRecord(22, new byte[] { 8, 0xFF, 0xFF, 0xFF })))
        .Fails("EncryptedExtensions with a byte after its extensions", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.EncryptedExtensions, m => m.Body = m.Body.Append((byte)0).ToArray()))
        .Fails("EncryptedExtensions declared one byte shorter than its body", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.EncryptedExtensions, m => m.Encoded = new byte[] { 8, 0, 0, 1, 0, 0 }))
        .Fails("EncryptedExtensions declared one byte longer than its body", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.EncryptedExtensions, m => m.Encoded = new byte[] { 8, 0, 0, 3, 0, 0 }))

        // Certificate (RFC 8446 §4.4.2).
        .Fails("Empty certificate list", R.EmptyServerCertificate, A.DecodeError,
            a => a.Edit(HandshakeType.Certificate, m => m.Body = new byte[] { 0, 0, 0, 0 }))
        .Fails("Certificate with a non-empty request context", R.InvalidRequestContext, A.IllegalParameter,
            a => a.Edit(HandshakeType.Certificate, m => m.Body = CertificateBody(new byte[] { 7 }, (a.Credential.ChainDer[0], Array.Empty<byte>()))))
        .Fails("Certificate entry that is not DER", R.CertificateMalformed, A.BadCertificate,
            a => a.Edit(HandshakeType.Certificate, m => m.Body = CertificateBody(Array.Empty<byte>(), (new byte[] { 0x30, 3, 1, 2, 3 }, Array.Empty<byte>()))))
        .Fails("Certificate entry of zero length", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.Certificate, m => m.Body = CertificateBody(Array.Empty<byte>(), (Array.Empty<byte>(), Array.Empty<byte>()))))
        .Fails("Certificate list length overruns the message", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.Certificate, m => { byte[] body = m.Body; body[3]++; m.Body = body; }))
        .Fails("Certificate from an unknown root", R.CertificateUnknownIssuer, A.UnknownCa,
            a => a.Credential = TestPki.Credential("untrusted"))
        .Fails("Certificate for another name", R.CertificateNameMismatch, A.BadCertificate,
            a => a.Credential = TestPki.Credential("othername"))

        // CertificateVerify (RFC 8446 §4.4.3).
        .Fails("CertificateVerify with a corrupted signature", R.BadSignature, A.DecryptError, a => a.Edit(HandshakeType.CertificateVerify, FlipLastByte))
        .Fails("CertificateVerify signed with the client's context string", R.BadSignature, A.DecryptError,
            a => a.Edit(HandshakeType.CertificateVerify, m => m.Encoded = ClientContextSignature(a)))
        .Fails("CertificateVerify with an empty signature", R.BadSignature, A.DecryptError,
            a => a.Edit(HandshakeType.CertificateVerify, m => m.Body = new byte[] { 4, 3, 0, 0 }))
        .Fails("CertificateVerify names rsa_pkcs1_sha256", R.SignatureSchemeNotOffered, A.IllegalParameter,
            a => a.Edit(HandshakeType.CertificateVerify, m => { byte[] body = m.Body; body[0] = 4; body[1] = 1; m.Body = body; }))
        .Fails("CertificateVerify with a scheme the client did not offer", R.SignatureSchemeNotOffered, A.IllegalParameter,
            a => a.Edit(HandshakeType.CertificateVerify, m => { byte[] body = m.Body; body[0] = 8; body[1] = 7; m.Body = body; }),
            () => new Tls13ServerAdversary(o => o.SignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.EcdsaSecp256r1Sha256 }))
        .Fails("CertificateVerify cut short", R.MalformedMessage, A.DecodeError,
            a => a.Edit(HandshakeType.CertificateVerify, m => m.Body = m.Body[..3]))

        // Finished (RFC 8446 §4.4.4).
        .Fails("Finished with wrong verify_data", R.BadFinished, A.DecryptError, a => a.Edit(HandshakeType.Finished, FlipLastByte))
        .Fails("Finished computed from the client's secret", R.BadFinished, A.DecryptError,
            a => a.Edit(HandshakeType.Finished, m => m.Body = a.VerifyData(a.ClientHandshakeSecret)))
        .Fails("Finished of 31 bytes", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.Finished, m => m.Body = m.Body[..31]))
        .Fails("Finished of 33 bytes", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.Finished, m => m.Body = m.Body.Append((byte)0).ToArray()))
        .Fails("Empty Finished", R.MalformedMessage, A.DecodeError, a => a.Edit(HandshakeType.Finished, m => m.Body = Array.Empty<byte>()));

    public static TheoryData<string> Names => Cases.Theory;

    [Theory]
    [MemberData(nameof(Names))]
    public void Engine_client_handles_a_misbehaving_server(string misbehaviour) => Cases.Check(misbehaviour);

    private static Tls13ServerAdversary OnlyAes128() => new(o => o.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256 });

    private static Tls13ServerAdversary SharesP256() => new(o => o.KeyShareGroups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 }) { Group = TlsNamedGroup.Secp256r1 };

    private static byte[] Retry(Tls13ServerAdversary a, params Extension[] extensions) => new ServerHello
    {
        Random = ServerHello.HelloRetryRequestRandom,
        LegacySessionIdEcho = a.ReceivedHello!.LegacySessionId,
        CipherSuite = 0x1301,
        Extensions = new[] { Ext(ExtensionType.SupportedVersions, 3, 4) }.Concat(extensions).ToList(),
    }.Encode();

    private static void SecondServerHello(Tls13ServerAdversary a)
    {
        byte[]? hello = null;
        a.Edit(HandshakeType.ServerHello, m => hello = m.Encoded);
        a.Before(HandshakeType.EncryptedExtensions, p => p.Inject(hello!));
    }

    private static byte[] ClientContextSignature(Tls13ServerAdversary a)
    {
        byte[] content = CertificateVerifyMessage.SignedContent(server: false, a.Transcript.Hash(a.Suite.Hash));
        byte[] signature = a.Crypto.Sign(a.Credential.Key!, TlsSignatureScheme.EcdsaSecp256r1Sha256, content, a.Random);
        return new CertificateVerifyMessage { Scheme = 0x0403, Signature = signature }.Encode();
    }
}
