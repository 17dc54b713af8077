using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client.Tls12;

/// <summary>The server's chain (RFC 5246 §7.4.2), validated before its key is used.</summary>
internal sealed class ExpectCertificate12 : HandshakeState
{
    private readonly ClientConfig _config;
    private readonly CipherSuiteInfo _suite;
    private readonly bool _extendedMasterSecret;

    public ExpectCertificate12(ClientConfig config, CipherSuiteInfo suite, bool extendedMasterSecret)
    {
        _config = config;
        _suite = suite;
        _extendedMasterSecret = extendedMasterSecret;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.Certificate);
        if (context.ServerCertificateType == TlsCertificateType.RawPublicKey)
        {
            // RFC 7250 §3: the body is the SubjectPublicKeyInfo alone.
            byte[] raw = Tls12CertificateMessage.TryParseRawPublicKey(message.Body) ?? throw Malformed(message.Type);
            if (raw.Length == 0)
            {
                throw new TlsFailureException(TlsFailureReason.EmptyServerCertificate, "The server sent no raw public key.");
            }

            IPublicKey key = CertificateTypes.CheckRawPublicKey(context, raw, _config.DangerousAcceptAnyServerCertificate);
            CheckKeyFitsSuite(key);
            context.Transcript.Add(message.TranscriptForm);
            return new ExpectServerKeyExchange12(_config, key, _extendedMasterSecret);
        }

        List<byte[]> chain = Tls12CertificateMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        return PeerChain.CheckServer(
            context,
            _config,
            message,
            chain,
            leaf => new ExpectServerKeyExchange12(_config, leaf, _extendedMasterSecret),
            CheckKeyFitsSuite);
    }

    private void CheckKeyFitsSuite(IPublicKey key)
    {
        if (!_suite.AllowsKey(key.KeyType))
        {
            throw new TlsFailureException(TlsFailureReason.CertificateUnsupported, $"The server's key does not fit the negotiated suite {_suite.Suite}.");
        }
    }
}
