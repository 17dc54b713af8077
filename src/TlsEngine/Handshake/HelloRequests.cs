using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>TLS 1.2's HelloRequest, which a client may receive at any time.</summary>
internal static class HelloRequests
{
    /// <summary>
    /// RFC 5246 §7.4.1.1: a client that is already negotiating ignores a HelloRequest, which is not
    /// part of the transcript. Once connected, <see cref="Connected12"/> refuses it as renegotiation;
    /// TLS 1.3 has no such message.
    /// </summary>
    public static bool IgnoredDuringHandshake(HandshakeContext context, HandshakeMessage message)
    {
        if (message.Type != HandshakeType.HelloRequest || context.IsServer || context.IsConnected
            || context.Version == TlsVersion.Tls13 || (context.Version == null && context.Config.MinVersion > TlsVersion.Tls12))
        {
            return false;
        }

        if (message.Body.Length != 0)
        {
            throw TlsFailureException.Decode("A HelloRequest has a body.");
        }

        return true;
    }
}
