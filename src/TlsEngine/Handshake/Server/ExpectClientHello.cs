using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>
/// Negotiates from the ClientHello (RFC 8446 §4.1.1): suite, group (or a HelloRetryRequest for a
/// better one), signature scheme and ALPN, then sends the server's whole first flight.
/// </summary>
internal sealed class ExpectClientHello : HandshakeState
{
    private const ushort FallbackScsv = 0x5600;

    private readonly ServerConfig _config;
    private readonly RetryState? _retry;

    public ExpectClientHello(ServerConfig config, RetryState? retry = null)
    {
        _config = config;
        _retry = retry;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.ClientHello);
        ClientHello hello = DatagramHellos.Parse(context, message) ?? throw Malformed(message.Type);
        var offer = new ClientHelloOffer(hello);
        context.LocalCredential = CertificateTypes.ChooseServer(context, _config, hello, _config.CertificateSelector?.Invoke(offer.ServerName) ?? _config.Certificate);
        if (context.LocalCredential == null && !_config.AcceptsExternalPsks)
        {
            throw new TlsFailureException(TlsFailureReason.UnrecognizedName, $"No certificate is configured for '{offer.ServerName}'.");
        }

        if (ChooseVersion(offer) == TlsVersion.Tls12)
        {
            if (context.LocalCredential == null)
            {
                throw new TlsFailureException(TlsFailureReason.NoAcceptablePsk, "A TLS 1.2 client cannot use external PSKs here, and this server has no certificate.");
            }

            if (context.IsDatagram && DatagramHellos.VerifyAddress12(context, _config, hello) is HandshakeState verifying)
            {
                return verifying;
            }

            context.ClientRandom = hello.Random;
            context.ServerName = offer.ServerName;
            string? negotiated = ChooseApplicationProtocol(offer);
            return Tls12.ServerFlight12.Send(context, _config, offer, message, negotiated);
        }

        offer.RequireTls13Fields();
        if (context.IsDatagram && hello.Cookie.Length != 0)
        {
            // RFC 9147 §5.3: a DTLS 1.3 ClientHello carries an empty legacy_cookie; one from a DTLS 1.2 exchange means tampering.
            throw new TlsFailureException(TlsFailureReason.InvalidCookie, "A DTLS 1.3 ClientHello carries a legacy_cookie.");
        }

        List<CipherSuiteInfo> suites = CandidateSuites(offer);
        AddressCookies.RetryCookie? cookie = null;
        if (context.IsDatagram && offer.Cookie != null)
        {
            // The transcript is rebuilt before the PSK binders are checked: they cover the HelloRetryRequest too.
            cookie = DatagramHellos.ResumeFromCookie(context, _config, offer, offer.Cookie);
            suites = new List<CipherSuiteInfo> { cookie.Suite };
        }

        PskAcceptance? psk = _config.TicketKeys == null && !_config.AcceptsExternalPsks ? null : PskAcceptance.Evaluate(context, _config, offer, message.Encoded, suites);
        CipherSuiteInfo suite = psk?.Suite ?? suites[0];
        if (_retry != null)
        {
            CheckRetry(context, offer, suite);
        }
        else
        {
            context.ClientRandom = hello.Random;
        }

        // RFC 8446 §4.2.11: an unknown identity is ignored; without a PSK the certificate must do, if there is one.
        if (psk == null && context.LocalCredential == null)
        {
            throw new TlsFailureException(TlsFailureReason.NoAcceptablePsk, "The client offered no acceptable PSK, and this server has no certificate.");
        }

        TlsSignatureScheme scheme = psk == null ? ChooseSignatureScheme(context, offer) : default;
        string? protocol = ChooseApplicationProtocol(offer);
        context.ServerName = offer.ServerName;
        context.PeerWantsTickets = offer.PskModes != null;

        bool pskOnly = psk is { WithKeyExchange: false };
        TlsNamedGroup? group = pskOnly ? null : ChooseGroupWithShare(offer);
        if (group == null && !pskOnly)
        {
            if (_retry != null || cookie != null)
            {
                throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello has no share for the requested group.");
            }

            TlsNamedGroup wanted = ChooseGroupForRetry(offer);
            return context.IsDatagram
                ? DatagramHellos.SendStatelessRetry(context, _config, message, hello, suite, wanted)
                : SendHelloRetryRequest(context, message, hello, suite, wanted);
        }

        if (context.IsDatagram && cookie == null && _config.ValidatePeerAddress)
        {
            return DatagramHellos.SendStatelessRetry(context, _config, message, hello, suite, group: null);
        }

        // 0-RTT is not accepted over datagrams (yet).
        bool earlyAccepted = !context.IsDatagram && psk != null && psk.AcceptEarlyData(context, _config, offer, suite, protocol, firstHello: _retry == null);
        context.Transcript.Add(message.TranscriptForm);
        context.SetSuite(suite);
        context.Version = TlsVersion.Tls13;
        context.ApplicationProtocol = protocol;
        if (offer.EarlyDataOffered && !earlyAccepted && _retry == null)
        {
            // Rejected 0-RTT records are skipped, not fatal (RFC 8446 §4.2.10).
            context.EarlyDataStatus = TlsEarlyDataStatus.Rejected;
            context.Channel.SkipRejectedEarlyData(EarlyDataSkipBudget(), afterHelloRetryRequest: false);
        }
        return ServerFlight.Send(context, _config, offer, suite, group, scheme, psk, earlyAccepted);
    }

    /// <summary>TLS 1.3 when both sides allow it, else TLS 1.2 when both allow that (RFC 8446 §4.2.1).</summary>
    private TlsVersion ChooseVersion(ClientHelloOffer offer)
    {
        // RFC 7507 §3: a client that signals a fallback while its best version is below the best this server
        // can speak (a version with a configured suite) was pushed down. GREASE versions (RFC 8701) are no version.
        TlsVersion highest = _config.MaxVersion >= TlsVersion.Tls13 && HasSuiteFor(TlsVersion.Tls13) ? TlsVersion.Tls13 : TlsVersion.Tls12;
        if (_retry == null && offer.Hello.CipherSuites.Contains(FallbackScsv)
            && !offer.Versions.Exists(v => (v & 0x0F0F) != 0x0A0A && v >= (ushort)highest))
        {
            throw new TlsFailureException(TlsFailureReason.InappropriateFallback, "The client signals a fallback to a version below the highest this server supports.");
        }

        // A server configured without TLS 1.3 suites in common with the client speaks TLS 1.2.
        if (_config.MaxVersion >= TlsVersion.Tls13 && offer.Versions.Contains((ushort)TlsVersion.Tls13)
            && (_retry != null || HasCommonSuite(offer, TlsVersion.Tls13) || !HasCommonSuite(offer, TlsVersion.Tls12)))
        {
            return TlsVersion.Tls13;
        }

        if (_retry == null && _config.MinVersion <= TlsVersion.Tls12 && offer.Versions.Contains((ushort)TlsVersion.Tls12))
        {
            return TlsVersion.Tls12;
        }

        throw new TlsFailureException(TlsFailureReason.NoCommonVersion, "The client offers no protocol version this server accepts.");
    }

    private bool HasSuiteFor(TlsVersion version)
    {
        foreach (TlsCipherSuite suite in _config.CipherSuites)
        {
            if (CipherSuiteInfo.Get(suite).Version == version)
            {
                return true;
            }
        }

        return false;
    }

    private bool HasCommonSuite(ClientHelloOffer offer, TlsVersion version)
    {
        foreach (TlsCipherSuite suite in _config.CipherSuites)
        {
            if (CipherSuiteInfo.Get(suite).Version == version && offer.Hello.CipherSuites.Contains((ushort)suite))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The TLS 1.3 suites both sides support, in this server's order; after a HelloRetryRequest only
    /// the suite it named (RFC 8446 §4.1.4). The first is the choice unless a PSK needs another hash.
    /// </summary>
    private List<CipherSuiteInfo> CandidateSuites(ClientHelloOffer offer)
    {
        var suites = new List<CipherSuiteInfo>();
        if (_retry != null)
        {
            if (!offer.Hello.CipherSuites.Contains((ushort)_retry.Suite.Suite))
            {
                throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello changes the negotiated cipher suite.");
            }

            suites.Add(_retry.Suite);
            return suites;
        }

        foreach (TlsCipherSuite preferred in _config.CipherSuites)
        {
            if (CipherSuiteInfo.Get(preferred).Version == TlsVersion.Tls13 && offer.Hello.CipherSuites.Contains((ushort)preferred))
            {
                suites.Add(CipherSuiteInfo.Get(preferred));
            }
        }

        return suites.Count > 0 ? suites : throw new TlsFailureException(TlsFailureReason.NoCommonCipherSuite, "The client offers no cipher suite this server accepts.");
    }

    private static TlsSignatureScheme ChooseSignatureScheme(HandshakeContext context, ClientHelloOffer offer)
    {
        foreach (TlsSignatureScheme scheme in SignatureSchemes.For(context.LocalCredential!.KeyType))
        {
            if (offer.SignatureSchemes.Contains((ushort)scheme))
            {
                return scheme;
            }
        }

        throw new TlsFailureException(TlsFailureReason.NoCommonSignatureScheme, "The client accepts no signature scheme this server's key can make.");
    }

    private string? ChooseApplicationProtocol(ClientHelloOffer offer)
    {
        if (offer.ApplicationProtocols != null && _config.ApplicationProtocolSelector != null)
        {
            string? chosen = _config.ApplicationProtocolSelector(offer.ApplicationProtocols);
            if (chosen != null && !offer.ApplicationProtocols.Contains(chosen))
            {
                throw new TlsFailureException(TlsFailureReason.NoApplicationProtocol, "The ALPN selector chose a protocol the client did not offer.");
            }

            return chosen;
        }

        if (offer.ApplicationProtocols == null || _config.ApplicationProtocols.Count == 0)
        {
            return null;
        }

        foreach (string protocol in _config.ApplicationProtocols)
        {
            if (offer.ApplicationProtocols.Contains(protocol))
            {
                return protocol;
            }
        }

        // RFC 7301 §3.2.
        throw new TlsFailureException(TlsFailureReason.NoApplicationProtocol, "The client offers no application protocol this server supports.");
    }

    private TlsNamedGroup? ChooseGroupWithShare(ClientHelloOffer offer)
    {
        foreach (TlsNamedGroup group in _config.Groups)
        {
            if (offer.ShareFor((ushort)group) != null)
            {
                return group;
            }

            // A preferred ML-KEM group the client supports but sent no share for: ask for it (first hello only).
            if (_config.RetryForPostQuantumGroup && _retry == null && KeyExchange.IsKem(group) && offer.Groups.Contains((ushort)group))
            {
                return null;
            }
        }

        return null;
    }

    private TlsNamedGroup ChooseGroupForRetry(ClientHelloOffer offer)
    {
        foreach (TlsNamedGroup group in _config.Groups)
        {
            if (offer.Groups.Contains((ushort)group))
            {
                return group;
            }
        }

        throw new TlsFailureException(TlsFailureReason.NoCommonGroup, "The client supports no group this server accepts.");
    }

    /// <summary>RFC 8446 §4.1.2: the second ClientHello repeats the first but for the changes a HelloRetryRequest asks for.</summary>
    private void CheckRetry(HandshakeContext context, ClientHelloOffer offer, CipherSuiteInfo suite)
    {
        RetryState retry = _retry!;
        if (!FixedTime.Equals(offer.Hello.Random, context.ClientRandom))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello changes the client random.");
        }

        if (offer.EarlyDataOffered)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello offers early data, which is not permitted after a HelloRetryRequest.");
        }

        if (suite.Suite != retry.Suite.Suite)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello changes the negotiated cipher suite.");
        }

        if (offer.Cookie == null || !FixedTime.Equals(offer.Cookie, retry.Cookie))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello does not echo the cookie.");
        }

        if (offer.KeyShares.Count != 1 || offer.KeyShares[0].Group != (ushort)retry.Group)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello does not answer the requested group.");
        }

        if (!offer.Hello.LegacySessionId.AsSpan().SequenceEqual(retry.SessionId))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello changes the legacy session id.");
        }
    }

    /// <summary>How much declined 0-RTT data (in record bytes) the server reads past before calling it an attack.</summary>
    private long EarlyDataSkipBudget()
    {
        long data = Math.Min(Math.Max(_config.MaxEarlyDataSize, 16384u), 1u << 20);
        // max_early_data_size counts application data only (RFC 8446 §4.2.10); the records carrying it add a
        // header, the inner content type and the tag each (RFC 8446 §5.2).
        long records = (data + RecordLimits.MaxPlaintext - 1) / RecordLimits.MaxPlaintext;
        return data + (records * (RecordLimits.HeaderLength + 1 + RecordLimits.TagLength)) + 256;
    }

    private HandshakeState SendHelloRetryRequest(HandshakeContext context, HandshakeMessage message, ClientHello hello, CipherSuiteInfo suite, TlsNamedGroup group)
    {
        if (hello.Find(ExtensionType.EarlyData) != null)
        {
            // RFC 8446 §4.2.10: after a HelloRetryRequest the early records are skipped by their outer type.
            context.EarlyDataStatus = TlsEarlyDataStatus.Rejected;
            context.Channel.SkipRejectedEarlyData(EarlyDataSkipBudget(), afterHelloRetryRequest: true);
        }

        context.Transcript.Add(message.TranscriptForm);
        context.Transcript.ReplaceWithMessageHash(suite.Hash);
        context.SetSuite(suite);
        context.HelloRetryRequested = true;
        // TLS 1.3 is settled by the HelloRetryRequest: the client's alerts follow RFC 8446 §6 from here.
        context.Channel.SetVersion(TlsVersion.Tls13);
        byte[] cookie = context.Random.GetBytes(32);
        context.SendHandshake(DatagramHellos.RetryRequest(datagram: false, hello.LegacySessionId, suite, group, cookie).Encode());
        if (hello.LegacySessionId.Length > 0)
        {
            context.SendChangeCipherSpecOnce();
        }

        return new ExpectClientHello(_config, new RetryState(suite, group, cookie, hello.LegacySessionId));
    }

    internal sealed class RetryState
    {
        public RetryState(CipherSuiteInfo suite, TlsNamedGroup group, byte[] cookie, byte[] sessionId)
        {
            Suite = suite;
            Group = group;
            Cookie = cookie;
            SessionId = sessionId;
        }

        public CipherSuiteInfo Suite { get; }

        public TlsNamedGroup Group { get; }

        public byte[] Cookie { get; }

        public byte[] SessionId { get; }
    }
}
