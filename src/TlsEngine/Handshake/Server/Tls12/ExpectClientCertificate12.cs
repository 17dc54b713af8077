using System.Collections.Generic;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server.Tls12;

/// <summary>The client's certificate chain, first in its flight when one was requested (RFC 5246 §7.4.6).</summary>
internal sealed class ExpectClientCertificate12 : HandshakeState
{
    private readonly ServerConfig _config;
    private readonly ExpectClientKeyExchange12 _next;

    public ExpectClientCertificate12(ServerConfig config, ExpectClientKeyExchange12 next)
    {
        _config = config;
        _next = next;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Certificate);
        // TLS 1.2 has no certificate_required alert; RFC 5246 §7.4.6 names handshake_failure.
        if (context.ClientCertificateType == TlsCertificateType.RawPublicKey)
        {
            // RFC 7250 §3: the body is the SubjectPublicKeyInfo alone; an empty one carries no key.
            byte[] raw = Tls12CertificateMessage.TryParseRawPublicKey(message.Body) ?? throw Malformed(message.Type);
            Crypto.IPublicKey? key = raw.Length == 0 ? null : CertificateTypes.CheckRawPublicKey(context, raw);
            _next.ClientLeaf = ClientAuthentication.RequirePresent(_config, key, TlsAlertDescription.HandshakeFailure);
        }
        else
        {
            List<byte[]> chain = Tls12CertificateMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
            _next.ClientLeaf = ClientAuthentication.ValidateChain(context, _config, chain, TlsAlertDescription.HandshakeFailure);
        }

        context.Transcript.Add(message.TranscriptForm);
        return _next;
    }
}
