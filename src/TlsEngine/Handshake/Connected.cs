using System;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>
/// After the handshake: NewSessionTicket (to a client) and KeyUpdate (both ways) are the only
/// handshake messages allowed (RFC 8446 §4.6).
/// </summary>
internal sealed class Connected : HandshakeState
{
    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        switch (message.Type)
        {
            case HandshakeType.NewSessionTicket when !context.IsServer:
                KeepTicket(context, message);
                return this;
            case HandshakeType.KeyUpdate:
                HandleKeyUpdate(context, message);
                return this;
            default:
                throw TlsFailureException.Unexpected($"{HandshakeType.Name(message.Type)} is not allowed after the handshake.");
        }
    }

    /// <summary>Moves our sending direction to the next traffic secret generation (RFC 8446 §4.6.3).</summary>
    public static void SendKeyUpdate(HandshakeContext context, bool requestPeerUpdate)
    {
        // RFC 9147 §8: no new KeyUpdate while the last one waits for its ACK. Several owed updates go out
        // as one, as RFC 8446 §4.6.3 allows for updates requested while this side was silent.
        if (context.Channel is IKeyUpdateGate { WriteKeyUpdatePending: true })
        {
            context.KeyUpdateOwed = true;
            context.KeyUpdateRequestOwed |= requestPeerUpdate;
            return;
        }

        context.SendOutsideTranscript(KeyUpdateMessage.Encode(requestPeerUpdate));
        Hkdf hkdf = context.RequireHkdf;
        if (context.IsServer)
        {
            context.InstallWriteSecret(context.RequireTraffic.Update(hkdf, client: false), context.WriteEpochNumber + 1);
        }
        else
        {
            context.InstallWriteSecret(context.RequireTraffic.Update(hkdf, client: true), context.WriteEpochNumber + 1);
        }
    }

    private static void HandleKeyUpdate(HandshakeContext context, HandshakeMessage message)
    {
        if (!KeyUpdateMessage.TryParse(message.Body, out byte requestUpdate))
        {
            throw TlsFailureException.Decode("KeyUpdate is not exactly one byte.");
        }

        // RFC 8446 §4.6.3: update_not_requested(0) or update_requested(1).
        if (requestUpdate > 1)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidKeyUpdate, "KeyUpdate carries an invalid request_update value.");
        }

        bool updateRequested = requestUpdate == 1;

        Hkdf hkdf = context.RequireHkdf;
        if (context.IsServer)
        {
            context.InstallReadSecret(context.RequireTraffic.Update(hkdf, client: true), context.ReadEpochNumber + 1);
        }
        else
        {
            context.InstallReadSecret(context.RequireTraffic.Update(hkdf, client: false), context.ReadEpochNumber + 1);
        }

        // RFC 8446 §6.1: after our close_notify we send nothing more, and no application data needs a new key.
        if (updateRequested && !context.SentCloseNotify)
        {
            SendKeyUpdate(context, requestPeerUpdate: false);
        }
    }

    private static void KeepTicket(HandshakeContext context, HandshakeMessage message)
    {
        NewSessionTicketMessage ticket = NewSessionTicketMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        if (ticket.HasDuplicateExtension)
        {
            throw new TlsFailureException(TlsFailureReason.DuplicateExtension, "NewSessionTicket repeats an extension.");
        }

        // RFC 8446 §4.6.1: lifetimes over seven days are illegal.
        if (ticket.Lifetime > 604800)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidTicketLifetime, "A session ticket's lifetime exceeds seven days.");
        }

        if (ticket.Lifetime == 0 || context.Tickets.Count >= 16)
        {
            // Zero lifetime means "do not use"; the cap keeps a chatty server from growing memory.
            return;
        }

        Hkdf hkdf = context.RequireHkdf;
        // Not owned by the connection: the ticket outlives it in the session cache.
        byte[] psk = hkdf.ExpandLabel(context.RequireResumptionSecret, "resumption", ticket.Nonce, hkdf.HashLength);
        var kept = new SessionRecord(ticket.Ticket, ticket.Lifetime, ticket.AgeAdd, psk, context.RequireSuite.Suite, context.ServerName, context.Now, ticket.MaxEarlyDataSize);
        kept.VerifiedUnder = (context.Config as ClientConfig)?.VerificationScope;
        kept.Datagram = context.IsDatagram;
        context.Tickets.Add(kept);
        if (context.Config is ClientConfig { SessionCache: { } cache } && !string.IsNullOrEmpty(context.ServerName))
        {
            cache.Put(context.ServerName!, kept);
        }
    }
}
