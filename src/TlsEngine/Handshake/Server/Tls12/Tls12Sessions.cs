using System.Linq;
using System;
using TlsEngine.Crypto;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Server.Tls12;

/// <summary>
/// TLS 1.2 resumption on the server: RFC 5077 tickets (the sealed session is the ticket) and
/// session ids (the sealed session is kept in the keyring's bounded cache). Only sessions with
/// the extended master secret are kept or resumed (RFC 7627 §5.3).
/// </summary>
internal static class Tls12Sessions
{
    public static TicketState? TryResume(HandshakeContext context, ServerConfig config, ClientHelloOffer offer)
    {
        TicketKeyRing keys = config.TicketKeys!;
        Extension? ticketExtension = offer.Hello.Find(ExtensionType.SessionTicket);
        byte[]? sealedState = ticketExtension is { Data.Length: > 0 } ? ticketExtension.Data
            : offer.Hello.LegacySessionId.Length > 0 ? keys.Recall(offer.Hello.LegacySessionId) : null;
        if (sealedState == null)
        {
            return null;
        }

        byte[]? plaintext = keys.Open(context.Crypto, sealedState);
        TicketState? state = plaintext == null ? null : TicketState.TryParse(plaintext);
        if (state == null
            || CipherSuiteInfo.Get(state.Suite).Version != TlsVersion.Tls12
            || !config.CipherSuites.Contains(state.Suite)
            || !offer.Hello.CipherSuites.Contains((ushort)state.Suite)
            || context.Now.ToUnixTimeMilliseconds() - state.IssuedUnixMs > state.LifetimeSeconds * 1000L
            || !string.Equals(state.ServerName, offer.ServerName ?? string.Empty, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return state;
    }

    public static byte[] Seal(HandshakeContext context, ServerConfig config)
    {
        var state = new TicketState
        {
            Suite = context.RequireSuite.Suite,
            IssuedUnixMs = context.Now.ToUnixTimeMilliseconds(),
            LifetimeSeconds = (uint)config.TicketLifetime.TotalSeconds,
            Psk = context.RequireMasterSecret12,
            ServerName = context.ServerName ?? string.Empty,
            ApplicationProtocol = context.ApplicationProtocol ?? string.Empty,
        };
        byte[] plaintext = state.Encode();
        byte[] sealedState = config.TicketKeys!.Seal(context.Crypto, plaintext);
        Array.Clear(plaintext, 0, plaintext.Length);
        return sealedState;
    }

    /// <summary>After the client's Finished: a NewSessionTicket (in the transcript) and/or the id's cache entry.</summary>
    public static void IssueAfterFullHandshake(HandshakeContext context, ServerConfig config, bool issueTicket)
    {
        if (config.TicketKeys == null)
        {
            return;
        }

        byte[] sealedState = Seal(context, config);
        if (context.SessionId12.Length > 0)
        {
            config.TicketKeys.Remember(context.SessionId12, sealedState, context.Now + config.TicketLifetime);
        }

        if (issueTicket)
        {
            context.SendHandshake(Tls12NewSessionTicketMessage.Encode((uint)config.TicketLifetime.TotalSeconds, sealedState));
        }
    }
}
