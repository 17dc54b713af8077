using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>The client's Finished ends the handshake (RFC 8446 §4.4.4).</summary>
internal sealed class ExpectClientFinished : HandshakeState
{
    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Finished);
        FinishedSteps.Verify(context, message, context.ClientTrafficSecret!);
        context.ResumptionSecret = context.Own(context.MasterStage!.ResumptionSecret(context.Transcript.Current()));
        context.MasterStage = null;
        context.ClientTrafficSecret = context.PendingClientApplicationSecret;
        context.PendingClientApplicationSecret = null;
        context.InstallReadSecret(context.ClientTrafficSecret!, ReadEpoch.Application);
        context.IsConnected = true;
        SessionTickets.Issue(context);
        return new Connected();
    }
}
