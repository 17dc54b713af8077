using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>The client's Finished ends the handshake (RFC 8446 §4.4.4).</summary>
internal sealed class ExpectClientFinished : HandshakeState
{
    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Finished);
        TrafficSecrets traffic = context.RequireTraffic;
        FinishedSteps.Verify(context, message, traffic.Client);
        context.ResumptionSecret = context.Own(context.MasterStage!.ResumptionSecret(context.Transcript.Current()));
        context.MasterStage = null;
        traffic.ActivateClientApplication();
        context.InstallReadSecret(traffic.Client, ReadEpoch.Application);
        context.IsConnected = true;
        SessionTickets.Issue(context);
        return new Connected();
    }
}
