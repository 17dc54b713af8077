using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// The adversary as a TLS 1.2 ECDHE server against the engine's client (RFC 5246 §7.3, RFC 8422):
/// ServerHello, Certificate, ServerKeyExchange, [CertificateRequest], ServerHelloDone; then the
/// client's flight, and change_cipher_spec and Finished back.
/// </summary>
internal sealed class Tls12ServerAdversary : Tls12Adversary
{
    public Tls12ServerAdversary(Action<TlsClientOptions>? configure = null)
        : base(CreateEngine(configure))
    {
    }

    protected override bool IsServer => true;

    public TlsCipherSuite SuiteChoice { get; set; } = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

    public TlsNamedGroup Group { get; set; } = TlsNamedGroup.X25519;

    public TlsCertificateCredential Credential { get; set; } = TestPki.Credential("ecdsa-p256");

    public TlsSignatureScheme Scheme { get; set; } = TlsSignatureScheme.EcdsaSecp256r1Sha256;

    public bool RequestClientCertificate { get; set; }

    public Action<ServerHello>? EditServerHello { get; set; }

    public Action<ServerKeyExchangeMessage>? EditServerKeyExchange { get; set; }

    public ClientHello? ReceivedHello { get; private set; }

    protected override void Play()
    {
        byte[] message = Receive(HandshakeType.ClientHello, "ClientHello");
        Transcript.Add(message);
        ReceivedHello = ClientHello.TryParse(message.AsSpan(4)) ?? throw Stop("the engine's ClientHello does not parse");
        ClientRandom = ReceivedHello.Random;
        Suite = CipherSuiteInfo.Get(SuiteChoice);
        SendServerHello();
        SendHandshake(Tls12CertificateMessage.Encode(Credential.ChainDer));
        using IKeyShare share = Crypto.GenerateKeyShare(Group, Random);
        var exchange = new ServerKeyExchangeMessage { Group = (ushort)Group, PublicKey = share.PublicKey, Scheme = (ushort)Scheme };
        exchange.Signature = Crypto.Sign(Credential.Key!, Scheme, SignedParameters(exchange.Parameters), Random);
        EditServerKeyExchange?.Invoke(exchange);
        SendHandshake(exchange.Encode());
        if (RequestClientCertificate)
        {
            SendHandshake(Tls12CertificateRequestMessage.Encode(new ushort[] { 0x0403, 0x0804, 0x0401 }, new byte[] { 0, 0 }));
        }

        SendHandshake(ServerHelloDoneMessage.Encode());

        message = ReceiveAny("ClientKeyExchange");
        if (message[0] == HandshakeType.Certificate)
        {
            Transcript.Add(message);
            message = ReceiveAny("ClientKeyExchange");
        }

        if (message[0] != HandshakeType.ClientKeyExchange)
        {
            throw Stop($"expected ClientKeyExchange, got {HandshakeType.Name(message[0])}");
        }

        byte[] point = ClientKeyExchangeMessage.TryParse(message.AsSpan(4)) ?? throw Stop("the engine's ClientKeyExchange does not parse");
        Transcript.Add(message);
        DeriveKeys(share.DeriveSharedSecret(point) ?? throw Stop("the engine's ECDHE point is invalid"));
        message = ReceiveAny("Finished");
        if (message[0] == HandshakeType.CertificateVerify)
        {
            Transcript.Add(message);
        }
        else
        {
            Wire.Requeue(message);
        }

        ReceiveFinished();
        SendOwnFinished();
        HandshakeDone = true;
    }

    private static TlsConnection CreateEngine(Action<TlsClientOptions>? configure)
    {
        TlsClientOptions options = Engines.Client();
        configure?.Invoke(options);
        return TlsConnection.CreateClient(options);
    }

    private void SendServerHello()
    {
        var hello = new ServerHello
        {
            Random = Random.GetBytes(32),
            // A fresh id: echoing the client's would claim a resumption it never offered.
            LegacySessionIdEcho = Random.GetBytes(32),
            CipherSuite = (ushort)Suite.Suite,
            Extensions = { new Extension(ExtensionType.RenegotiationInfo, new byte[] { 0 }) },
        };
        if (ReceivedHello!.Find(ExtensionType.ExtendedMasterSecret) != null)
        {
            hello.Extensions.Add(new Extension(ExtensionType.ExtendedMasterSecret, Array.Empty<byte>()));
        }

        if (ReceivedHello.Find(ExtensionType.EcPointFormats) != null)
        {
            hello.Extensions.Add(new Extension(ExtensionType.EcPointFormats, new byte[] { 1, 0 }));
        }

        EditServerHello?.Invoke(hello);
        ServerRandom = hello.Random;
        SendHandshake(hello.Encode());
    }
}
