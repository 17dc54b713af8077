using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client.Tls12;

/// <summary>The server's ChangeCipherSpec, then its Finished under the new keys.</summary>
internal sealed class ExpectServerFinished12 : Tls12Finished
{
    private readonly Tls12TrafficKeys? _clientProtectionForResumption;
    private byte[]? _ticket;

    // clientProtectionForResumption: set for an abbreviated handshake, where the client's CCS and Finished follow the server's.
    public ExpectServerFinished12(Tls12KeySchedule schedule, Tls12TrafficKeys serverProtection, Tls12TrafficKeys? clientProtectionForResumption = null)
        : base(schedule, serverProtection)
    {
        _clientProtectionForResumption = clientProtectionForResumption;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        // RFC 5077 §3.3: a promised ticket comes before the server's change_cipher_spec.
        if (message.Type == HandshakeType.NewSessionTicket && context.TicketPromised12 && !ChangeCipherSpecReceived && _ticket == null)
        {
            _ticket = Tls12NewSessionTicketMessage.TryParse(message.Body, out _) ?? throw Malformed(message.Type);
            context.Transcript.Add(message.TranscriptForm);
            return this;
        }

        VerifyPeerFinished(context, message);
        if (_clientProtectionForResumption != null)
        {
            SendOwnFinished(context, _clientProtectionForResumption);
        }

        KeepSession(context);
        context.IsConnected = true;
        return new Connected12();
    }

    /// <summary>Keeps the session for a later abbreviated handshake, when the server offered a way back (ticket or id).</summary>
    private void KeepSession(HandshakeContext context)
    {
        byte[] ticket = _ticket ?? System.Array.Empty<byte>();
        if (context.Config is not ClientConfig { SessionCache: { } cache } config || string.IsNullOrEmpty(context.ServerName) || context.IsDatagram
            || (ticket.Length == 0 && context.SessionId12.Length == 0))
        {
            return;
        }

        var session = new SessionRecord(ticket, 7200, 0, (byte[])context.RequireMasterSecret12.Clone(), context.RequireSuite.Suite, context.ServerName, context.Now, 0)
        {
            Version = TlsVersion.Tls12,
            SessionId = ticket.Length == 0 ? context.SessionId12 : System.Array.Empty<byte>(),
            VerifiedUnder = config.VerificationScope,
        };
        context.Tickets.Add(session);
        cache.Put(context.ServerName!, session);
    }
}
