using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server.Tls12;

/// <summary>The client's signature over every handshake message before it (RFC 5246 §7.4.8).</summary>
internal sealed class ExpectClientCertificateVerify12 : HandshakeState
{
    private readonly ServerConfig _config;
    private readonly IPublicKey _leaf;
    private readonly HandshakeState _next;

    public ExpectClientCertificateVerify12(ServerConfig config, IPublicKey leaf, HandshakeState next)
    {
        _config = config;
        _leaf = leaf;
        _next = next;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.CertificateVerify);
        CertificateVerifyMessage verify = CertificateVerifyMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        var scheme = (TlsSignatureScheme)verify.Scheme;
        ClientAuthentication.CheckScheme(_config, scheme, tls13: false);
        if (!context.Crypto.Verify(_leaf, scheme, context.Transcript.Raw, verify.Signature, anyCurve: true))
        {
            throw new TlsFailureException(TlsFailureReason.BadSignature, "The client's CertificateVerify signature is invalid.");
        }

        context.PeerSignatureScheme = scheme;
        context.Transcript.Add(message.TranscriptForm);
        return _next;
    }
}
