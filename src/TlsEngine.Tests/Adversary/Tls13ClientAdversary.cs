using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using PskBinder = TlsEngine.Handshake.Resumption;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// The adversary as a TLS 1.3 client against the engine's server: ClientHello (optionally with a
/// ticket, its binder and 0-RTT data), a second ClientHello after HelloRetryRequest, then the
/// server's flight, [EndOfEarlyData], [Certificate, CertificateVerify] and Finished.
/// </summary>
internal sealed class Tls13ClientAdversary : Tls13Adversary
{
    private readonly Dictionary<ushort, IKeyShare> _shares = new();
    private bool _sentCompatibilityCcs;

    public Tls13ClientAdversary(TlsServerOptions? options = null)
        : base(TlsConnection.CreateServer(options ?? Engines.Server()))
    {
    }

    protected override bool IsServer => false;

    public List<ushort> OfferedSuites { get; } = new() { 0x1301, 0x1302, 0x1303 };

    public List<ushort> SupportedGroups { get; } = new() { 0x001D, 0x0017, 0x0018 };

    public List<ushort> KeyShareGroups { get; } = new() { 0x001D };

    public List<ushort> OfferedSchemes { get; } = new() { 0x0403, 0x0503, 0x0807, 0x0804, 0x0805, 0x0806 };

    public string? ServerName { get; set; } = "localhost";

    public string[]? Alpn { get; set; }

    /// <summary>A ticket from the engine under test's ticket keys, offered in pre_shared_key.</summary>
    public TlsSessionTicket? Ticket { get; set; }

    /// <summary>0-RTT data sent right behind the first ClientHello (with a ticket: under its early key).</summary>
    public byte[]? EarlyData { get; set; }

    /// <summary>Offer early_data in the first ClientHello (with a ticket and early data, the default).</summary>
    public bool? OfferEarlyData { get; set; }

    /// <summary>Fill in real binders after any edit of the ClientHello.</summary>
    public bool PatchBinders { get; set; } = true;

    /// <summary>The chain and key sent when the server asks for a certificate.</summary>
    public TlsCertificateCredential? ClientCredential { get; set; }

    public Action<ClientHello>? EditClientHello { get; set; }

    public Action<ClientHello>? EditSecondClientHello { get; set; }

    /// <summary>client_early_traffic_secret's key, once the ClientHello offering 0-RTT is sent.</summary>
    public AdversaryCipher? EarlyKey { get; private set; }

    public bool Resumed { get; private set; }

    public bool EarlyAccepted { get; private set; }

    protected override void Play()
    {
        foreach (ushort group in KeyShareGroups)
        {
            _shares[group] = Crypto.GenerateKeyShare((TlsNamedGroup)group, Random);
        }

        bool offerEarly = OfferEarlyData ?? (Ticket != null && EarlyData != null);
        ClientHello hello = BuildHello(cookie: null, offerEarly);
        EditClientHello?.Invoke(hello);
        RecordVersion = 0x0301;
        SendHandshake(EncodeWithBinders(hello));
        RecordVersion = 0x0303;
        if (EarlyData != null)
        {
            SendEarlyData();
        }

        byte[] message = Receive(HandshakeType.ServerHello, "ServerHello");
        ServerHello serverHello = ServerHello.TryParse(message.AsSpan(4)) ?? throw Stop("the engine's ServerHello does not parse");
        if (serverHello.IsHelloRetryRequest)
        {
            message = AnswerHelloRetryRequest(message, serverHello, hello);
            serverHello = ServerHello.TryParse(message.AsSpan(4)) ?? throw Stop("the engine's second ServerHello does not parse");
        }

        ProcessServerHello(message, serverHello, offerEarly);
        ReceiveServerFlight(out CertificateRequestMessage? request);
        DeriveApplicationSecrets();
        if (EarlyAccepted)
        {
            SendHandshake(EndOfEarlyDataMessage.Encode());
        }

        WriteKey = ClientHandshakeKey();
        if (!_sentCompatibilityCcs)
        {
            SendCompatibilityChangeCipherSpec();
        }

        if (request != null)
        {
            SendClientCertificate(request);
        }

        SendHandshake(FinishedMessage.Encode(VerifyData(ClientHandshakeSecret)));
        ResumptionSecret = Master!.ResumptionSecret(Transcript.Hash(Suite.Hash));
        WriteKey = KeyFor(ClientApplicationSecret, "client application 0");
        HandshakeDone = true;
    }

    /// <summary>The hello the role sends, before any edit; public so scripts can build variants.</summary>
    public ClientHello BuildHello(byte[]? cookie, bool offerEarly)
    {
        var hello = new ClientHello { Random = Random.GetBytes(32), LegacySessionId = Random.GetBytes(32), CipherSuites = OfferedSuites.ToList() };
        if (ServerName != null)
        {
            hello.Extensions.Add(new Extension(ExtensionType.ServerName, ExtensionCodecs.EncodeServerName(ServerName)));
        }

        hello.Extensions.Add(new Extension(ExtensionType.SupportedGroups, ExtensionBlock.U16List(SupportedGroups, 2)));
        hello.Extensions.Add(new Extension(ExtensionType.SignatureAlgorithms, ExtensionBlock.U16List(OfferedSchemes, 2)));
        if (Alpn != null)
        {
            hello.Extensions.Add(new Extension(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(Alpn)));
        }

        hello.Extensions.Add(new Extension(ExtensionType.SupportedVersions, ExtensionBlock.U16List(new ushort[] { 0x0304 }, 1)));
        hello.Extensions.Add(new Extension(ExtensionType.PskKeyExchangeModes, new byte[] { 1, 1 }));
        hello.Extensions.Add(new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeClientKeyShares(_shares.Select(s => new KeyShareEntry(s.Key, s.Value.PublicKey)))));
        if (cookie != null)
        {
            hello.Extensions.Add(new Extension(ExtensionType.Cookie, ExtensionCodecs.EncodeCookie(cookie)));
        }

        if (offerEarly)
        {
            hello.Extensions.Add(new Extension(ExtensionType.EarlyData, Array.Empty<byte>()));
        }

        if (Ticket != null)
        {
            uint age = unchecked(Ticket.AgeAdd + 0u);
            hello.Extensions.Add(new Extension(ExtensionType.PreSharedKey, PreSharedKeyOffer.EncodeSingle(Ticket.Ticket, age, TicketSuite.HashLength)));
        }

        return hello;
    }

    private CipherSuiteInfo TicketSuite => CipherSuiteInfo.Get(Ticket!.CipherSuite);

    /// <summary>RFC 8446 §4.2.11.2: the first binder covers the hello up to the binders list.</summary>
    private byte[] EncodeWithBinders(ClientHello hello)
    {
        byte[] encoded = hello.Encode();
        Extension? last = hello.Extensions.LastOrDefault();
        if (Ticket == null || !PatchBinders || last?.Type != ExtensionType.PreSharedKey || PreSharedKeyOffer.TryParse(last.Data) is not { } offer)
        {
            return encoded;
        }

        int bindersStart = encoded.Length - offer.BindersLength;
        byte[] truncatedHash = Transcript.Hash(TicketSuite.Hash, encoded.AsSpan(0, bindersStart));
        byte[] binder = PskBinder.Binder(Crypto, TicketSuite.Hash, Ticket.ResumptionSecret, truncatedHash, external: false);
        if (offer.Binders[0].Length == binder.Length)
        {
            binder.CopyTo(encoded, bindersStart + 3);
        }

        return encoded;
    }

    private void SendEarlyData()
    {
        if (Ticket != null)
        {
            using var early = new EarlyStage(new Hkdf(Crypto, TicketSuite.Hash), Ticket.ResumptionSecret);
            byte[] secret = early.ClientEarlyTrafficSecret(Transcript.Hash(TicketSuite.Hash));
            EarlyKey = AdversaryCipher.Tls13(Crypto, TicketSuite, secret, "client early");
        }

        SendCompatibilityChangeCipherSpec();
        _sentCompatibilityCcs = true;
        WriteKey = EarlyKey;
        for (int offset = 0; offset < EarlyData!.Length; offset += 16384)
        {
            SendApplicationData(EarlyData.AsSpan(offset, Math.Min(16384, EarlyData.Length - offset)));
        }
    }

    private byte[] AnswerHelloRetryRequest(byte[] message, ServerHello retry, ClientHello first)
    {
        Suite = CipherSuiteInfo.Find(retry.CipherSuite) ?? throw Stop("HelloRetryRequest selects an unknown suite");
        Transcript.ReplaceWithMessageHash(Suite.Hash);
        Transcript.Add(message);
        Extension? keyShare = retry.Find(ExtensionType.KeyShare);
        if (keyShare != null && ExtensionCodecs.TryDecodeU16(keyShare.Data, out ushort group))
        {
            _shares.Clear();
            _shares[group] = Crypto.GenerateKeyShare((TlsNamedGroup)group, Random);
        }

        byte[]? cookie = null;
        Extension? cookieExtension = retry.Find(ExtensionType.Cookie);
        if (cookieExtension != null)
        {
            ExtensionCodecs.TryDecodeCookie(cookieExtension.Data, out cookie);
        }

        ClientHello second = BuildHello(cookie, offerEarly: false);
        second.Random = first.Random;
        second.LegacySessionId = first.LegacySessionId;
        EditSecondClientHello?.Invoke(second);
        WriteKey = null;
        if (!_sentCompatibilityCcs)
        {
            SendCompatibilityChangeCipherSpec();
            _sentCompatibilityCcs = true;
        }

        SendHandshake(EncodeWithBinders(second));
        return Receive(HandshakeType.ServerHello, "ServerHello after HelloRetryRequest");
    }

    private void ProcessServerHello(byte[] message, ServerHello hello, bool offerEarly)
    {
        Suite = CipherSuiteInfo.Find(hello.CipherSuite) ?? throw Stop("ServerHello selects an unknown suite");
        Transcript.Add(message);
        Resumed = hello.Find(ExtensionType.PreSharedKey) != null;
        Psk = Resumed ? Ticket!.ResumptionSecret : Array.Empty<byte>();
        byte[] sharedSecret = Array.Empty<byte>();
        Extension? keyShare = hello.Find(ExtensionType.KeyShare);
        if (keyShare != null)
        {
            if (!ExtensionCodecs.TryDecodeServerKeyShare(keyShare.Data, out KeyShareEntry entry) || !_shares.TryGetValue(entry.Group, out IKeyShare? ours))
            {
                throw Stop("the engine's key share does not match an offered group");
            }

            sharedSecret = ours.DeriveSharedSecret(entry.KeyExchange) ?? throw Stop("the engine's key share is invalid");
        }

        DeriveHandshakeSecrets(sharedSecret);
        if (!offerEarly)
        {
            WriteKey = ClientHandshakeKey();
        }
    }

    private void ReceiveServerFlight(out CertificateRequestMessage? request)
    {
        request = null;
        byte[] extensions = Receive(HandshakeType.EncryptedExtensions, "EncryptedExtensions");
        Transcript.Add(extensions);
        EarlyAccepted = EncryptedExtensions.TryParse(extensions.AsSpan(4))?.Extensions.Any(e => e.Type == ExtensionType.EarlyData) == true;
        byte[] message = ReceiveAny("the server's Certificate or Finished");
        if (message[0] == HandshakeType.CertificateRequest)
        {
            Transcript.Add(message);
            request = CertificateRequestMessage.TryParse(message.AsSpan(4));
            message = ReceiveAny("the server's Certificate");
        }

        if (!Resumed)
        {
            foreach ((byte type, string what) in new[] { (HandshakeType.Certificate, "Certificate"), (HandshakeType.CertificateVerify, "CertificateVerify") })
            {
                if (message[0] != type)
                {
                    throw Stop($"expected the server's {what}, got {HandshakeType.Name(message[0])}");
                }

                Transcript.Add(message);
                message = ReceiveAny("the server's Finished");
            }
        }

        if (message[0] != HandshakeType.Finished || !message.AsSpan(4).SequenceEqual(VerifyData(ServerHandshakeSecret)))
        {
            throw Stop("the engine's Finished is missing or does not verify");
        }

        Transcript.Add(message);
    }

    private void SendClientCertificate(CertificateRequestMessage request)
    {
        var certificate = new CertificateMessage { RequestContext = request.Context };
        if (ClientCredential != null)
        {
            certificate.Certificates.AddRange(ClientCredential.ChainDer);
        }

        SendHandshake(certificate.Encode());
        if (ClientCredential != null)
        {
            TlsSignatureScheme scheme = SignatureSchemes.For(ClientCredential.KeyType).First();
            byte[] signed = CertificateVerifyMessage.SignedContent(server: false, Transcript.Hash(Suite.Hash));
            SendHandshake(new CertificateVerifyMessage { Scheme = (ushort)scheme, Signature = Crypto.Sign(ClientCredential.Key!, scheme, signed, Random) }.Encode());
        }
    }
}
