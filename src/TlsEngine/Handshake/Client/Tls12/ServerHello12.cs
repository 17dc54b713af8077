using System;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client.Tls12;

/// <summary>A ServerHello that selects TLS 1.2 (RFC 5246 §7.4.1.3), with RFC 7627 and RFC 5746 enforced.</summary>
internal static class ServerHello12
{
    /// <summary>RFC 8446 §4.1.3: "DOWNGRD" then 01, in the last 8 bytes of a TLS 1.2 ServerHello.random.</summary>
    public static readonly byte[] DowngradeSentinel12 = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01 };

    public static HandshakeState Process(HandshakeContext context, HandshakeMessage message, ServerHello hello, ClientHelloFlight flight)
    {
        ClientConfig config = flight.Config;
        CipherSuiteInfo? suite = CipherSuiteInfo.Find(hello.CipherSuite);
        if (suite == null || suite.Version != TlsVersion.Tls12 || !flight.Hello.CipherSuites.Contains(hello.CipherSuite))
        {
            throw new TlsFailureException(TlsFailureReason.CipherSuiteNotOffered, "The server selected a cipher suite that was not offered for TLS 1.2.");
        }

        if (hello.CompressionMethod != 0)
        {
            throw new TlsFailureException(TlsFailureReason.CompressionNotNull, "ServerHello selects a compression method.");
        }

        // Echoing our session id means resumption, which only an offered TLS 1.2 session allows.
        bool resumed = hello.LegacySessionIdEcho.Length > 0 && hello.LegacySessionIdEcho.AsSpan().SequenceEqual(flight.Hello.LegacySessionId);
        if (resumed && (flight.Session12 == null || flight.Session12.CipherSuite != suite.Suite))
        {
            throw new TlsFailureException(TlsFailureReason.ResumptionNotOffered, "The server tried to resume a session that was not offered.");
        }

        bool ticketPromised = false;
        bool extendedMasterSecret = false;
        bool secureRenegotiation = false;
        foreach (Extension extension in hello.Extensions)
        {
            switch (extension.Type)
            {
                case ExtensionType.RenegotiationInfo:
                    if (!ExtensionCodecs.TryDecodeRenegotiationInfo(extension.Data, out int renegotiated))
                    {
                        throw TlsFailureException.Decode("renegotiation_info is malformed.");
                    }

                    // RFC 5746 §3.4: a non-empty renegotiated_connection on an initial handshake is handshake_failure.
                    if (renegotiated != 0)
                    {
                        throw new TlsFailureException(TlsFailureReason.InsecureTls12Peer, "renegotiation_info is not empty on an initial handshake.");
                    }

                    secureRenegotiation = true;
                    break;
                case ExtensionType.ExtendedMasterSecret:
                    if (!ExtensionCodecs.IsEmpty(extension.Data))
                    {
                        throw TlsFailureException.Decode("extended_master_secret carries data.");
                    }

                    extendedMasterSecret = true;
                    break;
                case ExtensionType.EcPointFormats:
                    // RFC 8422 §5.1.2: ec_point_format_list<1..2^8-1>, and it must include uncompressed.
                    if (!ExtensionCodecs.TryDecodeEcPointFormats(extension.Data, out bool uncompressed))
                    {
                        throw TlsFailureException.Decode("ec_point_formats is malformed.");
                    }

                    if (!uncompressed)
                    {
                        throw new TlsFailureException(TlsFailureReason.UncompressedPointsRefused, "The server does not accept uncompressed points.");
                    }

                    break;
                case ExtensionType.Alpn:
                    ExpectEncryptedExtensions.ProcessAlpn(context, config, extension);
                    break;
                case ExtensionType.SessionTicket when flight.Hello.Find(ExtensionType.SessionTicket) != null:
                    if (!ExtensionCodecs.IsEmpty(extension.Data))
                    {
                        throw TlsFailureException.Decode("session_ticket in ServerHello carries data.");
                    }

                    ticketPromised = true;
                    break;
                case ExtensionType.ServerName:
                    ExpectEncryptedExtensions.CheckServerNameAcknowledgement(flight.Hello, extension);
                    break;
                case ExtensionType.ServerCertificateType:
                case ExtensionType.ClientCertificateType:
                case ExtensionType.RecordSizeLimit:
                case ExtensionType.MaxFragmentLength:
                    break;
                case ExtensionType.ConnectionId when context.IsDatagram && flight.Hello.Find(ExtensionType.ConnectionId) != null:
                    ConnectionIdNegotiation.AcceptAnswer(context, extension);
                    break;
                default:
                    throw TlsFailureException.UnsupportedExtension($"TLS 1.2 ServerHello carries extension {extension.Type}, which is not allowed there.");
            }
        }

        if (!secureRenegotiation)
        {
            throw new TlsFailureException(TlsFailureReason.InsecureTls12Peer, "The server does not support secure renegotiation (RFC 5746).");
        }

        if (!extendedMasterSecret && config.RequireExtendedMasterSecret)
        {
            throw new TlsFailureException(TlsFailureReason.ExtendedMasterSecretMissing, "The server does not support the extended master secret (RFC 7627).");
        }

        RecordSizeNegotiation.AcceptAnswer(context, config, hello.Extensions, tls13: false);
        CertificateTypes.AcceptAnswer(context, config, hello.Extensions);
        flight.Dispose();
        // The version first: a datagram channel then puts the ClientHello into the transcript in DTLS 1.2's form before it is hashed.
        context.Version = TlsVersion.Tls12;
        context.SetSuite(suite);
        context.ServerRandom = hello.Random;
        context.Transcript.Add(message.Tls12TranscriptForm);
        context.SessionId12 = hello.LegacySessionIdEcho;
        context.TicketPromised12 = ticketPromised;
        if (resumed)
        {
            // RFC 5077 §3.1 abbreviated handshake: the kept master secret, fresh randoms.
            context.IsResumed = true;
            context.MasterSecret12 = context.Own((byte[])flight.Session12!.ResumptionSecret.Clone());
            context.LogSecret("CLIENT_RANDOM", context.MasterSecret12);
            var schedule = new KeySchedule.Tls12KeySchedule(context.Crypto, suite);
            (KeySchedule.Tls12TrafficKeys client, KeySchedule.Tls12TrafficKeys server) = schedule.KeyBlock(context.MasterSecret12, context.ClientRandom, context.ServerRandom);
            return new ExpectServerFinished12(schedule, server, client);
        }

        return new ExpectCertificate12(config, suite, extendedMasterSecret);
    }
}
