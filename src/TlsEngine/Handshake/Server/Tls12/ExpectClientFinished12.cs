using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server.Tls12;

/// <summary>The client's ChangeCipherSpec and Finished; after a full handshake the server answers with its own pair.</summary>
internal sealed class ExpectClientFinished12 : Tls12Finished
{
    private readonly Tls12TrafficKeys _serverProtection;
    private readonly bool _resumed;
    private readonly bool _issueTicket;

    public ExpectClientFinished12(Tls12KeySchedule schedule, Tls12TrafficKeys clientProtection, Tls12TrafficKeys serverProtection, bool resumed, bool issueTicket)
        : base(schedule, clientProtection)
    {
        _serverProtection = serverProtection;
        _resumed = resumed;
        _issueTicket = issueTicket;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        VerifyPeerFinished(context, message);
        if (!_resumed)
        {
            // In an abbreviated handshake (RFC 5077 §3.1) the server's pair went first.
            Tls12Sessions.IssueAfterFullHandshake(context, (ServerConfig)context.Config, _issueTicket);
            SendOwnFinished(context, _serverProtection);
        }

        context.IsConnected = true;
        return new Connected12();
    }
}
