using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>
/// The server's first flight: ServerHello, then under handshake keys EncryptedExtensions,
/// Certificate, CertificateVerify and Finished (RFC 8446 §2, §4.1.3–4.4).
/// </summary>
internal static class ServerFlight
{
    public static HandshakeState Send(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, CipherSuiteInfo suite, TlsNamedGroup? group, TlsSignatureScheme scheme, PskAcceptance? psk, bool earlyAccepted)
    {
        byte[]? clientEarlySecret = null;
        if (earlyAccepted)
        {
            // Derived from the ClientHello alone, which is all the transcript holds yet.
            using var early = new EarlyStage(context.RequireHkdf, psk!.Key);
            clientEarlySecret = context.Own(early.ClientEarlyTrafficSecret(context.Transcript.Current()));
            context.LogSecret("CLIENT_EARLY_TRAFFIC_SECRET", clientEarlySecret);
        }

        var hello = new ServerHello
        {
            LegacyVersion = DatagramVersions.LegacyVersion(context.IsDatagram),
            Random = context.Random.GetBytes(32),
            LegacySessionIdEcho = offer.Hello.LegacySessionId,
            CipherSuite = (ushort)suite.Suite,
            Extensions = new List<Extension> { new(ExtensionType.SupportedVersions, ExtensionCodecs.EncodeU16(DatagramVersions.Wire(TlsVersion.Tls13, context.IsDatagram))) },
        };
        byte[] sharedSecret = Array.Empty<byte>();
        if (group != null)
        {
            KeyShareEntry clientShare = offer.ShareFor((ushort)group.Value)!.Value;
            KeyExchangeResponse response = AnswerKeyShare(context, group.Value, clientShare.KeyExchange);
            sharedSecret = context.Own(response.SharedSecret);
            hello.Extensions.Add(new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeServerKeyShare(new KeyShareEntry((ushort)group.Value, response.Share))));
            context.Group = group;
        }

        if (psk != null)
        {
            hello.Extensions.Add(new Extension(ExtensionType.PreSharedKey, ExtensionCodecs.EncodeU16((ushort)psk.Index)));
            context.IsResumed = psk.State != null;
            // The identity the binder was verified for, as the client sent it: a host's lookup may return a key under another name.
            context.ExternalPskIdentity = psk.External != null ? psk.Identity : null;
        }

        // RFC 9147 §9 keeps the connection_id answer in the ServerHello.
        ConnectionIdNegotiation.Answer(context, offer.Hello, hello.Extensions);
        context.ServerRandom = hello.Random;
        context.SendHandshake(hello.Encode());
        if (offer.Hello.LegacySessionId.Length > 0)
        {
            context.SendChangeCipherSpecOnce();
        }

        HandshakeStage handshakeKeys = EstablishHandshakeKeys(context, sharedSecret, psk?.Key ?? Array.Empty<byte>());
        // EncryptedExtensions to Finished share records: the application write key ends the flight.
        context.HoldFlight();
        SendEncryptedExtensions(context, offer, earlyAccepted);
        // A PSK, resumed or external, authenticates the handshake: no certificates either way (RFC 8446 §2.2).
        bool requestCertificate = psk == null && config.ClientCertificateMode != TlsClientCertificateMode.None;
        if (requestCertificate)
        {
            ClientAuthentication.SendTls13Request(context, config);
        }

        if (psk == null)
        {
            SendCertificate(context, context.LocalCredential!);
            byte[] content = CertificateVerifyMessage.SignedContent(server: true, context.Transcript.Current());
            if (config.DelegatePrivateKeyOperations || context.LocalCredential!.Key == null)
            {
                context.PendingSignature = (scheme, content);
                // What is ready goes out while the host signs.
                context.ReleaseFlight();
                return new AwaitHost(HostDecision.PrivateKeyOperation, (ctx, waited) =>
                {
                    ctx.HoldFlight();
                    ctx.SendHandshake(new CertificateVerifyMessage { Scheme = (ushort)scheme, Signature = waited.Signature! }.Encode());
                    ctx.PendingSignature = null;
                    return Finish(ctx, config, requestCertificate, clientEarlySecret, handshakeKeys);
                });
            }

            byte[] signature = context.Crypto.Sign(context.LocalCredential!.Key!, scheme, content, context.Random);
            context.SendHandshake(new CertificateVerifyMessage { Scheme = (ushort)scheme, Signature = signature }.Encode());
        }

        return Finish(context, config, requestCertificate, clientEarlySecret, handshakeKeys);
    }

    private static HandshakeState Finish(HandshakeContext context, ServerConfig config, bool requestCertificate, byte[]? clientEarlySecret, HandshakeStage handshakeKeys)
    {
        FinishedSteps.Send(context);
        MasterStage master = EstablishApplicationKeys(context, handshakeKeys);
        HandshakeState next = requestCertificate ? new ExpectClientCertificate(config, master) : new ExpectClientFinished(master);
        if (clientEarlySecret == null)
        {
            return next;
        }

        context.EarlyDataStatus = TlsEarlyDataStatus.Accepted;
        context.Channel.AcceptEarlyData(context.RequireSuite, context.RequireHkdf, clientEarlySecret, config.MaxEarlyDataSize);
        // Only the record keys were needed from it: zero it now rather than at disposal.
        Array.Clear(clientEarlySecret, 0, clientEarlySecret.Length);
        return new ExpectEndOfEarlyData(next);
    }

    /// <summary>
    /// RFC 8446 §4.2.8: a fresh (EC)DH share, or for an ML-KEM group an encapsulation to the
    /// client's key. A share of the wrong size or an ML-KEM key failing the FIPS 203 §7.2 check is
    /// illegal_parameter (draft-ietf-tls-ecdhe-mlkem §4, draft-ietf-tls-mlkem §4).
    /// </summary>
    private static KeyExchangeResponse AnswerKeyShare(HandshakeContext context, TlsNamedGroup group, byte[] clientShare)
    {
        int length = KeyExchange.ClientShareLength(group);
        if (length >= 0 && clientShare.Length != length)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidKeyShareLength, $"The client's {group} key share is {clientShare.Length} bytes, not {length}.");
        }

        if (!KeyExchange.HasValidEncapsulationKey(group, clientShare))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidEncapsulationKey, "The client's ML-KEM encapsulation key has a coefficient not reduced modulo q.");
        }

        return context.Crypto.Encapsulate(group, clientShare, context.Random)
            ?? throw new TlsFailureException(TlsFailureReason.InvalidKeyShare, "The client's key share is not a valid public key.");
    }

    private static HandshakeStage EstablishHandshakeKeys(HandshakeContext context, byte[] sharedSecret, byte[] psk)
    {
        HandshakeStage stage = Tls13Secrets.DeriveHandshake(context, sharedSecret, psk);
        context.InstallWriteSecret(context.RequireTraffic.Server, TrafficEpoch.Handshake);
        context.InstallReadSecret(context.RequireTraffic.Client, TrafficEpoch.Handshake);
        return stage;
    }

    private static void SendEncryptedExtensions(HandshakeContext context, ClientHelloOffer offer, bool earlyAccepted)
    {
        var extensions = new EncryptedExtensions();
        if (earlyAccepted)
        {
            extensions.Extensions.Add(new Extension(ExtensionType.EarlyData, Array.Empty<byte>()));
        }

        if (offer.ServerName != null)
        {
            extensions.Extensions.Add(new Extension(ExtensionType.ServerName, Array.Empty<byte>()));
        }

        if (context.ApplicationProtocol != null)
        {
            extensions.Extensions.Add(new Extension(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { context.ApplicationProtocol })));
        }

        RecordSizeNegotiation.Answer(context, context.Config, offer.Hello, extensions.Extensions, tls13: true);
        CertificateTypes.Answer(context, (ServerConfig)context.Config, offer.Hello, extensions.Extensions);

        context.SendHandshake(extensions.Encode());
    }

    private static void SendCertificate(HandshakeContext context, LocalCredential credential)
    {
        var message = new CertificateMessage();
        message.Certificates.AddRange(credential.Entries);

        context.SendHandshake(message.Encode());
    }


    /// <summary>The server sends under its application key at once; the client's waits for its Finished.</summary>
    private static MasterStage EstablishApplicationKeys(HandshakeContext context, HandshakeStage handshakeKeys)
    {
        (byte[] client, byte[] server, MasterStage master) = Tls13Secrets.DeriveApplication(context, handshakeKeys);
        context.RequireTraffic.EnterServerApplication(client, server);
        context.InstallWriteSecret(server, TrafficEpoch.Application);
        return master;
    }
}
