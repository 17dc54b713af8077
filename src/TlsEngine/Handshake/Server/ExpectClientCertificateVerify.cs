using TlsEngine.KeySchedule;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>The client proves possession of its certificate's key (RFC 8446 §4.4.3).</summary>
internal sealed class ExpectClientCertificateVerify : HandshakeState
{
    private readonly ServerConfig _config;
    private readonly IPublicKey _leaf;
    private readonly MasterStage _master;

    public ExpectClientCertificateVerify(ServerConfig config, IPublicKey leaf, MasterStage master)
    {
        _master = master;
        _config = config;
        _leaf = leaf;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.CertificateVerify);
        CertificateVerifyMessage verify = CertificateVerifyMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        var scheme = (TlsSignatureScheme)verify.Scheme;
        ClientAuthentication.CheckScheme(_config, scheme, tls13: true);
        byte[] content = CertificateVerifyMessage.SignedContent(server: false, context.Transcript.Current());
        if (!context.Crypto.Verify(_leaf, scheme, content, verify.Signature))
        {
            throw new TlsFailureException(TlsFailureReason.BadSignature, "The client's CertificateVerify signature is invalid.");
        }

        context.PeerSignatureScheme = scheme;
        context.Transcript.Add(message.TranscriptForm);
        return new ExpectClientFinished(_master);
    }
}
