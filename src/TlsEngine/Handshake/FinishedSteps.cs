using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>Finished, both directions (RFC 8446 §4.4.4).</summary>
internal static class FinishedSteps
{
    /// <summary>This side's Finished, under the finished_key of its handshake traffic secret.</summary>
    public static void Send(HandshakeContext context)
    {
        byte[] verifyData = context.RequireTraffic.FinishedVerifyData(context.RequireHkdf, client: !context.IsServer, context.Transcript.Current());
        context.SendHandshake(FinishedMessage.Encode(verifyData));
    }

    /// <summary>Checks the peer's verify_data in constant time, then adds the message to the transcript.</summary>
    public static void Verify(HandshakeContext context, HandshakeMessage message)
    {
        byte[] expected = context.RequireTraffic.FinishedVerifyData(context.RequireHkdf, client: context.IsServer, context.Transcript.Current());
        // verify_data[Hash.length]: a wrong length is a malformed message, not a wrong value.
        if (!FinishedMessage.HasLength(message.Body, expected.Length))
        {
            throw TlsFailureException.Decode($"The peer's Finished is {message.Body.Length} bytes; verify_data is {expected.Length}.");
        }

        if (!FixedTime.Equals(expected, message.Body.ToArray()))
        {
            throw new TlsFailureException(TlsFailureReason.BadFinished, "The peer's Finished did not verify.");
        }

        context.Transcript.Add(message.TranscriptForm);
    }
}
