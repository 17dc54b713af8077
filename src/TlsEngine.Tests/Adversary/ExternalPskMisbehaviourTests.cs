using TlsEngine.Messages;
using TlsEngine.Tests.PreSharedKeys;
using Xunit;
using static TlsEngine.Tests.Adversary.Tweaks;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// A server that misuses an external PSK against the engine's client (RFC 8446 §2.2, §4.2.9,
/// §4.2.11): certificates in a PSK handshake, an identity or suite it cannot select, a key
/// exchange mode the client did not allow.
/// </summary>
public class ExternalPskMisbehaviourTests
{
    private static readonly Catalogue<Tls13ServerAdversary> AgainstClient = new Catalogue<Tls13ServerAdversary>(() => OfferingPsk())
        .Tolerated("External PSK accepted", a => a.AcceptPsk = PskTestPeers.Key, check: a =>
        {
            Assert.Equal("device-1"u8.ToArray(), a.Engine.PskIdentity);
            Assert.Empty(a.Engine.PeerCertificates);
        })
        .Fails("Certificate in an external PSK handshake", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.AcceptPsk = PskTestPeers.Key; a.After(HandshakeType.EncryptedExtensions, p => p.Inject(new CertificateMessage { Certificates = { a.Credential.ChainDer[0] } }.Encode())); })
        .Fails("CertificateVerify in an external PSK handshake", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.AcceptPsk = PskTestPeers.Key; a.After(HandshakeType.EncryptedExtensions, p => p.Inject(new CertificateVerifyMessage { Scheme = 0x0403, Signature = new byte[64] }.Encode())); })
        .Fails("ServerHello selects PSK identity 2 of 2", R.ResumptionNotOffered, A.IllegalParameter,
            a => { a.AcceptPsk = PskTestPeers.Key; a.EditServerHello = h => Set(h.Extensions, ExtensionType.PreSharedKey, 0, 2); },
            () => OfferingPsk(PskTestPeers.Psk(), PskTestPeers.Psk("device-2")))
        .Fails("ServerHello selects the SHA-256 PSK with a SHA-384 suite", R.ResumptionNotOffered, A.IllegalParameter,
            a => { a.AcceptPsk = PskTestPeers.Key; a.SuiteChoice = TlsCipherSuite.TLS_AES_256_GCM_SHA384; })
        .Fails("PSK without a key share when only psk_dhe_ke was offered", R.PskKeyExchangeModeNotOffered, A.IllegalParameter,
            a => { a.AcceptPsk = PskTestPeers.Key; a.EditServerHello = h => Remove(h.Extensions, ExtensionType.KeyShare); })
        .Fails("Certificate handshake with a client that has no name to verify", R.NoAcceptablePsk, A.HandshakeFailure, _ => { });

    public static TheoryData<string> ClientCases => AgainstClient.Theory;

    [Theory]
    [MemberData(nameof(ClientCases))]
    public void Engine_client_handles_external_psk_abuse(string misbehaviour) => AgainstClient.Check(misbehaviour);

    private static Tls13ServerAdversary OfferingPsk(params TlsExternalPsk[] psks) => new(o =>
    {
        o.ServerName = null;
        o.ExternalPsks = psks.Length > 0 ? psks.ToList() : new List<TlsExternalPsk> { PskTestPeers.Psk() };
    });
}
