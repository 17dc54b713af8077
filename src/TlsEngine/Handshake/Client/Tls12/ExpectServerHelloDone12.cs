using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client.Tls12;

/// <summary>
/// ServerHelloDone, optionally after CertificateRequest; then the client's flight:
/// [Certificate], ClientKeyExchange, ChangeCipherSpec, Finished (RFC 5246 §7.3).
/// </summary>
internal sealed class ExpectServerHelloDone12 : HandshakeState
{
    private readonly IKeyShare _share;
    private readonly byte[] _preMasterSecret;
    private readonly bool _extendedMasterSecret;
    private readonly ClientConfig _config;
    private readonly List<ushort>? _requestedSchemes;

    public ExpectServerHelloDone12(ClientConfig config, IKeyShare share, byte[] preMasterSecret, bool extendedMasterSecret, List<ushort>? requestedSchemes = null)
    {
        _config = config;
        _share = share;
        _preMasterSecret = preMasterSecret;
        _extendedMasterSecret = extendedMasterSecret;
        _requestedSchemes = requestedSchemes;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        if (message.Type == HandshakeType.CertificateRequest && _requestedSchemes == null)
        {
            List<ushort> schemes = Tls12CertificateRequestMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
            context.Transcript.Add(message.TranscriptForm);
            return new ExpectServerHelloDone12(_config, _share, _preMasterSecret, _extendedMasterSecret, schemes);
        }

        Expect(message, HandshakeType.ServerHelloDone);
        if (message.Body.Length != 0)
        {
            throw Malformed(message.Type);
        }

        context.Transcript.Add(message.TranscriptForm);
        LocalCredential? credential = CertificateTypes.ClientCredential(context, _config);
        TlsSignatureScheme? scheme = null;
        if (_requestedSchemes != null)
        {
            // Without a fitting credential an empty chain lets the server decide (RFC 5246 §7.4.6).
            scheme = credential?.Key == null ? null : ClientAuthentication.ChooseScheme(SignatureSchemes.For12(credential.KeyType), _requestedSchemes);
            context.SendHandshake(Tls12CertificateMessage.Encode(scheme == null ? null : credential));
        }

        context.SendHandshake(ClientKeyExchangeMessage.Encode(_share.PublicKey));
        _share.Dispose();
        var schedule = new Tls12KeySchedule(context.Crypto, context.RequireSuite);
        byte[] master = _extendedMasterSecret
            ? schedule.ExtendedMasterSecret(_preMasterSecret, context.Transcript.Current())
            : schedule.LegacyMasterSecret(_preMasterSecret, context.ClientRandom, context.ServerRandom);
        context.MasterSecret12 = context.Own(master);
        context.LogSecret("CLIENT_RANDOM", master);
        (Tls12TrafficKeys client, Tls12TrafficKeys server) = schedule.KeyBlock(master, context.ClientRandom, context.ServerRandom);
        if (scheme != null)
        {
            byte[] signature = context.Crypto.Sign(credential!.Key!, scheme.Value, context.Transcript.Raw, context.Random);
            context.SendHandshake(Tls12CertificateVerifyMessage.Encode((ushort)scheme.Value, signature));
        }

        context.Channel.SendChangeCipherSpec();
        context.Channel.InstallTls12WriteKeys(context.RequireSuite, client);
        byte[] verifyData = schedule.FinishedVerifyData(master, fromClient: true, context.Transcript.Current());
        context.SendHandshake(FinishedMessage.Encode(verifyData));
        return new ExpectServerFinished12(schedule, server);
    }
}
