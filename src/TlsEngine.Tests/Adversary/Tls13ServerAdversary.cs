using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// The adversary as a TLS 1.3 server against the engine's client: HelloRetryRequest on demand,
/// ServerHello, change_cipher_spec, EncryptedExtensions, [CertificateRequest], Certificate,
/// CertificateVerify, Finished; then the client's Finished, and tickets if asked for.
/// </summary>
internal sealed class Tls13ServerAdversary : Tls13Adversary
{
    public Tls13ServerAdversary(Action<TlsClientOptions>? configure = null)
        : base(CreateEngine(configure))
    {
    }

    protected override bool IsServer => true;

    public TlsCipherSuite SuiteChoice { get; set; } = TlsCipherSuite.TLS_AES_128_GCM_SHA256;

    /// <summary>The group of the ServerHello key share; null takes the client's first share.</summary>
    public TlsNamedGroup? Group { get; set; }

    /// <summary>Send a HelloRetryRequest asking for this group first.</summary>
    public TlsNamedGroup? RetryGroup { get; set; }

    /// <summary>Send a HelloRetryRequest carrying this cookie first.</summary>
    public byte[]? RetryCookie { get; set; }

    public TlsCertificateCredential Credential { get; set; } = TestPki.Credential("ecdsa-p256");

    /// <summary>The CertificateVerify scheme; null picks the first the key can make.</summary>
    public TlsSignatureScheme? Scheme { get; set; }

    public bool RequestClientCertificate { get; set; }

    /// <summary>The ALPN protocol to select in EncryptedExtensions.</summary>
    public string? SelectAlpn { get; set; }

    public int TicketsAfterHandshake { get; set; }

    /// <summary>Resume with this PSK: pre_shared_key selects identity 0, and no certificate is sent (RFC 8446 §2.2).</summary>
    public byte[]? AcceptPsk { get; set; }

    /// <summary>The PSK behind the ticket the engine offers, so its 0-RTT records (and alerts under the early key) can be read.</summary>
    public byte[]? KnownClientPsk { get; set; }

    /// <summary>Accept the engine's 0-RTT data (early_data in EncryptedExtensions; needs <see cref="AcceptPsk"/>).</summary>
    public bool AcceptEarlyData { get; set; }

    public Action<ServerHello>? EditHelloRetryRequest { get; set; }

    public Action<ServerHello>? EditServerHello { get; set; }

    public Action<List<Extension>>? EditEncryptedExtensions { get; set; }

    public Action<CertificateRequestMessage>? EditCertificateRequest { get; set; }

    /// <summary>The last ClientHello the engine sent.</summary>
    public ClientHello? ReceivedHello { get; private set; }

    /// <summary>A valid ticket (RFC 8446 §4.6.1) with the given lifetime.</summary>
    public static NewSessionTicketMessage Ticket(uint lifetime = 3600) =>
        new() { Lifetime = lifetime, AgeAdd = 7, Nonce = new byte[] { 1 }, Ticket = new byte[] { 0xDE, 0xAD, 0xBE, 0xEF } };

    protected override void Play()
    {
        ReceivedHello = ReceiveClientHello("ClientHello");
        Suite = CipherSuiteInfo.Get(SuiteChoice);
        byte[]? earlyPsk = KnownClientPsk ?? AcceptPsk;
        if (earlyPsk != null && ReceivedHello.Find(ExtensionType.EarlyData) != null)
        {
            using var early = new EarlyStage(Hkdf, earlyPsk);
            Wire.AddKey(KeyFor(early.ClientEarlyTrafficSecret(Transcript.Hash(Suite.Hash)), "client early"));
        }
        if (RetryGroup != null || RetryCookie != null)
        {
            SendHelloRetryRequest();
            ReceivedHello = ReceiveClientHello("second ClientHello");
        }

        Psk = AcceptPsk ?? Array.Empty<byte>();
        byte[] sharedSecret = SendServerHello();
        if (ReceivedHello.LegacySessionId.Length > 0 && RetryGroup == null && RetryCookie == null)
        {
            SendCompatibilityChangeCipherSpec();
        }

        DeriveHandshakeSecrets(sharedSecret);
        WriteKey = ServerHandshakeKey();
        SendEncryptedExtensions();
        if (RequestClientCertificate)
        {
            var request = new CertificateRequestMessage();
            request.Extensions.Add(new Extension(ExtensionType.SignatureAlgorithms, ExtensionBlock.U16List(new ushort[] { 0x0403, 0x0804, 0x0807 }, 2)));
            EditCertificateRequest?.Invoke(request);
            SendHandshake(request.Encode());
        }

        if (AcceptPsk == null)
        {
            var certificate = new CertificateMessage();
            certificate.Certificates.AddRange(Credential.ChainDer);
            SendHandshake(certificate.Encode());
            TlsSignatureScheme scheme = Scheme ?? SignatureSchemes.For(Credential.KeyType).First();
            byte[] signed = CertificateVerifyMessage.SignedContent(server: true, Transcript.Hash(Suite.Hash));
            SendHandshake(new CertificateVerifyMessage { Scheme = (ushort)scheme, Signature = Crypto.Sign(Credential.Key!, scheme, signed, Random) }.Encode());
        }

        SendHandshake(FinishedMessage.Encode(VerifyData(ServerHandshakeSecret)));
        DeriveApplicationSecrets();
        WriteKey = KeyFor(ServerApplicationSecret, "server application 0");
        ReceiveClientFlight();
        HandshakeDone = true;
        for (int i = 0; i < TicketsAfterHandshake; i++)
        {
            SendPostHandshake(Ticket().Encode());
        }
    }

    private static TlsConnection CreateEngine(Action<TlsClientOptions>? configure)
    {
        TlsClientOptions options = Engines.Client();
        configure?.Invoke(options);
        return TlsConnection.CreateClient(options);
    }

    private ClientHello ReceiveClientHello(string what)
    {
        byte[] message = Receive(HandshakeType.ClientHello, what);
        Transcript.Add(message);
        return ClientHello.TryParse(message.AsSpan(4)) ?? throw Stop($"the engine's {what} does not parse");
    }

    private void SendHelloRetryRequest()
    {
        Transcript.ReplaceWithMessageHash(Suite.Hash);
        var retry = new ServerHello
        {
            Random = ServerHello.HelloRetryRequestRandom,
            LegacySessionIdEcho = ReceivedHello!.LegacySessionId,
            CipherSuite = (ushort)Suite.Suite,
            Extensions = { new Extension(ExtensionType.SupportedVersions, ExtensionCodecs.EncodeU16(0x0304)) },
        };
        if (RetryGroup != null)
        {
            retry.Extensions.Add(new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeU16((ushort)RetryGroup.Value)));
        }

        if (RetryCookie != null)
        {
            retry.Extensions.Add(new Extension(ExtensionType.Cookie, ExtensionCodecs.EncodeCookie(RetryCookie)));
        }

        EditHelloRetryRequest?.Invoke(retry);
        SendHandshake(retry.Encode());
        if (ReceivedHello.LegacySessionId.Length > 0)
        {
            SendCompatibilityChangeCipherSpec();
        }
    }

    /// <returns>The ECDHE shared secret.</returns>
    private byte[] SendServerHello()
    {
        ExtensionCodecs.TryDecodeClientKeyShares(ReceivedHello!.Find(ExtensionType.KeyShare)?.Data ?? new byte[] { 0, 0 }, out List<KeyShareEntry> shares);
        ushort group = (ushort?)Group ?? (shares.Count > 0 ? shares[0].Group : (ushort)TlsNamedGroup.X25519);
        KeyShareEntry? clientShare = shares.Where(s => s.Group == group).Select(s => (KeyShareEntry?)s).FirstOrDefault();
        // Answered as the engine's server does (Encapsulate works for (EC)DH and ML-KEM alike); without
        // a usable client share, a fresh share of the group stands in and the secret is zeros.
        KeyExchangeResponse? answer = clientShare == null ? null : Crypto.Encapsulate((TlsNamedGroup)group, clientShare.Value.KeyExchange, Random);
        byte[] sharedSecret = answer?.SharedSecret ?? new byte[32];
        byte[] serverShare;
        if (answer != null)
        {
            serverShare = answer.Share;
        }
        else
        {
            using IKeyShare standIn = Crypto.GenerateKeyShare((TlsNamedGroup)group, Random);
            serverShare = standIn.PublicKey;
        }

        var hello = new ServerHello
        {
            Random = Random.GetBytes(32),
            LegacySessionIdEcho = ReceivedHello.LegacySessionId,
            CipherSuite = (ushort)Suite.Suite,
            Extensions =
            {
                new Extension(ExtensionType.SupportedVersions, ExtensionCodecs.EncodeU16(0x0304)),
                new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeServerKeyShare(new KeyShareEntry(group, serverShare))),
            },
        };
        if (AcceptPsk != null)
        {
            hello.Extensions.Add(new Extension(ExtensionType.PreSharedKey, ExtensionCodecs.EncodeU16(0)));
        }

        EditServerHello?.Invoke(hello);
        SendHandshake(hello.Encode());
        return sharedSecret;
    }

    private void SendEncryptedExtensions()
    {
        var extensions = new List<Extension>();
        if (ReceivedHello!.Find(ExtensionType.ServerName) != null)
        {
            extensions.Add(new Extension(ExtensionType.ServerName, Array.Empty<byte>()));
        }

        if (AcceptEarlyData)
        {
            extensions.Add(new Extension(ExtensionType.EarlyData, Array.Empty<byte>()));
        }

        if (SelectAlpn != null)
        {
            extensions.Add(new Extension(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { SelectAlpn })));
        }

        EditEncryptedExtensions?.Invoke(extensions);
        SendHandshake(new EncryptedExtensions { Extensions = extensions }.Encode());
    }

    /// <summary>The client's [Certificate, CertificateVerify], Finished under its handshake key.</summary>
    private void ReceiveClientFlight()
    {
        byte[] message = ReceiveAny("the client's Finished");
        if (message[0] == HandshakeType.EndOfEarlyData)
        {
            Transcript.Add(message);
            message = ReceiveAny("the client's Finished");
        }

        if (message[0] == HandshakeType.Certificate)
        {
            Transcript.Add(message);
            message = ReceiveAny("the client's Finished");
            if (message[0] == HandshakeType.CertificateVerify)
            {
                Transcript.Add(message);
                message = ReceiveAny("the client's Finished");
            }
        }

        if (message[0] != HandshakeType.Finished || !message.AsSpan(4).SequenceEqual(VerifyData(ClientHandshakeSecret)))
        {
            throw Stop("the engine's Finished is missing or does not verify");
        }

        Transcript.Add(message);
        ResumptionSecret = Master!.ResumptionSecret(Transcript.Hash(Suite.Hash));
    }
}
