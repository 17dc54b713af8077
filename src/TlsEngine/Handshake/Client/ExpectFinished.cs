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
    private readonly ClientConfig _config;
    private readonly CertificateRequestMessage? _request;
    private readonly HandshakeStage _handshakeKeys;

    public ExpectFinished(ClientConfig config, CertificateRequestMessage? request, HandshakeStage handshakeKeys)
    {
        _handshakeKeys = handshakeKeys;
        _config = config;
        _request = request;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Finished);
        TrafficSecrets traffic = context.RequireTraffic;
        FinishedSteps.Verify(context, message);

        (byte[] clientApplication, byte[] serverApplication, MasterStage master) = Tls13Secrets.DeriveApplication(context, _handshakeKeys);
        context.InstallReadSecret(serverApplication, TrafficEpoch.Application);

        context.SendChangeCipherSpecOnce();
        if (context.EarlyDataStatus == TlsEarlyDataStatus.Accepted)
        {
            // Still under the early keys: EndOfEarlyData closes the 0-RTT stream (RFC 8446 §4.5).
            context.SendHandshake(EndOfEarlyDataMessage.Encode());
            context.InstallWriteSecret(traffic.Client, TrafficEpoch.Handshake);
        }

        // Certificate, CertificateVerify and Finished share records: the application write key ends the flight.
        context.HoldFlight();
        if (_request != null)
        {
            ClientAuthentication.SendTls13(context, CertificateTypes.ClientCredential(context, _config), _request);
        }

        FinishedSteps.Send(context);
        context.ResumptionSecret = context.Own(master.ResumptionSecret(context.Transcript.Current()));
        master.Dispose();
        traffic.EnterApplication(clientApplication, serverApplication);
        context.InstallWriteSecret(clientApplication, TrafficEpoch.Application);
        context.IsConnected = true;
        return new Connected();
    }
}
