using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client;

/// <summary>
/// The server's Certificate (RFC 8446 §4.4.2), optionally preceded by a CertificateRequest.
/// The chain is validated here, before its key is trusted to verify anything.
/// </summary>
internal sealed class ExpectCertificate : HandshakeState
{
    private readonly ClientConfig _config;
    private readonly CertificateRequestMessage? _request;
    private readonly HandshakeStage _handshakeKeys;

    public ExpectCertificate(ClientConfig config, HandshakeStage handshakeKeys, CertificateRequestMessage? request = null)
    {
        _config = config;
        _handshakeKeys = handshakeKeys;
        _request = request;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        if (message.Type == HandshakeType.CertificateRequest && _request == null)
        {
            CertificateRequestMessage request = CertificateRequestMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
            if (request.HasDuplicateExtension)
            {
                throw new TlsFailureException(TlsFailureReason.DuplicateExtension, "CertificateRequest repeats an extension.");
            }

            // RFC 8446 §4.3.2: the context is empty unless the request comes after the handshake.
            if (request.Context.Length != 0)
            {
                throw new TlsFailureException(TlsFailureReason.InvalidRequestContext, "A CertificateRequest during the handshake has a non-empty context.");
            }

            // RFC 8446 §4.3.2: signature_algorithms must be specified.
            if (request.SignatureSchemes == null)
            {
                throw TlsFailureException.MissingExtension("CertificateRequest has no signature_algorithms.");
            }

            context.Transcript.Add(message.TranscriptForm);
            return new ExpectCertificate(_config, _handshakeKeys, request);
        }

        Expect(message, HandshakeType.Certificate);
        CertificateMessage certificate = CertificateMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        if (certificate.RequestContext.Length != 0)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidRequestContext, "The server's Certificate has a non-empty request context.");
        }

        // RFC 8446 §4.4.2: entry extensions must answer the ClientHello's, and this client asks for none.
        if (certificate.HasEntryExtensions)
        {
            throw TlsFailureException.UnsupportedExtension("The server's Certificate carries extensions that were not requested.");
        }

        if (context.ServerCertificateType == TlsCertificateType.RawPublicKey)
        {
            Crypto.IPublicKey key = CertificateTypes.CheckRawPublicKeyEntries(context, certificate.Certificates, _config.DangerousAcceptAnyServerCertificate)
                ?? throw new TlsFailureException(TlsFailureReason.EmptyServerCertificate, "The server sent no raw public key.");
            context.Transcript.Add(message.TranscriptForm);
            return new ExpectCertificateVerify(_config, key, _request, _handshakeKeys);
        }

        return PeerChain.CheckServer(context, _config, message, certificate.Certificates, leaf => new ExpectCertificateVerify(_config, leaf, _request, _handshakeKeys));
    }
}
