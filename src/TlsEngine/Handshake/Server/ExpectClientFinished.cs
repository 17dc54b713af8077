using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>The client's Finished ends the handshake (RFC 8446 §4.4.4).</summary>
internal sealed class ExpectClientFinished : HandshakeState
{
    // The master secret's last use is the resumption secret (when tickets follow), which needs the client's Finished in the transcript.
    private readonly MasterStage _master;

    public ExpectClientFinished(MasterStage master)
    {
        _master = master;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Finished);
        TrafficSecrets traffic = context.RequireTraffic;
        FinishedSteps.Verify(context, message);
        if (SessionTickets.WillIssue(context))
        {
            context.ResumptionSecret = context.Own(_master.ResumptionSecret(context.Transcript.Current()));
        }

        _master.Dispose();
        traffic.ActivateClientApplication();
        context.InstallReadSecret(traffic.Client, TrafficEpoch.Application);
        context.IsConnected = true;
        SessionTickets.Issue(context);
        return new Connected();
    }
}
