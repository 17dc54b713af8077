using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.X509;

namespace TlsEngine.Handshake.Client.Tls12;

/// <summary>The server's chain (RFC 5246 §7.4.2), validated before its key is used.</summary>
internal sealed class ExpectCertificate12 : HandshakeState
{
    private readonly TlsClientOptions _options;
    private readonly CipherSuiteInfo _suite;
    private readonly bool _extendedMasterSecret;

    public ExpectCertificate12(TlsClientOptions options, CipherSuiteInfo suite, bool extendedMasterSecret)
    {
        _options = options;
        _suite = suite;
        _extendedMasterSecret = extendedMasterSecret;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Certificate);
        List<byte[]> chain = Tls12CertificateMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        if (chain.Count == 0)
        {
            throw TlsFailureException.Decode("The server sent an empty certificate chain.");
        }

        if (chain.Count > context.Options.MaxCertificateChainLength)
        {
            throw TlsFailureException.Certificate(TlsAlertDescription.BadCertificate, $"The server's chain has more than {context.Options.MaxCertificateChainLength} certificates.");
        }

        var parsed = new List<ICertificate>();
        foreach (byte[] der in chain)
        {
            parsed.Add(context.Crypto.ParseCertificate(der)
                ?? throw TlsFailureException.Certificate(TlsAlertDescription.BadCertificate, "The server sent a certificate that cannot be parsed."));
        }

        if (!_suite.AllowsKey(parsed[0].KeyType))
        {
            throw TlsFailureException.Certificate(TlsAlertDescription.UnsupportedCertificate, $"The server's key does not fit the negotiated suite {_suite.Suite}.");
        }

        TlsTrustAnchors anchors = _options.TrustAnchors ?? TlsTrustAnchors.System;
        void Validate() => CertificateValidator.Validate(parsed, anchors.Anchors, _options.ServerName, context.Now.UtcDateTime, forServer: true);
        context.PeerCertificates = chain;
        context.Transcript.Add(message.Encoded);
        if (_options.DelegateCertificateValidation)
        {
            return DelegatedValidation.Pause(context, Validate, (_, _) => new ExpectServerKeyExchange12(_options, parsed[0], _extendedMasterSecret));
        }

        if (!_options.DangerousAcceptAnyServerCertificate)
        {
            Validate();
        }

        return new ExpectServerKeyExchange12(_options, parsed[0], _extendedMasterSecret);
    }
}
