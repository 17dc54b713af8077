using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client.Tls12;

/// <summary>The server's ChangeCipherSpec, then its Finished under the new keys.</summary>
internal sealed class ExpectServerFinished12 : HandshakeState
{
    private readonly Tls12KeySchedule _schedule;
    private readonly IRecordProtection _serverProtection;
    private bool _changeCipherSpecReceived;

    public ExpectServerFinished12(Tls12KeySchedule schedule, IRecordProtection serverProtection)
    {
        _schedule = schedule;
        _serverProtection = serverProtection;
    }

    public override void HandleChangeCipherSpec(HandshakeContext context)
    {
        if (_changeCipherSpecReceived)
        {
            base.HandleChangeCipherSpec(context);
        }

        _changeCipherSpecReceived = true;
        context.InstallReadProtection(_serverProtection);
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        if (!_changeCipherSpecReceived)
        {
            throw TlsFailureException.Unexpected($"{HandshakeType.Name(message.Type)} arrived before the server's change_cipher_spec.");
        }

        Expect(message, HandshakeType.Finished);
        byte[] expected = _schedule.FinishedVerifyData(context.MasterSecret12!, fromClient: false, context.Transcript.Current());
        if (!FixedTime.Equals(expected, message.Body.ToArray()))
        {
            throw TlsFailureException.DecryptError("The server's Finished did not verify.");
        }

        context.Transcript.Add(message.Encoded);
        context.IsConnected = true;
        return new Connected12();
    }
}
