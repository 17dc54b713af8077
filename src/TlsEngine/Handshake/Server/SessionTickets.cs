using System;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Server;

/// <summary>NewSessionTicket after the handshake (RFC 8446 §4.6.1): the sealed state is the ticket itself.</summary>
internal static class SessionTickets
{
    /// <summary>
    /// Whether <see cref="Issue"/> sends any ticket. The server derives the resumption secret only
    /// then: tickets are its only use on this side (RFC 8446 §4.6.1), and a secret not derived need not be kept.
    /// </summary>
    public static bool WillIssue(HandshakeContext context) =>
        context.Config is ServerConfig { TicketKeys: not null, TicketsPerConnection: > 0 } && context.PeerWantsTickets;

    public static void Issue(HandshakeContext context)
    {
        if (!WillIssue(context) || context.Config is not ServerConfig { TicketKeys: { } keys } config)
        {
            return;
        }

        Hkdf hkdf = context.RequireHkdf;
        // Several tickets share records (RFC 8446 §5.1).
        context.HoldFlight();
        for (int i = 0; i < config.TicketsPerConnection; i++)
        {
            byte[] nonce = { (byte)i };
            byte[] ageAdd = context.Random.GetBytes(4);
            var state = new TicketState
            {
                Datagram = context.IsDatagram,
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

        context.ReleaseFlight();
    }
}
