using System.Linq;
using TlsEngine.Buffers;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client.Tls12;

/// <summary>The server's signed ECDHE parameters (RFC 8422 §5.4).</summary>
internal sealed class ExpectServerKeyExchange12 : HandshakeState
{
    private readonly ClientConfig _config;
    private readonly IPublicKey _leaf;
    private readonly bool _extendedMasterSecret;

    public ExpectServerKeyExchange12(ClientConfig config, IPublicKey leaf, bool extendedMasterSecret)
    {
        _config = config;
        _leaf = leaf;
        _extendedMasterSecret = extendedMasterSecret;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.ServerKeyExchange);
        ServerKeyExchangeMessage exchange = ServerKeyExchangeMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        var group = (TlsNamedGroup)exchange.Group;
        if (!_config.Groups.Contains(group) || KeyExchange.IsKem(group))
        {
            throw new TlsFailureException(TlsFailureReason.GroupNotOffered, $"The server chose group {exchange.Group}, which was not offered.");
        }

        var scheme = (TlsSignatureScheme)exchange.Scheme;
        if (!_config.SignatureSchemes.Contains(scheme))
        {
            throw new TlsFailureException(TlsFailureReason.SignatureSchemeNotOffered, $"The server signed with {scheme}, which was not offered.");
        }

        var signed = new TlsWriter(128);
        signed.WriteBytes(context.ClientRandom);
        signed.WriteBytes(context.ServerRandom);
        signed.WriteBytes(exchange.Parameters);
        if (!context.Crypto.Verify(_leaf, scheme, signed.WrittenSpan, exchange.Signature, anyCurve: true))
        {
            throw new TlsFailureException(TlsFailureReason.BadSignature, "The ServerKeyExchange signature is invalid.");
        }

        IKeyShare share = context.Crypto.GenerateKeyShare(group, context.Random);
        byte[] preMasterSecret = share.DeriveSharedSecret(exchange.PublicKey)
            ?? throw new TlsFailureException(TlsFailureReason.InvalidKeyShare, "The server's ECDHE public key is invalid.");
        context.Own(preMasterSecret);
        context.Group = group;
        context.PeerSignatureScheme = scheme;
        context.Transcript.Add(message.TranscriptForm);
        return new ExpectServerHelloDone12(_config, share, preMasterSecret, _extendedMasterSecret);
    }
}
