using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client;

/// <summary>
/// Verifies the server's Finished, derives the application secrets, and sends the client's
/// final flight (RFC 8446 §4.4.4, §7.1).
/// </summary>
internal sealed class ExpectFinished : HandshakeState
{
    private readonly byte[]? _certificateRequestContext;

    public ExpectFinished(byte[]? certificateRequestContext)
    {
        _certificateRequestContext = certificateRequestContext;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Finished);
        FinishedSteps.Verify(context, message, context.ServerTrafficSecret!);

        MasterStage master = context.HandshakeStage!.Next();
        context.Own(master.Secret);
        byte[] finishedHash = context.Transcript.Current();
        byte[] clientApplication = context.Own(master.ClientTrafficSecret(finishedHash));
        byte[] serverApplication = context.Own(master.ServerTrafficSecret(finishedHash));
        context.ExporterSecret = context.Own(master.ExporterSecret(finishedHash));
        context.LogSecret("CLIENT_TRAFFIC_SECRET_0", clientApplication);
        context.LogSecret("SERVER_TRAFFIC_SECRET_0", serverApplication);
        context.LogSecret("EXPORTER_SECRET", context.ExporterSecret);
        context.InstallReadSecret(serverApplication);

        context.SendChangeCipherSpecOnce();
        if (_certificateRequestContext != null)
        {
            // No client credential is configured: an empty Certificate lets the server decide (RFC 8446 §4.4.2).
            context.SendHandshake(new CertificateMessage { RequestContext = _certificateRequestContext }.Encode());
        }

        FinishedSteps.Send(context, context.ClientTrafficSecret!);
        context.ResumptionSecret = context.Own(master.ResumptionSecret(context.Transcript.Current()));
        context.ClientTrafficSecret = clientApplication;
        context.ServerTrafficSecret = serverApplication;
        context.InstallWriteSecret(clientApplication);
        context.IsConnected = true;
        return new Connected();
    }
}
