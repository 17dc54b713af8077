using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>0-RTT data flows until EndOfEarlyData; then the client's handshake keys take over (RFC 8446 §4.5).</summary>
internal sealed class ExpectEndOfEarlyData : HandshakeState
{
    private readonly HandshakeState _next;

    public ExpectEndOfEarlyData(HandshakeState next)
    {
        _next = next;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.EndOfEarlyData);
        if (message.Body.Length != 0)
        {
            throw Malformed(message.Type);
        }

        context.Transcript.Add(message.TranscriptForm);
        context.InstallReadSecret(context.RequireTraffic.Client, TrafficEpoch.Handshake);
        return _next;
    }
}
