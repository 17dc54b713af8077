using System;
using System.Collections.Generic;
using TlsEngine.Buffers;
using TlsEngine.Crypto;
using TlsEngine.Handshake.Client.Tls12;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server.Tls12;

/// <summary>
/// The TLS 1.2 server's first flight: ServerHello, Certificate, ServerKeyExchange (ECDHE),
/// ServerHelloDone (RFC 5246 §7.3, RFC 8422). Only ECDHE with AEAD suites is offered.
/// </summary>
internal static class ServerFlight12
{
    private const ushort EmptyRenegotiationInfoScsv = 0x00FF;

    public static HandshakeState Send(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, HandshakeMessage message, string? protocol)
    {
        ClientHello hello = offer.Hello;
        Tls12Extensions extensions12 = offer.Tls12;
        bool extendedMasterSecret = extensions12.ExtendedMasterSecret;
        if (!extendedMasterSecret && config.RequireExtendedMasterSecret)
        {
            throw new TlsFailureException(TlsFailureReason.ExtendedMasterSecretMissing, "The client does not support the extended master secret (RFC 7627).");
        }

        // RFC 5746 §3.6: the extension with an empty renegotiated_connection, or the SCSV; anything else is handshake_failure.
        if (extensions12.RenegotiatedConnectionLength is { } renegotiated ? renegotiated != 0 : !hello.CipherSuites.Contains(EmptyRenegotiationInfoScsv))
        {
            throw new TlsFailureException(TlsFailureReason.InsecureTls12Peer, "The client does not signal secure renegotiation (RFC 5746).");
        }

        // RFC 8422 §5.1.2: a client that lists point formats must include uncompressed.
        bool pointFormats = extensions12.PointFormatsSent;
        if (pointFormats && !extensions12.AcceptsUncompressedPoints)
        {
            throw new TlsFailureException(TlsFailureReason.UncompressedPointsRefused, "The client does not accept uncompressed points.");
        }

        LocalCredential credential = context.LocalCredential!;
        // DTLS 1.2 neither issues nor resumes sessions: its abbreviated handshake's flights are not built here.
        bool resumable = config.TicketKeys != null && extendedMasterSecret && !context.IsDatagram;
        bool issueTicket = hello.Find(ExtensionType.SessionTicket) != null && resumable;
        TicketState? session = resumable ? Tls12Sessions.TryResume(context, config, offer) : null;
        if (session != null)
        {
            return Resume(context, config, offer, message, protocol, session, issueTicket, pointFormats);
        }

        CipherSuiteInfo suite = ChooseSuite(config, offer, credential);
        TlsNamedGroup group = ChooseGroup(config, offer);
        TlsSignatureScheme scheme = ChooseScheme(offer, credential);

        context.SetSuite(suite);
        context.Version = TlsVersion.Tls12;
        context.ApplicationProtocol = protocol;
        context.Group = group;
        context.Transcript.Add(message.Tls12TranscriptForm);

        byte[] random = ServerRandom(context, config);

        context.ServerRandom = random;
        List<Extension> extensions = HelloExtensions(offer, extendedMasterSecret, pointFormats, protocol, issueTicket);
        RecordSizeNegotiation.Answer(context, config, offer.Hello, extensions, tls13: false);
        CertificateTypes.Answer(context, config, offer.Hello, extensions);
        ConnectionIdNegotiation.Answer(context, offer.Hello, extensions);
        // A session id only when this server can resume it.
        context.SessionId12 = resumable ? context.Random.GetBytes(32) : Array.Empty<byte>();
        context.SendHandshake(new ServerHello { LegacyVersion = DatagramVersions.Wire(TlsVersion.Tls12, context.IsDatagram), Random = random, LegacySessionIdEcho = context.SessionId12, CipherSuite = (ushort)suite.Suite, Extensions = extensions }.Encode());
        context.SendHandshake(Tls12CertificateMessage.Encode(credential));
        IKeyShare share = context.Crypto.GenerateKeyShare(group, context.Random);
        byte[] parameters = ServerKeyExchangeMessage.EncodeParameters((ushort)group, share.PublicKey);
        var signed = new TlsWriter(128);
        signed.WriteBytes(context.ClientRandom);
        signed.WriteBytes(context.ServerRandom);
        signed.WriteBytes(parameters);
        HandshakeState Continue(HandshakeContext ctx, byte[] signature)
        {
            ctx.SendHandshake(new ServerKeyExchangeMessage { Group = (ushort)group, PublicKey = share.PublicKey, Scheme = (ushort)scheme, Signature = signature }.Encode());
            bool requestCertificate = config.ClientCertificateMode != TlsClientCertificateMode.None;
            if (requestCertificate)
            {
                var schemes = new List<ushort>();
                foreach (TlsSignatureScheme accepted in config.ClientSignatureSchemes)
                {
                    schemes.Add((ushort)accepted);
                }

                ctx.SendHandshake(Tls12CertificateRequestMessage.Encode(schemes, ClientAuthentication.Authorities(config) ?? new byte[] { 0, 0 }));
            }

            ctx.SendHandshake(ServerHelloDoneMessage.Encode());
            var next = new ExpectClientKeyExchange12(share, extendedMasterSecret, config, issueTicket);
            return requestCertificate ? new ExpectClientCertificate12(config, next) : next;
        }

        byte[] toSign = signed.ToArray();
        if (config.DelegatePrivateKeyOperations || credential.Key == null)
        {
            context.PendingSignature = (scheme, toSign);
            return new AwaitHost(HostDecision.PrivateKeyOperation, (ctx, waited) =>
            {
                ctx.PendingSignature = null;
                return Continue(ctx, waited.Signature!);
            });
        }

        return Continue(context, context.Crypto.Sign(credential.Key, scheme, toSign, context.Random));
    }

    /// <summary>RFC 5077 §3.1: an abbreviated handshake from a kept session, server Finished first.</summary>
    private static HandshakeState Resume(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, HandshakeMessage message, string? protocol, TicketState session, bool issueTicket, bool pointFormats)
    {
        CipherSuiteInfo suite = CipherSuiteInfo.Get(session.Suite);
        context.SetSuite(suite);
        context.Version = TlsVersion.Tls12;
        context.ApplicationProtocol = protocol;
        context.IsResumed = true;
        context.Transcript.Add(message.Tls12TranscriptForm);
        byte[] random = ServerRandom(context, config);

        context.ServerRandom = random;
        context.SessionId12 = offer.Hello.LegacySessionId;
        context.MasterSecret12 = context.Own(session.Psk);
        context.LogSecret("CLIENT_RANDOM", session.Psk);
        List<Extension> extensions = HelloExtensions(offer, extendedMasterSecret: true, pointFormats, protocol, issueTicket);
        RecordSizeNegotiation.Answer(context, config, offer.Hello, extensions, tls13: false);
        CertificateTypes.Answer(context, config, offer.Hello, extensions);
        ConnectionIdNegotiation.Answer(context, offer.Hello, extensions);
        context.SendHandshake(new ServerHello { LegacyVersion = DatagramVersions.Wire(TlsVersion.Tls12, context.IsDatagram), Random = random, LegacySessionIdEcho = offer.Hello.LegacySessionId, CipherSuite = (ushort)suite.Suite, Extensions = extensions }.Encode());
        if (issueTicket)
        {
            context.SendHandshake(Tls12NewSessionTicketMessage.Encode((uint)config.TicketLifetime.TotalSeconds, Tls12Sessions.Seal(context, config)));
        }

        var schedule = new KeySchedule.Tls12KeySchedule(context.Crypto, suite);
        (KeySchedule.Tls12TrafficKeys client, KeySchedule.Tls12TrafficKeys server) = schedule.KeyBlock(session.Psk, context.ClientRandom, context.ServerRandom);
        Tls12Finished.SendOwnFinished(context, schedule, server);
        return new ExpectClientFinished12(schedule, client, server, resumed: true, issueTicket: false);
    }

    private static List<Extension> HelloExtensions(ClientHelloOffer offer, bool extendedMasterSecret, bool pointFormats, string? protocol, bool issueTicket)
    {
        var extensions = new List<Extension> { new(ExtensionType.RenegotiationInfo, ExtensionCodecs.EncodeInitialRenegotiationInfo()) };
        if (extendedMasterSecret)
        {
            extensions.Add(new Extension(ExtensionType.ExtendedMasterSecret, Array.Empty<byte>()));
        }

        if (pointFormats)
        {
            extensions.Add(new Extension(ExtensionType.EcPointFormats, ExtensionCodecs.EncodeEcPointFormats()));
        }

        if (protocol != null)
        {
            extensions.Add(new Extension(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { protocol })));
        }

        if (offer.ServerName != null)
        {
            extensions.Add(new Extension(ExtensionType.ServerName, Array.Empty<byte>()));
        }

        if (issueTicket)
        {
            extensions.Add(new Extension(ExtensionType.SessionTicket, Array.Empty<byte>()));
        }

        return extensions;
    }

    private static byte[] ServerRandom(HandshakeContext context, ServerConfig config)
    {
        byte[] random = context.Random.GetBytes(32);
        if (config.MaxVersion >= TlsVersion.Tls13 && HasTls13Suite(config))
        {
            // RFC 8446 §4.1.3: tell a TLS 1.3 client that this is a negotiated downgrade.
            ServerHello12.DowngradeSentinel12.CopyTo(random, 24);
        }

        return random;
    }

    private static bool HasTls13Suite(ServerConfig config)
    {
        foreach (TlsCipherSuite suite in config.CipherSuites)
        {
            if (CipherSuiteInfo.Get(suite).Version == TlsVersion.Tls13)
            {
                return true;
            }
        }

        return false;
    }

    private static CipherSuiteInfo ChooseSuite(ServerConfig config, ClientHelloOffer offer, LocalCredential credential)
    {
        foreach (TlsCipherSuite preferred in config.CipherSuites)
        {
            CipherSuiteInfo info = CipherSuiteInfo.Get(preferred);
            if (info.Version == TlsVersion.Tls12 && info.AllowsKey(credential.KeyType) && offer.Hello.CipherSuites.Contains((ushort)preferred))
            {
                return info;
            }
        }

        throw new TlsFailureException(TlsFailureReason.NoCommonCipherSuite, "The client offers no TLS 1.2 ECDHE AEAD suite for this server's key; RSA key exchange, CBC, RC4, DHE and export suites are not supported.");
    }

    private static TlsNamedGroup ChooseGroup(ServerConfig config, ClientHelloOffer offer)
    {
        foreach (TlsNamedGroup group in config.Groups)
        {
            // A KEM cannot run in a TLS 1.2 ServerKeyExchange: only the (EC)DH groups qualify.
            if (offer.Groups.Contains((ushort)group) && !KeyExchange.IsKem(group))
            {
                return group;
            }
        }

        throw new TlsFailureException(TlsFailureReason.NoCommonGroup, "The client supports no elliptic curve group this server accepts.");
    }

    private static TlsSignatureScheme ChooseScheme(ClientHelloOffer offer, LocalCredential credential)
    {
        foreach (TlsSignatureScheme scheme in SignatureSchemes.For12(credential.KeyType))
        {
            if (offer.SignatureSchemes.Contains((ushort)scheme))
            {
                return scheme;
            }
        }

        // Without signature_algorithms TLS 1.2 would mean SHA-1, which this engine does not sign with.
        throw new TlsFailureException(TlsFailureReason.NoCommonSignatureScheme, "The client accepts no signature scheme this server's key can make.");
    }
}
