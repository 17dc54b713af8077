using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// The adversary as a TLS 1.2 ECDHE client against the engine's server: a TLS 1.2-only ClientHello
/// with the extended master secret and secure renegotiation, then ClientKeyExchange,
/// [Certificate, CertificateVerify], change_cipher_spec and Finished.
/// </summary>
internal sealed class Tls12ClientAdversary : Tls12Adversary
{
    public Tls12ClientAdversary(TlsServerOptions? options = null)
        : base(TlsConnection.CreateServer(options ?? Engines.Server()))
    {
    }

    protected override bool IsServer => false;

    public List<ushort> OfferedSuites { get; } = new() { 0xC02B, 0xC02C, 0xC02F, 0xC030, 0xCCA9, 0xCCA8 };

    public List<ushort> SupportedGroups { get; } = new() { 0x001D, 0x0017, 0x0018 };

    public List<ushort> OfferedSchemes { get; } = new() { 0x0403, 0x0503, 0x0807, 0x0804, 0x0805, 0x0806, 0x0401 };

    public TlsCertificateCredential? ClientCredential { get; set; }

    public Action<ClientHello>? EditClientHello { get; set; }

    /// <summary>The point sent in ClientKeyExchange instead of the real one (the premaster secret is then unknown).</summary>
    public byte[]? ClientPoint { get; set; }

    public ServerHello? ReceivedHello { get; private set; }

    /// <summary>The hello the role sends before any edit.</summary>
    public ClientHello BuildHello()
    {
        var hello = new ClientHello { Random = Random.GetBytes(32), CipherSuites = OfferedSuites.ToList() };
        hello.Extensions.Add(new Extension(ExtensionType.ServerName, ExtensionCodecs.EncodeServerName("localhost")));
        hello.Extensions.Add(new Extension(ExtensionType.SupportedGroups, ExtensionBlock.U16List(SupportedGroups, 2)));
        hello.Extensions.Add(new Extension(ExtensionType.EcPointFormats, new byte[] { 1, 0 }));
        hello.Extensions.Add(new Extension(ExtensionType.SignatureAlgorithms, ExtensionBlock.U16List(OfferedSchemes, 2)));
        hello.Extensions.Add(new Extension(ExtensionType.ExtendedMasterSecret, Array.Empty<byte>()));
        hello.Extensions.Add(new Extension(ExtensionType.RenegotiationInfo, new byte[] { 0 }));
        return hello;
    }

    protected override void Play()
    {
        ClientHello hello = BuildHello();
        EditClientHello?.Invoke(hello);
        ClientRandom = hello.Random;
        SendHandshake(hello.Encode());

        byte[] message = Receive(HandshakeType.ServerHello, "ServerHello");
        ReceivedHello = ServerHello.TryParse(message.AsSpan(4)) ?? throw Stop("the engine's ServerHello does not parse");
        Transcript.Add(message);
        ServerRandom = ReceivedHello.Random;
        Suite = CipherSuiteInfo.Find(ReceivedHello.CipherSuite) ?? throw Stop("the engine selected an unknown suite");
        Transcript.Add(Receive(HandshakeType.Certificate, "Certificate"));
        message = Receive(HandshakeType.ServerKeyExchange, "ServerKeyExchange");
        ServerKeyExchangeMessage exchange = ServerKeyExchangeMessage.TryParse(message.AsSpan(4)) ?? throw Stop("the engine's ServerKeyExchange does not parse");
        Transcript.Add(message);
        message = ReceiveAny("ServerHelloDone");
        bool certificateRequested = message[0] == HandshakeType.CertificateRequest;
        if (certificateRequested)
        {
            Transcript.Add(message);
            message = ReceiveAny("ServerHelloDone");
        }

        if (message[0] != HandshakeType.ServerHelloDone)
        {
            throw Stop($"expected ServerHelloDone, got {HandshakeType.Name(message[0])}");
        }

        Transcript.Add(message);
        if (certificateRequested)
        {
            SendHandshake(Tls12CertificateMessage.Encode(ClientCredential?.ChainDer ?? Array.Empty<byte[]>()));
        }

        using IKeyShare share = Crypto.GenerateKeyShare((TlsNamedGroup)exchange.Group, Random);
        byte[] preMasterSecret = share.DeriveSharedSecret(exchange.PublicKey) ?? throw Stop("the engine's ECDHE point is invalid");
        SendHandshake(ClientKeyExchangeMessage.Encode(ClientPoint ?? share.PublicKey));
        DeriveKeys(preMasterSecret);
        if (certificateRequested && ClientCredential != null)
        {
            TlsSignatureScheme scheme = TlsEngine.Handshake.SignatureSchemes.For12(ClientCredential.KeyType).First();
            SendHandshake(Tls12CertificateVerifyMessage.Encode((ushort)scheme, Crypto.Sign(ClientCredential.Key!, scheme, Transcript.Raw, Random)));
        }

        SendOwnFinished();
        ReceiveFinished();
        HandshakeDone = true;
    }
}
