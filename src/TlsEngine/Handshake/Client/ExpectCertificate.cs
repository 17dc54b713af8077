using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.X509;

namespace TlsEngine.Handshake.Client;

/// <summary>
/// The server's Certificate (RFC 8446 §4.4.2), optionally preceded by a CertificateRequest.
/// The chain is validated here, before its key is trusted to verify anything.
/// </summary>
internal sealed class ExpectCertificate : HandshakeState
{
    private readonly TlsClientOptions _options;
    private readonly CertificateRequestMessage? _request;

    public ExpectCertificate(TlsClientOptions options, CertificateRequestMessage? request = null)
    {
        _options = options;
        _request = request;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        if (message.Type == HandshakeType.CertificateRequest && _request == null)
        {
            CertificateRequestMessage request = CertificateRequestMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
            context.Transcript.Add(message.Encoded);
            return new ExpectCertificate(_options, request);
        }

        Expect(message, HandshakeType.Certificate);
        CertificateMessage certificate = CertificateMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        if (certificate.RequestContext.Length != 0)
        {
            throw TlsFailureException.Illegal("The server's Certificate has a non-empty request context.");
        }

        if (certificate.Certificates.Count == 0)
        {
            throw TlsFailureException.Decode("The server sent an empty certificate chain.");
        }

        if (certificate.Certificates.Count > context.Options.MaxCertificateChainLength)
        {
            throw TlsFailureException.Certificate(TlsAlertDescription.BadCertificate, $"The server's chain has more than {context.Options.MaxCertificateChainLength} certificates.");
        }

        var parsed = new List<ICertificate>();
        foreach (byte[] der in certificate.Certificates)
        {
            parsed.Add(context.Crypto.ParseCertificate(der)
                ?? throw TlsFailureException.Certificate(TlsAlertDescription.BadCertificate, "The server sent a certificate that cannot be parsed."));
        }

        TlsTrustAnchors anchors = _options.TrustAnchors ?? TlsTrustAnchors.System;
        void Validate() => CertificateValidator.Validate(parsed, anchors.Anchors, _options.ServerName, context.Now.UtcDateTime, forServer: true);
        context.PeerCertificates = certificate.Certificates;
        context.Transcript.Add(message.Encoded);
        if (_options.DelegateCertificateValidation)
        {
            return DelegatedValidation.Pause(context, Validate, (_, _) => new ExpectCertificateVerify(_options, parsed[0], _request));
        }

        if (!_options.DangerousAcceptAnyServerCertificate)
        {
            Validate();
        }

        return new ExpectCertificateVerify(_options, parsed[0], _request);
    }
}
