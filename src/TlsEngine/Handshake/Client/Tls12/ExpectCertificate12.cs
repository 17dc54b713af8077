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
        List<byte[]> chain = Tls12CertificateMessage.TryParse(message.Body) ?? throw Malformed(message.Type);
        return PeerChain.CheckServer(
            context,
            _config,
            message,
            chain,
            leaf => new ExpectServerKeyExchange12(_config, leaf, _extendedMasterSecret),
            leaf =>
            {
                if (!_suite.AllowsKey(leaf.KeyType))
                {
                    throw new TlsFailureException(TlsFailureReason.CertificateUnsupported, $"The server's key does not fit the negotiated suite {_suite.Suite}.");
                }
            });
    }
}
