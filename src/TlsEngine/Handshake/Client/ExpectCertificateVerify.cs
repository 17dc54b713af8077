using System.Linq;
using TlsEngine.KeySchedule;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client;

/// <summary>The server proves possession of the certificate's key over the transcript (RFC 8446 §4.4.3).</summary>
internal sealed class ExpectCertificateVerify : HandshakeState
{
    private readonly ClientConfig _config;
    private readonly IPublicKey _leaf;
    private readonly CertificateRequestMessage? _request;
    private readonly HandshakeStage _handshakeKeys;

    public ExpectCertificateVerify(ClientConfig config, IPublicKey leaf, CertificateRequestMessage? request, HandshakeStage handshakeKeys)
    {
        _handshakeKeys = handshakeKeys;
        _config = config;
        _leaf = leaf;
        _request = request;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.CertificateVerify);
        CertificateVerifyMessage verify = CertificateVerifyMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        var scheme = (TlsSignatureScheme)verify.Scheme;
        // RFC 8446 §4.4.3: only offered schemes, and never PKCS#1 v1.5 in TLS 1.3.
        if (!_config.SignatureSchemes.Contains(scheme) || SignatureSchemes.IsPkcs1(scheme))
        {
            throw new TlsFailureException(TlsFailureReason.SignatureSchemeNotOffered, $"The server signed with {scheme}, which was not offered for TLS 1.3.");
        }

        byte[] content = CertificateVerifyMessage.SignedContent(server: true, context.Transcript.Current());
        if (!context.Crypto.Verify(_leaf, scheme, content, verify.Signature))
        {
            throw new TlsFailureException(TlsFailureReason.BadSignature, "The server's CertificateVerify signature is invalid.");
        }

        context.PeerSignatureScheme = scheme;
        context.Transcript.Add(message.TranscriptForm);
        return new ExpectFinished(_config, _request, _handshakeKeys);
    }
}
