using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>
/// An established TLS 1.2 connection: renegotiation is refused (a HelloRequest to a client, a
/// ClientHello to a server), every other handshake message is unexpected.
/// </summary>
internal sealed class Connected12 : HandshakeState
{
    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        bool renegotiation = context.IsServer ? message.Type == HandshakeType.ClientHello : message.Type == HandshakeType.HelloRequest;
        if (renegotiation)
        {
            throw new TlsFailureException(TlsFailureReason.RenegotiationRefused, "The peer asked to renegotiate, which this engine refuses.");
        }

        throw TlsFailureException.Unexpected($"{HandshakeType.Name(message.Type)} is not allowed after a TLS 1.2 handshake.");
    }
}
