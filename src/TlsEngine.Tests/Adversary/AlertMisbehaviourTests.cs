using TlsEngine.Messages;
using Xunit;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// Alerts from a TLS 1.3 peer (RFC 8446 §6): the level is ignored, close_notify closes,
/// user_canceled is ignored, every other alert ends the connection without an answer.
/// </summary>
public class AlertMisbehaviourTests
{
    private static readonly Catalogue<Tls13ServerAdversary> AgainstClient = FatalBeforeServerHello(
            new Catalogue<Tls13ServerAdversary>(() => new Tls13ServerAdversary()),
            A.HandshakeFailure, A.ProtocolVersion, A.DecodeError, A.IllegalParameter, A.InternalError, A.InsufficientSecurity, A.InappropriateFallback, A.UnrecognizedName)
        .PeerAlert("Warning bad_certificate under handshake keys", A.BadCertificate, a => BeforeExtensions(a, 1, A.BadCertificate))
        .PeerAlert("Warning unrecognized_name under handshake keys", A.UnrecognizedName, a => BeforeExtensions(a, 1, A.UnrecognizedName))
        .PeerAlert("Warning no_renegotiation under handshake keys", A.NoRenegotiation, a => BeforeExtensions(a, 1, A.NoRenegotiation))
        .PeerAlert("Warning certificate_unknown under handshake keys", A.CertificateUnknown, a => BeforeExtensions(a, 1, A.CertificateUnknown))
        .PeerAlert("Alert level 0 with handshake_failure under handshake keys", A.HandshakeFailure, a => BeforeExtensions(a, 0, A.HandshakeFailure))
        .PeerAlert("Fatal alert with the unassigned description 255", (A)255, a => a.Before(HandshakeType.ServerHello, p => p.SendAlert(2, 255)))
        .PeerAlert("Warning unrecognized_name before ServerHello to a TLS 1.3-only client", A.UnrecognizedName,
            a => a.Before(HandshakeType.ServerHello, p => p.SendAlert(1, A.UnrecognizedName)), () => new Tls13ServerAdversary(o => o.MinVersion = TlsVersion.Tls13))
        .PeerAlert("Fatal unexpected_message after the handshake", A.UnexpectedMessage, a => a.AfterHandshake(p => p.SendAlert(2, A.UnexpectedMessage)))
        .PeerAlert("Fatal bad_record_mac after the handshake", A.BadRecordMac, a => a.AfterHandshake(p => p.SendAlert(2, A.BadRecordMac)))
        .PeerAlert("Warning internal_error after the handshake", A.InternalError, a => a.AfterHandshake(p => p.SendAlert(1, A.InternalError)))
        .FailsSilently("close_notify before ServerHello", R.PeerClosedDuringHandshake, A.CloseNotify,
            a => a.Before(HandshakeType.ServerHello, p => p.SendAlert(1, A.CloseNotify)))
        .FailsSilently("close_notify under handshake keys", R.PeerClosedDuringHandshake, A.CloseNotify, a => BeforeExtensions(a, 1, A.CloseNotify))
        .Closes("close_notify after the handshake", a => a.AfterHandshake(p => p.SendAlert(1, A.CloseNotify)))
        .Closes("close_notify at fatal level after the handshake", a => a.AfterHandshake(p => p.SendAlert(2, A.CloseNotify)))
        .Closes("close_notify at level 7 after the handshake", a => a.AfterHandshake(p => p.SendAlert(7, A.CloseNotify)))
        .Tolerated("Warning user_canceled under handshake keys", a => BeforeExtensions(a, 1, A.UserCanceled))
        .Tolerated("Fatal-level user_canceled under handshake keys", a => BeforeExtensions(a, 2, A.UserCanceled))
        .Tolerated("Warning user_canceled after the handshake", a => a.AfterHandshake(p => p.SendAlert(1, A.UserCanceled)))
        .Tolerated("Warning unrecognized_name before ServerHello to a client that offers TLS 1.2",
            a => a.Before(HandshakeType.ServerHello, p => p.SendAlert(1, A.UnrecognizedName)));

    private static readonly Catalogue<Tls13ClientAdversary> AgainstServer = new Catalogue<Tls13ClientAdversary>(() => new Tls13ClientAdversary())
        .PeerAlert("Fatal handshake_failure before ClientHello", A.HandshakeFailure, a => a.Before(HandshakeType.ClientHello, p => p.SendAlert(2, A.HandshakeFailure)))
        .PeerAlert("Fatal bad_certificate under handshake keys", A.BadCertificate, a => a.Before(HandshakeType.Finished, p => p.SendAlert(2, A.BadCertificate)))
        .PeerAlert("Warning unknown_ca under handshake keys", A.UnknownCa, a => a.Before(HandshakeType.Finished, p => p.SendAlert(1, A.UnknownCa)))
        .PeerAlert("Fatal internal_error after the handshake", A.InternalError, a => a.AfterHandshake(p => p.SendAlert(2, A.InternalError)))
        .FailsSilently("close_notify instead of ClientHello", R.PeerClosedDuringHandshake, A.CloseNotify,
            a => a.Before(HandshakeType.ClientHello, p => p.SendAlert(1, A.CloseNotify)))
        .FailsSilently("close_notify before the client Finished", R.PeerClosedDuringHandshake, A.CloseNotify,
            a => a.Before(HandshakeType.Finished, p => p.SendAlert(1, A.CloseNotify)))
        .Closes("close_notify to the server after the handshake", a => a.AfterHandshake(p => p.SendAlert(1, A.CloseNotify)))
        .Tolerated("Warning user_canceled before the client Finished", a => a.Before(HandshakeType.Finished, p => p.SendAlert(1, A.UserCanceled)));

    public static TheoryData<string> ClientCases => AgainstClient.Theory;

    public static TheoryData<string> ServerCases => AgainstServer.Theory;

    [Theory]
    [MemberData(nameof(ClientCases))]
    public void Engine_client_handles_alerts(string misbehaviour) => AgainstClient.Check(misbehaviour);

    [Theory]
    [MemberData(nameof(ServerCases))]
    public void Engine_server_handles_alerts(string misbehaviour) => AgainstServer.Check(misbehaviour);

    private static void BeforeExtensions(Tls13ServerAdversary a, byte level, A description) =>
        a.Before(HandshakeType.EncryptedExtensions, p => p.SendAlert(level, description));

    private static Catalogue<Tls13ServerAdversary> FatalBeforeServerHello(Catalogue<Tls13ServerAdversary> catalogue, params A[] alerts)
    {
        foreach (A alert in alerts)
        {
            catalogue.PeerAlert($"Fatal {alert} before ServerHello", alert, a => a.Before(HandshakeType.ServerHello, p => p.SendAlert(2, alert)));
        }

        return catalogue;
    }
}
