using System.Linq;
using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Client;

/// <summary>
/// Builds and sends the ClientHello (RFC 8446 §4.1.2), and its second version after a
/// HelloRetryRequest. Holds the ephemeral key shares until the ServerHello picks one.
/// </summary>
internal sealed class ClientHelloFlight : IDisposable
{
    /// <summary>
    /// Largest ticket offered again and largest HelloRetryRequest cookie echoed. RFC 8446 allows
    /// either up to 2^16-1 bytes, but the ClientHello's whole extension block has that same limit:
    /// with these caps everything configured plus one ticket and one cookie always fits.
    /// </summary>
    public const int MaxOfferedTicketLength = 16 * 1024;

    /// <inheritdoc cref="MaxOfferedTicketLength"/>
    public const int MaxEchoedCookieLength = 16 * 1024;

    /// <summary>Bytes of ClientHello extensions that no option makes larger, with every list at its longest (measured: about 620).</summary>
    public const int FixedExtensionsBound = 1024;

    /// <summary>Room left in the extension block for the ALPN extension after the fixed extensions, a ticket and a cookie.</summary>
    public const int MaxAlpnExtensionLength = 0xFFFF - FixedExtensionsBound - MaxOfferedTicketLength - MaxEchoedCookieLength - 128;

    private readonly ClientConfig _config;
    private readonly List<ExternalPsk> _externalPsks = new();
    private string? _sniHostName;
    private int _bindersLength;

    public ClientHelloFlight(ClientConfig config)
    {
        _config = config;
    }

    public ClientHello Hello { get; private set; } = new();

    public Dictionary<TlsNamedGroup, IKeyShare> KeyShares { get; } = new();

    public ClientConfig Config => _config;

    /// <summary>The ticket offered for resumption, if any.</summary>
    public SessionRecord? Ticket { get; private set; }

    public bool OfferedEarlyData { get; private set; }

    /// <summary>The PSKs in the last ClientHello, in its order: the ticket (if any) first, so 0-RTT can use it, then the external PSKs.</summary>
    public List<OfferedPsk> OfferedPsks { get; } = new();

    /// <summary>The TLS 1.2 session offered for resumption (RFC 5077 ticket and/or session id), if any.</summary>
    public SessionRecord? Session12 { get; private set; }

    public static HandshakeState Start(HandshakeContext context, ClientConfig config)
    {
        var flight = new ClientHelloFlight(config) { _sniHostName = context.ServerIdentity?.SniHostName };
        context.ServerName = config.ServerName;
        bool offers13 = config.MaxVersion >= TlsVersion.Tls13;
        var hello = new ClientHello
        {
            LegacyVersion = DatagramVersions.LegacyVersion(config.Datagram),
            Datagram = config.Datagram,
            Random = context.Random.GetBytes(32),
            // In TLS 1.2 a session id asks for resumption, so the fake one is for 1.3's compatibility mode only,
            // which DTLS 1.3 does not have (RFC 9147 §5).
            LegacySessionId = config.MiddleboxCompatibility && offers13 && !config.Datagram ? context.Random.GetBytes(32) : Array.Empty<byte>(),
        };
        context.ClientRandom = hello.Random;
        foreach (TlsCipherSuite suite in config.CipherSuites)
        {
            TlsVersion version = CipherSuiteInfo.Get(suite).Version;
            if (version >= config.MinVersion && version <= config.MaxVersion)
            {
                hello.CipherSuites.Add((ushort)suite);
            }
        }

        if (offers13)
        {
            foreach (TlsNamedGroup group in config.KeyShareGroups)
            {
                flight.KeyShares[group] = context.Crypto.GenerateKeyShare(group, context.Random);
            }
        }

        flight.Hello = hello;
        if (offers13)
        {
            // RFC 8446 §4.2.11: a PSK is only usable with a suite of its hash; the options checked that one is configured.
            flight._externalPsks.AddRange(config.ExternalPsks.Where(psk => hello.CipherSuites.Any(s => CipherSuiteInfo.Find(s) is { Version: TlsVersion.Tls13 } info && info.Hash == psk.Hash)));
        }

        SessionRecord? kept = flight.FindTicket(context);
        flight.Ticket = kept?.Version == TlsVersion.Tls13 ? kept : null;
        flight.Session12 = kept?.Version == TlsVersion.Tls12 ? kept : null;
        if (flight.Session12 != null)
        {
            // RFC 5077 §3.4: a ticket goes with a fresh session id, which the server echoes to accept it.
            hello.LegacySessionId = flight.Session12.SessionId.Length > 0 ? flight.Session12.SessionId : context.Random.GetBytes(32);
        }

        // 0-RTT is not offered over datagrams (yet): DTLS would need EndOfEarlyData's replacement and epoch 1.
        flight.OfferedEarlyData = !config.Datagram && flight.Ticket != null && config.EarlyData is { Length: > 0 } early && flight.Ticket.MaxEarlyDataSize >= early.Length;
        hello.Extensions = flight.BuildExtensions(cookie: null, context.Now);
        context.Channel.SendHandshake(flight.EncodeWithBinder(context), context.Transcript, initialClientHello: true);
        if (flight.OfferedEarlyData)
        {
            flight.SendEarlyData(context);
        }

        return new ExpectServerHello(flight);
    }

    /// <summary>
    /// DTLS 1.2 (RFC 6347 §4.2.1): the same ClientHello again with the server's cookie. The first one
    /// and the HelloVerifyRequest stay out of the transcript, so it starts over with this one.
    /// </summary>
    public void SendWithCookie(HandshakeContext context, byte[] cookie)
    {
        Hello.Cookie = cookie;
        context.Transcript.Restart();
        context.SendHandshake(EncodeWithBinder(context));
    }

    /// <summary>RFC 8446 §4.1.4: the second ClientHello answers the server's requested group and echoes its cookie.</summary>
    public void SendRetry(HandshakeContext context, TlsNamedGroup group, byte[]? cookie)
    {
        if (cookie != null && cookie.Length > MaxEchoedCookieLength)
        {
            throw new TlsFailureException(TlsFailureReason.LimitExceeded, $"The server's cookie of {cookie.Length} bytes is larger than this client echoes ({MaxEchoedCookieLength}).");
        }

        foreach (IKeyShare share in KeyShares.Values)
        {
            share.Dispose();
        }

        KeyShares.Clear();
        KeyShares[group] = context.Crypto.GenerateKeyShare(group, context.Random);
        if (OfferedEarlyData)
        {
            // RFC 8446 §4.2.10: early data is rejected after a HelloRetryRequest; CH2 goes out in the clear.
            context.EarlyDataStatus = TlsEarlyDataStatus.Rejected;
            context.Channel.DropEarlyWriteKeys();
            OfferedEarlyData = false;
        }

        // The PSK survives only if its hash matches the suite the server picked (RFC 8446 §4.1.4).
        if (Ticket != null && CipherSuiteInfo.Get(Ticket.CipherSuite).Hash != context.RequireSuite.Hash)
        {
            Ticket = null;
        }

        _externalPsks.RemoveAll(psk => psk.Hash != context.RequireSuite.Hash);
        Hello.Extensions = BuildExtensions(cookie, context.Now);
        context.SendChangeCipherSpecOnce();
        context.SendHandshake(EncodeWithBinder(context));
    }

    private SessionRecord? FindTicket(HandshakeContext context)
    {
        if (_config.SessionCache == null || string.IsNullOrEmpty(_config.ServerName))
        {
            return null;
        }

        SessionRecord? ticket = _config.SessionCache.Take(_config.ServerName!, context.Now);
        return ticket != null && ticket.Ticket.Length <= MaxOfferedTicketLength && _config.CipherSuites.Contains(ticket.CipherSuite)
            && Equals(_config.VerificationScope, ticket.VerifiedUnder) && ticket.Datagram == _config.Datagram
            && ticket.Version >= _config.MinVersion && ticket.Version <= _config.MaxVersion ? ticket : null;
    }

    /// <summary>
    /// Encodes the hello and fills in each offered PSK's binder, all over the same truncated hello
    /// (RFC 8446 §4.2.11.2), with the "ext binder" or "res binder" key as the PSK is external or a ticket.
    /// </summary>
    private byte[] EncodeWithBinder(HandshakeContext context)
    {
        byte[] encoded = Hello.Encode();
        if (OfferedPsks.Count == 0)
        {
            return encoded;
        }

        int truncated = encoded.Length - _bindersLength;
        int offset = truncated + 2;
        foreach (OfferedPsk psk in OfferedPsks)
        {
            byte[] truncatedHash = context.Transcript.HashWith(psk.Hash, encoded.AsSpan(0, truncated));
            byte[] binder = Resumption.Binder(context.Crypto, psk.Hash, psk.Key, truncatedHash, external: psk.External != null, context.LabelPrefix);
            binder.CopyTo(encoded, offset + 1);
            offset += 1 + binder.Length;
        }

        return encoded;
    }

    /// <summary>0-RTT: compatibility CCS, then the data under client_early_traffic_secret (RFC 8446 §7.1, Appendix D.4).</summary>
    private void SendEarlyData(HandshakeContext context)
    {
        CipherSuiteInfo suite = CipherSuiteInfo.Get(Ticket!.CipherSuite);
        var hkdf = new KeySchedule.Hkdf(context.Crypto, suite.Hash, context.LabelPrefix);
        using var early = new KeySchedule.EarlyStage(hkdf, Ticket.ResumptionSecret);
        byte[] secret = context.Own(early.ClientEarlyTrafficSecret(context.Transcript.HashWith(suite.Hash, ReadOnlySpan<byte>.Empty)));
        context.LogSecret("CLIENT_EARLY_TRAFFIC_SECRET", secret);
        context.SendChangeCipherSpecOnce();
        context.Channel.InstallWriteSecret(TrafficEpoch.EarlyData, suite, hkdf, secret);
        // The record keys are all this secret was for: it goes now, not when the connection is disposed.
        Array.Clear(secret, 0, secret.Length);
        context.Channel.SendEarlyData(_config.EarlyData);
        context.EarlyDataStatus = TlsEarlyDataStatus.Rejected;
    }

    public void Dispose()
    {
        foreach (IKeyShare share in KeyShares.Values)
        {
            share.Dispose();
        }
    }

    private List<Extension> BuildExtensions(byte[]? cookie, DateTimeOffset now)
    {
        var extensions = new List<Extension>();
        // RFC 6066 §3: literal IP addresses are not sent as SNI (ServerIdentity leaves them out).
        if (_sniHostName != null)
        {
            extensions.Add(new Extension(ExtensionType.ServerName, ExtensionCodecs.EncodeServerName(_sniHostName)));
        }

        var groups = new List<ushort>();
        foreach (TlsNamedGroup group in _config.Groups)
        {
            // A TLS 1.2-only hello leaves out the ML-KEM groups no TLS 1.2 server may choose.
            if (_config.MaxVersion >= TlsVersion.Tls13 || !KeyExchange.IsKem(group))
            {
                groups.Add((ushort)group);
            }
        }

        extensions.Add(new Extension(ExtensionType.SupportedGroups, ExtensionBlock.U16List(groups, 2)));
        var schemes = new List<ushort>();
        foreach (TlsSignatureScheme scheme in _config.SignatureSchemes)
        {
            schemes.Add((ushort)scheme);
        }

        extensions.Add(new Extension(ExtensionType.SignatureAlgorithms, ExtensionBlock.U16List(schemes, 2)));
        if (_config.ApplicationProtocols.Count > 0)
        {
            extensions.Add(new Extension(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(_config.ApplicationProtocols)));
        }

        var versions = new List<ushort>();
        for (TlsVersion version = _config.MaxVersion; version >= _config.MinVersion; version--)
        {
            versions.Add(DatagramVersions.Wire(version, _config.Datagram));
        }

        extensions.Add(new Extension(ExtensionType.SupportedVersions, ExtensionBlock.U16List(versions, 1)));
        if (_config.MinVersion <= TlsVersion.Tls12)
        {
            extensions.Add(new Extension(ExtensionType.EcPointFormats, ExtensionCodecs.EncodeEcPointFormats()));
            extensions.Add(new Extension(ExtensionType.ExtendedMasterSecret, Array.Empty<byte>()));
            // RFC 5746: an empty renegotiated_connection on the initial handshake.
            extensions.Add(new Extension(ExtensionType.RenegotiationInfo, ExtensionCodecs.EncodeInitialRenegotiationInfo()));
            if (_config.SessionCache != null)
            {
                extensions.Add(new Extension(ExtensionType.SessionTicket, Session12?.Ticket ?? Array.Empty<byte>()));
            }
        }

        if (_config.MaxVersion >= TlsVersion.Tls13)
        {
            // Servers only issue tickets to clients that say how they would use them (RFC 8446 §4.2.9): psk_dhe_ke (1), psk_ke (0).
            var modes = new List<byte> { 0 };
            if ((_config.PskModes & TlsPskKeyExchangeModes.WithKeyExchange) != 0)
            {
                modes.Add(1);
            }

            if ((_config.PskModes & TlsPskKeyExchangeModes.WithoutKeyExchange) != 0)
            {
                modes.Add(0);
            }

            modes[0] = (byte)(modes.Count - 1);
            extensions.Add(new Extension(ExtensionType.PskKeyExchangeModes, modes.ToArray()));
            var shares = new List<KeyShareEntry>();
            foreach (KeyValuePair<TlsNamedGroup, IKeyShare> share in KeyShares)
            {
                shares.Add(new KeyShareEntry((ushort)share.Key, share.Value.PublicKey));
            }

            extensions.Add(new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeClientKeyShares(shares)));
        }

        RecordSizeNegotiation.Offer(_config, extensions);
        ConnectionIdNegotiation.Offer(_config, extensions);
        CertificateTypes.Offer(_config, extensions);
        if (cookie != null)
        {
            extensions.Add(new Extension(ExtensionType.Cookie, ExtensionCodecs.EncodeCookie(cookie)));
        }

        if (OfferedEarlyData)
        {
            extensions.Add(new Extension(ExtensionType.EarlyData, Array.Empty<byte>()));
        }

        // pre_shared_key must be the last extension (RFC 8446 §4.2.11).
        OfferedPsks.Clear();
        if (Ticket != null)
        {
            // obfuscated_ticket_age: the ticket's age in milliseconds plus the server's age_add (RFC 8446 §4.2.11.1).
            uint age = unchecked((uint)Math.Max(0, (now - Ticket.ReceivedAt).TotalMilliseconds) + Ticket.AgeAdd);
            OfferedPsks.Add(new OfferedPsk(Ticket.Ticket, age, CipherSuiteInfo.Get(Ticket.CipherSuite).Hash, Ticket.ResumptionSecret, null));
        }

        foreach (ExternalPsk psk in _externalPsks)
        {
            // RFC 8446 §4.2.11: an external identity's obfuscated_ticket_age SHOULD be 0.
            OfferedPsks.Add(new OfferedPsk(psk.Identity, 0, psk.Hash, psk.Key, psk));
        }

        if (OfferedPsks.Count > 0)
        {
            byte[] offer = PreSharedKeyOffer.Encode(OfferedPsks.Select(p => (p.Identity, p.ObfuscatedAge, p.BinderLength)).ToList(), out _bindersLength);
            extensions.Add(new Extension(ExtensionType.PreSharedKey, offer));
        }

        return extensions;
    }
}
