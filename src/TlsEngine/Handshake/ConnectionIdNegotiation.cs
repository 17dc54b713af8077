using System.Collections.Generic;
using TlsEngine.Messages;

namespace TlsEngine.Handshake;

/// <summary>
/// The connection_id extension (RFC 9146 §3; RFC 9147 §9 keeps it for DTLS 1.3, where it stays in
/// ServerHello): each side sends the id it wants to receive. Ids are in use only when both hellos
/// carry the extension; it exists over datagrams only, so a TLS server ignores it like any
/// extension it does not know and a TLS client refuses it in a ServerHello as unsolicited.
/// </summary>
internal static class ConnectionIdNegotiation
{
    /// <summary>Client: offers the configured id (possibly empty) in the ClientHello.</summary>
    public static void Offer(HandshakeConfig config, List<Extension> extensions)
    {
        if (config.Datagram && config.ConnectionId is byte[] own)
        {
            extensions.Add(new Extension(ExtensionType.ConnectionId, ExtensionCodecs.EncodeConnectionId(own)));
        }
    }

    /// <summary>
    /// Server: answers a client's offer with this side's id when it wants ids too, and records the
    /// client's. A malformed offer is a decode_error even when this side would not answer it.
    /// </summary>
    public static void Answer(HandshakeContext context, ClientHello hello, List<Extension> extensions)
    {
        Extension? offered = hello.Find(ExtensionType.ConnectionId);
        if (offered == null || !context.IsDatagram)
        {
            return;
        }

        byte[] peer = Decode(offered, "ClientHello");
        if (context.Config.ConnectionId is byte[] own)
        {
            extensions.Add(new Extension(ExtensionType.ConnectionId, ExtensionCodecs.EncodeConnectionId(own)));
            context.PeerConnectionId = peer;
        }
    }

    /// <summary>Client: the server's answer in its ServerHello; the caller has checked that it was offered (RFC 8446 §4.2).</summary>
    public static void AcceptAnswer(HandshakeContext context, Extension answer) =>
        context.PeerConnectionId = Decode(answer, "ServerHello");

    /// <summary>The extension holds one vector of at most 255 bytes and nothing after it.</summary>
    private static byte[] Decode(Extension extension, string message) =>
        ExtensionCodecs.TryDecodeConnectionId(extension.Data, out byte[] value)
            ? value
            : throw TlsFailureException.Decode($"The connection_id extension in the {message} is malformed.");
}
