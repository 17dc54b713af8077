using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server.Tls12;

/// <summary>The client's ECDHE public key; both sides can now derive the master secret.</summary>
internal sealed class ExpectClientKeyExchange12 : HandshakeState
{
    private readonly IKeyShare _share;
    private readonly bool _extendedMasterSecret;
    private readonly ServerConfig _config;
    private readonly bool _issueTicket;

    public ExpectClientKeyExchange12(IKeyShare share, bool extendedMasterSecret, ServerConfig config, bool issueTicket)
    {
        _share = share;
        _extendedMasterSecret = extendedMasterSecret;
        _config = config;
        _issueTicket = issueTicket;
    }

    /// <summary>Set when the client presented a certificate; its CertificateVerify then follows.</summary>
    public IPublicKey? ClientLeaf { get; set; }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.ClientKeyExchange);
        byte[] point = ClientKeyExchangeMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        byte[] preMasterSecret = _share.DeriveSharedSecret(point) ?? throw new TlsFailureException(TlsFailureReason.InvalidKeyShare, "The client's ECDHE public key is invalid.");
        _share.Dispose();
        context.Own(preMasterSecret);
        context.Transcript.Add(message.TranscriptForm);
        var schedule = new Tls12KeySchedule(context.Crypto, context.RequireSuite);
        byte[] master = _extendedMasterSecret
            ? schedule.ExtendedMasterSecret(preMasterSecret, context.Transcript.Current())
            : schedule.LegacyMasterSecret(preMasterSecret, context.ClientRandom, context.ServerRandom);
        context.MasterSecret12 = context.Own(master);
        context.LogSecret("CLIENT_RANDOM", master);
        (Tls12TrafficKeys client, Tls12TrafficKeys server) = schedule.KeyBlock(master, context.ClientRandom, context.ServerRandom);
        var finished = new ExpectClientFinished12(schedule, client, server, resumed: false, _issueTicket);
        return ClientLeaf == null ? finished : new ExpectClientCertificateVerify12(_config, ClientLeaf, finished);
    }
}
