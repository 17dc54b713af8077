using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>
/// The end of a TLS 1.2 handshake, either side: the peer's ChangeCipherSpec turns its keys on,
/// then its Finished must verify (RFC 5246 §7.4.9); ours follows the same way.
/// </summary>
internal abstract class Tls12Finished : HandshakeState
{
    private readonly Tls12TrafficKeys _peerProtection;

    protected Tls12Finished(Tls12KeySchedule schedule, Tls12TrafficKeys peerProtection)
    {
        Schedule = schedule;
        _peerProtection = peerProtection;
    }

    protected Tls12KeySchedule Schedule { get; }

    protected bool ChangeCipherSpecReceived { get; private set; }

    public override void HandleChangeCipherSpec(HandshakeContext context)
    {
        if (ChangeCipherSpecReceived)
        {
            base.HandleChangeCipherSpec(context);
        }

        ChangeCipherSpecReceived = true;
        context.Channel.InstallTls12ReadKeys(context.RequireSuite, _peerProtection);
    }

    /// <summary>Checks the peer's Finished in constant time and adds it to the transcript.</summary>
    protected void VerifyPeerFinished(HandshakeContext context, HandshakeMessage message)
    {
        bool peerIsClient = context.IsServer;
        if (!ChangeCipherSpecReceived)
        {
            throw TlsFailureException.Unexpected($"{HandshakeType.Name(message.Type)} arrived before the peer's change_cipher_spec.");
        }

        Expect(message, HandshakeType.Finished);
        byte[] expected = Schedule.FinishedVerifyData(context.RequireMasterSecret12, peerIsClient, context.Transcript.Current());
        // RFC 5246 §7.4.9: verify_data[12]; a wrong length is a malformed message, not a wrong value.
        if (!FinishedMessage.HasLength(message.Body, expected.Length))
        {
            throw TlsFailureException.Decode($"The peer's Finished is {message.Body.Length} bytes; verify_data is {expected.Length}.");
        }

        if (!FixedTime.Equals(expected, message.Body.ToArray()))
        {
            throw new TlsFailureException(TlsFailureReason.BadFinished, "The peer's Finished did not verify.");
        }

        context.Transcript.Add(message.TranscriptForm);
        context.Channel.EnterTls12Application();
    }

    /// <summary>Our ChangeCipherSpec and Finished.</summary>
    public static void SendOwnFinished(HandshakeContext context, Tls12KeySchedule schedule, Tls12TrafficKeys ownProtection)
    {
        context.Channel.SendChangeCipherSpec();
        context.Channel.InstallTls12WriteKeys(context.RequireSuite, ownProtection);
        byte[] verifyData = schedule.FinishedVerifyData(context.RequireMasterSecret12, fromClient: !context.IsServer, context.Transcript.Current());
        context.SendHandshake(FinishedMessage.Encode(verifyData));
    }

    protected void SendOwnFinished(HandshakeContext context, Tls12TrafficKeys ownProtection) =>
        SendOwnFinished(context, Schedule, ownProtection);
}
