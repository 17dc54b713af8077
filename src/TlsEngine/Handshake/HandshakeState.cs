using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>
/// One step of a handshake. A state handles exactly the message it expects and returns the
/// next state; anything else is an unexpected_message (RFC 8446 §6.2).
/// </summary>
internal abstract class HandshakeState
{
    public abstract HandshakeState Handle(HandshakeContext context, HandshakeMessage message);

    /// <summary>TLS 1.2's change_cipher_spec is a real protocol step, legal only where a state expects it.</summary>
    public virtual void HandleChangeCipherSpec(HandshakeContext context) =>
        throw new TlsFailureException(TlsFailureReason.UnexpectedChangeCipherSpec, "change_cipher_spec arrived where it is not expected.");

    protected static void Expect(HandshakeMessage message, byte type)
    {
        if (message.Type != type)
        {
            throw TlsFailureException.Unexpected($"Expected {HandshakeType.Name(type)} but received {HandshakeType.Name(message.Type)}.");
        }
    }

    protected static TlsFailureException Malformed(byte type) => TlsFailureException.Decode($"The {HandshakeType.Name(type)} message is malformed.");
}
