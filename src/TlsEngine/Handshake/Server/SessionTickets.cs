using System;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Server;

/// <summary>NewSessionTicket after the handshake (RFC 8446 §4.6.1): the sealed state is the ticket itself.</summary>
internal static class SessionTickets
{
    public static void Issue(HandshakeContext context)
    {
        if (context.Config is not ServerConfig { TicketKeys: { } keys } config || !context.PeerWantsTickets)
        {
            return;
        }

        Hkdf hkdf = context.RequireHkdf;
        for (int i = 0; i < config.TicketsPerConnection; i++)
        {
            byte[] nonce = { (byte)i };
            byte[] ageAdd = context.Random.GetBytes(4);
            var state = new TicketState
            {
                Suite = context.RequireSuite.Suite,
                IssuedUnixMs = context.Now.ToUnixTimeMilliseconds(),
                AgeAdd = (uint)((ageAdd[0] << 24) | (ageAdd[1] << 16) | (ageAdd[2] << 8) | ageAdd[3]),
                LifetimeSeconds = (uint)config.TicketLifetime.TotalSeconds,
                MaxEarlyDataSize = config.MaxEarlyDataSize,
                Psk = hkdf.ExpandLabel(context.RequireResumptionSecret, "resumption", nonce, hkdf.HashLength),
                ServerName = context.ServerName ?? string.Empty,
                ApplicationProtocol = context.ApplicationProtocol ?? string.Empty,
            };
            byte[] plaintext = state.Encode();
            byte[] ticket = keys.Seal(context.Crypto, plaintext);
            Array.Clear(plaintext, 0, plaintext.Length);
            Array.Clear(state.Psk, 0, state.Psk.Length);
            var message = new NewSessionTicketMessage
            {
                Lifetime = state.LifetimeSeconds,
                AgeAdd = state.AgeAdd,
                Nonce = nonce,
                Ticket = ticket,
                MaxEarlyDataSize = config.MaxEarlyDataSize,
            };
            // Post-handshake messages stay out of the transcript.
            context.SendOutsideTranscript(message.Encode());
        }
    }
}
