using TlsEngine.KeySchedule;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>The client's Certificate, answering the server's CertificateRequest (RFC 8446 §4.4.2).</summary>
internal sealed class ExpectClientCertificate : HandshakeState
{
    private readonly ServerConfig _config;
    private readonly MasterStage _master;

    public ExpectClientCertificate(ServerConfig config, MasterStage master)
    {
        _config = config;
        _master = master;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Certificate);
        CertificateMessage certificate = CertificateMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        if (certificate.RequestContext.Length != 0)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidRequestContext, "The client's Certificate does not echo the request context.");
        }

        // RFC 8446 §4.4.2: entry extensions must answer the CertificateRequest's, and none of ours applies to an entry.
        if (certificate.HasEntryExtensions)
        {
            throw TlsFailureException.UnsupportedExtension("The client's Certificate carries extensions that were not requested.");
        }

        IPublicKey? leaf = context.ClientCertificateType == TlsCertificateType.RawPublicKey
            ? ClientAuthentication.RequirePresent(_config, CertificateTypes.CheckRawPublicKeyEntries(context, certificate.Certificates), TlsAlertDescription.CertificateRequired)
            : ClientAuthentication.ValidateChain(context, _config, certificate.Certificates, TlsAlertDescription.CertificateRequired);
        context.Transcript.Add(message.TranscriptForm);
        return leaf == null ? new ExpectClientFinished(_master) : new ExpectClientCertificateVerify(_config, leaf, _master);
    }
}
