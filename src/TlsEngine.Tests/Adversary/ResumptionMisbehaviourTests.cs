using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Adversary.Tweaks;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// Abuse of PSK resumption and 0-RTT (RFC 8446 §4.2.10, §4.2.11, §4.5): binders, identities,
/// key exchange modes, early data where none was accepted, EndOfEarlyData.
/// </summary>
public class ResumptionMisbehaviourTests
{
    private static readonly byte[] EarlyBytes = "GET / HTTP/1.1\r\n\r\n"u8.ToArray();

    private static readonly byte[] KnownPsk = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static readonly Catalogue<Tls13ClientAdversary> AgainstServer = new Catalogue<Tls13ClientAdversary>(() => Resuming())
        .Tolerated("Resumption with a valid ticket", _ => { }, check: a => Assert.True(a.Engine.IsResumed))
        .Tolerated("0-RTT data on a valid ticket", a => a.EarlyData = EarlyBytes, check: a =>
        {
            Assert.Equal(TlsEarlyDataStatus.Accepted, a.Engine.EarlyDataStatus);
            Assert.Equal(EarlyBytes, a.EngineReceived.Take(EarlyBytes.Length));
        })
        .Tolerated("A ticket the server cannot open", a => a.Ticket = UnknownTicket(), check: a => Assert.False(a.Engine.IsResumed))
        .Tolerated("Rejected 0-RTT data is skipped", a => { a.Ticket = UnknownTicket(); a.EarlyData = EarlyBytes; }, check: a =>
        {
            Assert.Equal(TlsEarlyDataStatus.Rejected, a.Engine.EarlyDataStatus);
            Assert.DoesNotContain((byte)'G', a.EngineReceived);
        })
        .Tolerated("Only psk_ke offered to a server that wants key exchange",
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.PskKeyExchangeModes, 1, 0))
        .Fails("psk_dhe_ke offered without key_share or supported_groups", R.NoCommonGroup, A.HandshakeFailure,
            a => a.EditClientHello = h => { Remove(h.Extensions, ExtensionType.KeyShare); Remove(h.Extensions, ExtensionType.SupportedGroups); })
        .Fails("PSK binder does not verify", R.BadPskBinder, A.DecryptError, a => a.Edit(HandshakeType.ClientHello, FlipLastByte))
        .Fails("PSK binder of 31 bytes", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.PreSharedKey, PreSharedKeyOffer.EncodeSingle(a.Ticket!.Ticket, a.Ticket.AgeAdd, 31)))
        .Fails("pre_shared_key is not the last extension", R.MisplacedExtension, A.IllegalParameter,
            a => a.EditClientHello = h => { Extension psk = h.Extensions[^1]; h.Extensions.RemoveAt(h.Extensions.Count - 1); h.Extensions.Insert(0, psk); })
        .Fails("pre_shared_key without psk_key_exchange_modes", R.MissingExtension, A.MissingExtension,
            a => a.EditClientHello = h => Remove(h.Extensions, ExtensionType.PskKeyExchangeModes))
        .Fails("psk_key_exchange_modes with an empty list", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.PskKeyExchangeModes, 0))
        .Fails("pre_shared_key with an empty identity list", R.MalformedMessage, A.DecodeError,
            a => a.EditClientHello = h => Set(h.Extensions, ExtensionType.PreSharedKey, new byte[] { 0, 0, 0, 33, 32 }.Concat(new byte[32]).ToArray()))
        .Fails("0-RTT data beyond max_early_data_size", R.TooMuchEarlyData, A.UnexpectedMessage, a => a.EarlyData = new byte[600], () => Resuming(maxEarlyData: 512))
        .Fails("0-RTT data without offering early_data", R.BadRecordMac, A.BadRecordMac, a => { a.EarlyData = EarlyBytes; a.OfferEarlyData = false; })
        .Fails("Rejected 0-RTT data beyond the skip allowance", R.BadRecordMac, A.BadRecordMac, a => { a.Ticket = UnknownTicket(); a.EarlyData = new byte[20000]; })
        .Fails("Undecryptable record after the first handshake-key record, 0-RTT rejected", R.BadRecordMac, A.BadRecordMac,
            a => { a.Ticket = UnknownTicket(); a.EarlyData = EarlyBytes; a.Before(HandshakeType.Finished, p => { p.SendAlert(1, A.UserCanceled); p.SendPlaintext(23, new byte[40]); }); })
        .Fails("EndOfEarlyData left out", R.BadRecordMac, A.BadRecordMac, a => { a.EarlyData = EarlyBytes; a.Edit(HandshakeType.EndOfEarlyData, m => m.Drop = true); })
        .Fails("EndOfEarlyData with a body", R.MalformedMessage, A.DecodeError, a => { a.EarlyData = EarlyBytes; a.Edit(HandshakeType.EndOfEarlyData, m => m.Body = new byte[] { 0 }); })
        .Fails("Finished in place of EndOfEarlyData", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.EarlyData = EarlyBytes; a.Edit(HandshakeType.EndOfEarlyData, m => m.Encoded = Message(HandshakeType.Finished, new byte[32])); })
        .Fails("EndOfEarlyData under the handshake key", R.BadRecordMac, A.BadRecordMac,
            a => { a.EarlyData = EarlyBytes; a.Edit(HandshakeType.EndOfEarlyData, m => m.Key = a.ClientHandshakeKey()); })
        .Fails("0-RTT data after EndOfEarlyData", R.BadRecordMac, A.BadRecordMac,
            a => { a.EarlyData = EarlyBytes; a.After(HandshakeType.EndOfEarlyData, p => p.SendApplicationData(EarlyBytes)); })
        .Fails("EndOfEarlyData record also carries the start of the next message", R.HandshakeMessageSpansKeyChange, A.UnexpectedMessage,
            a => { a.EarlyData = EarlyBytes; a.Edit(HandshakeType.EndOfEarlyData, m => m.ExtraInRecord = new byte[] { 20, 0 }); })
        .Fails("Handshake message under the early key other than EndOfEarlyData", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.EarlyData = EarlyBytes; a.Before(HandshakeType.EndOfEarlyData, p => p.Inject(KeyUpdateMessage.Encode(false))); });

    private static readonly Catalogue<Tls13ServerAdversary> AgainstClient = new Catalogue<Tls13ServerAdversary>(() => OfferingTicket())
        .Tolerated("Resumption accepted by the server", a => a.AcceptPsk = KnownPsk, check: a => Assert.True(a.Engine.IsResumed))
        .Tolerated("0-RTT accepted by the server", a => { a.AcceptPsk = KnownPsk; a.AcceptEarlyData = true; }, () => OfferingTicket(earlyData: true),
            a => Assert.Equal(TlsEarlyDataStatus.Accepted, a.Engine.EarlyDataStatus))
        .Tolerated("0-RTT declined by the server", a => a.KnownClientPsk = KnownPsk, () => OfferingTicket(earlyData: true),
            a => Assert.Equal(TlsEarlyDataStatus.Rejected, a.Engine.EarlyDataStatus))
        .Fails("ServerHello selects PSK identity 1 of 1", R.ResumptionNotOffered, A.IllegalParameter,
            a => { a.AcceptPsk = KnownPsk; a.EditServerHello = h => Set(h.Extensions, ExtensionType.PreSharedKey, 0, 1); })
        .Fails("ServerHello selects the PSK with a suite of another hash", R.ResumptionNotOffered, A.IllegalParameter,
            a => { a.AcceptPsk = KnownPsk; a.SuiteChoice = TlsCipherSuite.TLS_AES_256_GCM_SHA384; })
        .Fails("pre_shared_key in ServerHello of three bytes", R.MalformedMessage, A.DecodeError,
            a => { a.AcceptPsk = KnownPsk; a.EditServerHello = h => Set(h.Extensions, ExtensionType.PreSharedKey, 0, 0, 0); })
        .Fails("Certificate in a resumed handshake", R.UnexpectedMessage, A.UnexpectedMessage,
            a => { a.AcceptPsk = KnownPsk; a.After(HandshakeType.EncryptedExtensions, p => p.Inject(new CertificateMessage { Certificates = { a.Credential.ChainDer[0] } }.Encode())); })
        .Fails("Early data accepted without a PSK", R.EarlyDataAcceptedWithoutPsk, A.IllegalParameter,
            a => { a.KnownClientPsk = KnownPsk; a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.EarlyData)); }, () => OfferingTicket(earlyData: true))
        .Fails("early_data acknowledgement with content", R.MalformedMessage, A.DecodeError,
            a => { a.AcceptPsk = KnownPsk; a.EditEncryptedExtensions = e => e.Add(Ext(ExtensionType.EarlyData, 0)); }, () => OfferingTicket(earlyData: true));

    public static TheoryData<string> ServerCases => AgainstServer.Theory;

    public static TheoryData<string> ClientCases => AgainstClient.Theory;

    [Theory]
    [MemberData(nameof(ServerCases))]
    public void Engine_server_handles_resumption_abuse(string misbehaviour) => AgainstServer.Check(misbehaviour);

    [Theory]
    [MemberData(nameof(ClientCases))]
    public void Engine_client_handles_resumption_abuse(string misbehaviour) => AgainstClient.Check(misbehaviour);

    /// <summary>A server with ticket keys and 0-RTT, and a real ticket it issued to an engine client.</summary>
    private static Tls13ClientAdversary Resuming(uint maxEarlyData = 4096)
    {
        TlsServerOptions server = Engines.Server();
        server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(77), new FixedTimeProvider(Engines.Now));
        server.MaxEarlyDataSize = maxEarlyData;
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        pair.Client.Read(new byte[16], out _);
        return new Tls13ClientAdversary(server) { Ticket = pair.Client.SessionTickets[0] };
    }

    private static TlsSessionTicket UnknownTicket(TlsClientOptions? options = null) =>
        new(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 3600, 0, KnownPsk, TlsCipherSuite.TLS_AES_128_GCM_SHA256, "localhost", Engines.Now, 4096)
        {
            // An engine client offers only tickets made under its own certificate checks.
            VerifiedUnder = options == null ? null : TlsSessionTicket.VerificationOf(options),
        };

    /// <summary>An engine client whose session cache holds a ticket for <see cref="KnownPsk"/>.</summary>
    private static Tls13ServerAdversary OfferingTicket(bool earlyData = false) => new(o =>
    {
        o.SessionCache = new TlsSessionCache();
        o.SessionCache.Add("localhost", UnknownTicket(o));
        o.EarlyData = earlyData ? EarlyBytes : null;
    });
}
