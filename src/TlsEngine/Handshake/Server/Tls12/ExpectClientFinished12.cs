using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server.Tls12;

/// <summary>The client's ChangeCipherSpec and Finished; the server answers with its own pair.</summary>
internal sealed class ExpectClientFinished12 : HandshakeState
{
    private readonly Tls12KeySchedule _schedule;
    private readonly IRecordProtection _clientProtection;
    private readonly IRecordProtection _serverProtection;
    private readonly bool _resumed;
    private readonly bool _issueTicket;
    private bool _changeCipherSpecReceived;

    public ExpectClientFinished12(Tls12KeySchedule schedule, IRecordProtection clientProtection, IRecordProtection serverProtection, bool resumed, bool issueTicket)
    {
        _schedule = schedule;
        _clientProtection = clientProtection;
        _serverProtection = serverProtection;
        _resumed = resumed;
        _issueTicket = issueTicket;
    }

    public override void HandleChangeCipherSpec(HandshakeContext context)
    {
        if (_changeCipherSpecReceived)
        {
            base.HandleChangeCipherSpec(context);
        }

        _changeCipherSpecReceived = true;
        context.InstallReadProtection(_clientProtection);
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        if (!_changeCipherSpecReceived)
        {
            throw TlsFailureException.Unexpected($"{HandshakeType.Name(message.Type)} arrived before the client's change_cipher_spec.");
        }

        Expect(message, HandshakeType.Finished);
        byte[] expected = _schedule.FinishedVerifyData(context.MasterSecret12!, fromClient: true, context.Transcript.Current());
        if (!FixedTime.Equals(expected, message.Body.ToArray()))
        {
            throw TlsFailureException.DecryptError("The client's Finished did not verify.");
        }

        context.Transcript.Add(message.Encoded);
        if (_resumed)
        {
            // The abbreviated handshake ends with the client's Finished (RFC 5077 §3.1).
            context.IsConnected = true;
            return new Connected12();
        }

        Tls12Sessions.IssueAfterFullHandshake(context, (TlsServerOptions)context.Options, _issueTicket);
        context.Records.Write(ContentType.ChangeCipherSpec, new byte[] { 1 }, context.Outbound);
        context.Records.SetWriteProtection(_serverProtection);
        byte[] verifyData = _schedule.FinishedVerifyData(context.MasterSecret12!, fromClient: false, context.Transcript.Current());
        context.SendHandshake(FinishedMessage.Encode(verifyData));
        context.IsConnected = true;
        return new Connected12();
    }
}
