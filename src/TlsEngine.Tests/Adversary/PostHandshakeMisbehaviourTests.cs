using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Adversary.RecordMisbehaviourTests;
using static TlsEngine.Tests.Adversary.Tweaks;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// After a TLS 1.3 handshake only NewSessionTicket (to a client) and KeyUpdate are allowed
/// (RFC 8446 §4.6); everything about them can be abused.
/// </summary>
public class PostHandshakeMisbehaviourTests
{
    private static readonly byte[] Ping = "ping"u8.ToArray();

    private static readonly Catalogue<Tls13ServerAdversary> AgainstClient = new Catalogue<Tls13ServerAdversary>(() => new Tls13ServerAdversary())
        .Tolerated("KeyUpdate without update_requested", a => a.AfterHandshake(_ => a.SendKeyUpdate(false)))
        .Tolerated("KeyUpdate with update_requested", a => a.AfterHandshake(_ => a.SendKeyUpdate(true)), check: EngineSentKeyUpdate)
        .Tolerated("Three KeyUpdates in a row", a => a.AfterHandshake(_ => Repeat(3, () => a.SendKeyUpdate(false))))
        .Tolerated("KeyUpdate in one-byte records", a => a.Edit(HandshakeType.KeyUpdate, m => m.FragmentSize = 1).AfterHandshake(_ => a.SendKeyUpdate(false)))
        .Fails("KeyUpdate with request_update 2", R.InvalidKeyUpdate, A.IllegalParameter, a => a.AfterHandshake(p => p.SendHandshake(Message(HandshakeType.KeyUpdate, 2), false)))
        .Fails("Empty KeyUpdate", R.MalformedMessage, A.DecodeError, a => a.AfterHandshake(p => p.SendHandshake(Message(HandshakeType.KeyUpdate), false)))
        .Fails("KeyUpdate of two bytes", R.MalformedMessage, A.DecodeError, a => a.AfterHandshake(p => p.SendHandshake(Message(HandshakeType.KeyUpdate, 0, 0), false)))
        .Fails("Data under the old key after KeyUpdate", R.BadRecordMac, A.BadRecordMac,
            a => a.AfterHandshake(p => { a.SendKeyUpdate(false, switchKeys: false); p.SendApplicationData(Ping); }))
        .Fails("Data under the next-but-one key", R.BadRecordMac, A.BadRecordMac,
            a => a.AfterHandshake(p => { a.SendKeyUpdate(false); a.UpdateOwnKeys(); p.SendApplicationData(Ping); }))
        .Fails("Data under a new key without KeyUpdate", R.BadRecordMac, A.BadRecordMac, a => a.AfterHandshake(p => { a.UpdateOwnKeys(); p.SendApplicationData(Ping); }))
        .Fails("Sixty-five KeyUpdates without data", R.TooManyPostHandshakeMessages, A.UnexpectedMessage,
            a => a.AfterHandshake(_ => Repeat(65, () => a.SendKeyUpdate(false))))
        .Fails("KeyUpdate record also carries the start of the next message", R.HandshakeMessageSpansKeyChange, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.KeyUpdate, m => m.ExtraInRecord = new byte[] { 4, 0 }).AfterHandshake(_ => a.SendKeyUpdate(false)))
        .Fails("NewSessionTicket with a lifetime over seven days", R.InvalidTicketLifetime, A.IllegalParameter,
            a => a.AfterHandshake(_ => a.SendPostHandshake(Tls13ServerAdversary.Ticket(604801).Encode())))
        .Fails("NewSessionTicket with an empty ticket", R.MalformedMessage, A.DecodeError,
            a => a.AfterHandshake(_ => a.SendPostHandshake(new NewSessionTicketMessage { Lifetime = 60, Nonce = new byte[] { 1 } }.Encode())))
        .Fails("NewSessionTicket cut short", R.MalformedMessage, A.DecodeError,
            a => a.AfterHandshake(_ => a.SendPostHandshake(Message(HandshakeType.NewSessionTicket, Tls13ServerAdversary.Ticket().Encode()[4..^2]))))
        .Fails("NewSessionTicket repeats early_data", R.DuplicateExtension, A.IllegalParameter,
            a => a.AfterHandshake(_ => a.SendPostHandshake(TicketWithExtensions(0, 42, 0, 4, 0, 0, 1, 0, 0, 42, 0, 4, 0, 0, 1, 0))))
        .Fails("NewSessionTicket early_data of three bytes", R.MalformedMessage, A.DecodeError,
            a => a.AfterHandshake(_ => a.SendPostHandshake(TicketWithExtensions(0, 42, 0, 3, 0, 1, 0))))
        .Fails("Sixty-five NewSessionTickets without data", R.TooManyPostHandshakeMessages, A.UnexpectedMessage,
            a => a.AfterHandshake(_ => Repeat(65, () => a.SendPostHandshake(Tls13ServerAdversary.Ticket().Encode()))))
        .Tolerated("NewSessionTicket with lifetime 0", a => a.AfterHandshake(_ => a.SendPostHandshake(Tls13ServerAdversary.Ticket(0).Encode())),
            check: a => Assert.Empty(a.Engine.SessionTickets))
        .Tolerated("NewSessionTicket with an unknown extension", a => a.AfterHandshake(_ => a.SendPostHandshake(TicketWithExtensions(0x77, 0x77, 0, 1, 9))),
            check: a => Assert.Single(a.Engine.SessionTickets))
        .Tolerated("Three NewSessionTickets", a => a.TicketsAfterHandshake = 3, check: a => Assert.Equal(3, a.Engine.SessionTickets.Count))
        .Fails("ServerHello after the handshake", R.UnexpectedMessage, A.UnexpectedMessage, a => AfterHandshakeSend(a, Message(HandshakeType.ServerHello, new byte[38])))
        .Fails("Certificate after the handshake", R.UnexpectedMessage, A.UnexpectedMessage,
            a => AfterHandshakeSend(a, new CertificateMessage { Certificates = { TestPki.Credential().ChainDer[0] } }.Encode()))
        .Fails("CertificateRequest without post_handshake_auth", R.UnexpectedMessage, A.UnexpectedMessage,
            a => AfterHandshakeSend(a, Message(HandshakeType.CertificateRequest, 1, 5, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3)))
        .Fails("Finished after the handshake", R.UnexpectedMessage, A.UnexpectedMessage, a => AfterHandshakeSend(a, Message(HandshakeType.Finished, new byte[32])))
        .Fails("EncryptedExtensions after the handshake", R.UnexpectedMessage, A.UnexpectedMessage, a => AfterHandshakeSend(a, Message(HandshakeType.EncryptedExtensions, 0, 0)))
        .Fails("HelloRequest after a TLS 1.3 handshake", R.UnexpectedMessage, A.UnexpectedMessage, a => AfterHandshakeSend(a, Message(HandshakeType.HelloRequest)))
        .Fails("Handshake type 200 after the handshake", R.UnexpectedMessage, A.UnexpectedMessage, a => AfterHandshakeSend(a, Message(200, 1, 2, 3)))
        .Fails("Handshake message declaring 2^24-1 bytes after the handshake", R.HandshakeMessageTooLarge, A.IllegalParameter,
            a => a.AfterHandshake(p => p.SendRecord(22, new byte[] { 4, 0xFF, 0xFF, 0xFF })));

    private static readonly Catalogue<Tls13ClientAdversary> AgainstServer = new Catalogue<Tls13ClientAdversary>(() => new Tls13ClientAdversary())
        .Tolerated("KeyUpdate from the client asking for an update", a => a.AfterHandshake(_ => a.SendKeyUpdate(true)), check: EngineSentKeyUpdate)
        .Fails("KeyUpdate from the client with request_update 7", R.InvalidKeyUpdate, A.IllegalParameter,
            a => a.AfterHandshake(p => p.SendHandshake(Message(HandshakeType.KeyUpdate, 7), false)))
        .Fails("Empty KeyUpdate from the client", R.MalformedMessage, A.DecodeError, a => a.AfterHandshake(p => p.SendHandshake(Message(HandshakeType.KeyUpdate), false)))
        .Fails("Client data under the old key after KeyUpdate", R.BadRecordMac, A.BadRecordMac,
            a => a.AfterHandshake(p => { a.SendKeyUpdate(false, switchKeys: false); p.SendApplicationData(Ping); }))
        .Fails("Sixty-five KeyUpdates from the client", R.TooManyPostHandshakeMessages, A.UnexpectedMessage,
            a => a.AfterHandshake(_ => Repeat(65, () => a.SendKeyUpdate(false))))
        .Fails("NewSessionTicket from the client", R.UnexpectedMessage, A.UnexpectedMessage, a => AfterHandshakeSend(a, Tls13ServerAdversary.Ticket().Encode()))
        .Fails("ClientHello after a TLS 1.3 handshake", R.UnexpectedMessage, A.UnexpectedMessage, a => AfterHandshakeSend(a, Message(HandshakeType.ClientHello, new byte[40])))
        .Fails("EndOfEarlyData after the handshake", R.UnexpectedMessage, A.UnexpectedMessage, a => AfterHandshakeSend(a, Message(HandshakeType.EndOfEarlyData)));

    public static TheoryData<string> ClientCases => AgainstClient.Theory;

    public static TheoryData<string> ServerCases => AgainstServer.Theory;

    [Theory]
    [MemberData(nameof(ClientCases))]
    public void Engine_client_handles_post_handshake_abuse(string misbehaviour) => AgainstClient.Check(misbehaviour);

    [Theory]
    [MemberData(nameof(ServerCases))]
    public void Engine_server_handles_post_handshake_abuse(string misbehaviour) => AgainstServer.Check(misbehaviour);

    /// <summary>RFC 8446 §4.6.3: update_requested obliges the engine to answer with its own KeyUpdate.</summary>
    private static void EngineSentKeyUpdate(AdversaryPeer a) =>
        Assert.Contains(a.Wire.Records, r => r.WasProtected && r.Type == 22 && r.Content.Length == 5 && r.Content[0] == HandshakeType.KeyUpdate);

    private static void AfterHandshakeSend(AdversaryPeer a, byte[] message) => a.AfterHandshake(p => p.SendHandshake(message, addToTranscript: false));

    /// <summary>A ticket whose extensions block is exactly <paramref name="extensions"/>.</summary>
    private static byte[] TicketWithExtensions(params byte[] extensions)
    {
        byte[] plain = Tls13ServerAdversary.Ticket().Encode();
        byte[] body = plain[4..^2].Concat(new[] { (byte)(extensions.Length >> 8), (byte)extensions.Length }).Concat(extensions).ToArray();
        return Message(HandshakeType.NewSessionTicket, body);
    }
}
