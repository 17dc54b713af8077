using System.Linq;
using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client;

/// <summary>Waits for ServerHello or HelloRetryRequest (RFC 8446 §4.1.3–4.1.4).</summary>
internal sealed class ExpectServerHello : HandshakeState
{
    private readonly ClientHelloFlight _flight;
    private readonly CipherSuiteInfo? _retrySuite;
    private readonly bool _verified;

    public ExpectServerHello(ClientHelloFlight flight, CipherSuiteInfo? retrySuite = null, bool verified = false)
    {
        _flight = flight;
        _retrySuite = retrySuite;
        _verified = verified;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        if (message.Type == HandshakeType.HelloVerifyRequest && CanVerify(context))
        {
            return ProcessHelloVerifyRequest(context, message);
        }

        Expect(message, HandshakeType.ServerHello);
        ServerHello hello = ServerHello.TryParse(message.Body) ?? throw Malformed(message.Type);
        // RFC 8446 Appendix D.5: SSL 3.0 or older in legacy_version is refused whatever supported_versions says.
        if (hello.LegacyVersion <= 0x0300)
        {
            throw new TlsFailureException(TlsFailureReason.ObsoleteLegacyVersion, $"ServerHello legacy_version 0x{hello.LegacyVersion:X4} is SSL 3.0 or older.");
        }

        if (hello.HasDuplicateExtension)
        {
            throw new TlsFailureException(TlsFailureReason.DuplicateExtension, "ServerHello repeats an extension.");
        }

        if (SelectedVersion(hello) == TlsVersion.Tls12)
        {
            RequireUsableAuthentication(pskSelected: false);
            return Tls12.ServerHello12.Process(context, message, hello, _flight);
        }

        CipherSuiteInfo suite = CheckCommonFields(hello);
        return hello.IsHelloRetryRequest
            ? ProcessHelloRetryRequest(context, message, hello, suite)
            : ProcessServerHello(context, message, hello, suite);
    }

    /// <summary>A DTLS client that offers DTLS 1.2 answers one HelloVerifyRequest, before any ServerHello or HelloRetryRequest.</summary>
    private bool CanVerify(HandshakeContext context) =>
        context.IsDatagram && _flight.Config.MinVersion <= TlsVersion.Tls12 && !_verified && _retrySuite == null;

    /// <summary>RFC 6347 §4.2.1: the ClientHello goes again, the same but for the cookie.</summary>
    private HandshakeState ProcessHelloVerifyRequest(HandshakeContext context, HandshakeMessage message)
    {
        if (!HelloVerifyRequest.TryParse(message.Body, out _, out byte[] cookie))
        {
            throw Malformed(message.Type);
        }

        _flight.SendWithCookie(context, cookie);
        return new ExpectServerHello(_flight, verified: true);
    }

    /// <summary>RFC 8446 §4.1.3 and §4.2.1: supported_versions selects 1.3; its absence means legacy_version rules.</summary>
    private TlsVersion SelectedVersion(ServerHello hello)
    {
        ClientConfig config = _flight.Config;
        Extension? versions = hello.Find(ExtensionType.SupportedVersions);
        if (versions != null)
        {
            if (!ExtensionCodecs.TryDecodeU16(versions.Data, out ushort version))
            {
                throw TlsFailureException.Decode("ServerHello has a malformed supported_versions extension.");
            }

            // RFC 9147 §5.3: a DTLS server selects 0xFEFC, never a TLS number.
            if (version != DatagramVersions.Wire(TlsVersion.Tls13, config.Datagram) || config.MaxVersion < TlsVersion.Tls13)
            {
                throw new TlsFailureException(TlsFailureReason.VersionNotOffered, "The server selected a version that was not offered.");
            }

            return TlsVersion.Tls13;
        }

        if (hello.LegacyVersion != DatagramVersions.Wire(TlsVersion.Tls12, config.Datagram) || config.MinVersion > TlsVersion.Tls12 || hello.IsHelloRetryRequest || _retrySuite != null)
        {
            throw new TlsFailureException(TlsFailureReason.NoCommonVersion, $"The server selected protocol version 0x{hello.LegacyVersion:X4}, which is not enabled.");
        }

        // RFC 8446 §4.1.3: a TLS 1.3 server that negotiates down says so in its random; an attacker's downgrade cannot remove it.
        // Its "DOWNGRD" 00 form marks a downgrade below TLS 1.2, which must not be accepted either.
        ReadOnlySpan<byte> tail = hello.Random.AsSpan(24);
        if (config.MaxVersion >= TlsVersion.Tls13 && tail.Slice(0, 7).SequenceEqual(Tls12.ServerHello12.DowngradeSentinel12.AsSpan(0, 7)) && tail[7] <= 1)
        {
            throw new TlsFailureException(TlsFailureReason.DowngradeDetected, "ServerHello carries the TLS 1.3 downgrade sentinel: the connection was downgraded.");
        }

        return TlsVersion.Tls12;
    }

    private CipherSuiteInfo CheckCommonFields(ServerHello hello)
    {
        if (hello.LegacyVersion != DatagramVersions.LegacyVersion(_flight.Config.Datagram))
        {
            throw TlsFailureException.Illegal("ServerHello legacy_version is not 0x0303 (0xFEFD in DTLS).");
        }

        if (!hello.LegacySessionIdEcho.AsSpan().SequenceEqual(_flight.Hello.LegacySessionId))
        {
            throw new TlsFailureException(TlsFailureReason.SessionIdNotEchoed, "ServerHello does not echo the legacy session id.");
        }

        if (hello.CompressionMethod != 0)
        {
            throw new TlsFailureException(TlsFailureReason.CompressionNotNull, "ServerHello selects a compression method.");
        }

        CipherSuiteInfo? suite = CipherSuiteInfo.Find(hello.CipherSuite);
        if (suite == null || suite.Version != TlsVersion.Tls13 || !_flight.Hello.CipherSuites.Contains(hello.CipherSuite))
        {
            throw new TlsFailureException(TlsFailureReason.CipherSuiteNotOffered, "The server selected a cipher suite that was not offered.");
        }

        // RFC 8446 §4.1.4: the suite in ServerHello must be the one from HelloRetryRequest.
        if (_retrySuite != null && _retrySuite.Suite != suite.Suite)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidHelloRetryRequest, "ServerHello changes the cipher suite chosen in HelloRetryRequest.");
        }

        return suite;
    }

    private HandshakeState ProcessHelloRetryRequest(HandshakeContext context, HandshakeMessage message, ServerHello hello, CipherSuiteInfo suite)
    {
        if (_retrySuite != null)
        {
            throw new TlsFailureException(TlsFailureReason.SecondHelloRetryRequest, "The server sent a second HelloRetryRequest.");
        }

        byte[]? cookie = null;
        TlsNamedGroup? group = null;
        foreach (Extension extension in hello.Extensions)
        {
            switch (extension.Type)
            {
                case ExtensionType.SupportedVersions:
                    break;
                case ExtensionType.KeyShare:
                    if (!ExtensionCodecs.TryDecodeU16(extension.Data, out ushort selected))
                    {
                        throw Malformed(message.Type);
                    }

                    group = (TlsNamedGroup)selected;
                    break;
                case ExtensionType.Cookie:
                    if (!ExtensionCodecs.TryDecodeCookie(extension.Data, out byte[] value))
                    {
                        throw Malformed(message.Type);
                    }

                    cookie = value;
                    break;
                default:
                    throw MisplacedOrUnsolicited("HelloRetryRequest", extension.Type);
            }
        }

        // RFC 8446 §4.2.8: the selected group must be one the client supports and did not already send a share for.
        if (group != null && !_flight.Config.Groups.Contains(group.Value))
        {
            throw new TlsFailureException(TlsFailureReason.GroupNotOffered, "HelloRetryRequest asks for a group that was not offered.");
        }

        if (group != null && _flight.KeyShares.ContainsKey(group.Value))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidHelloRetryRequest, "HelloRetryRequest asks for a group the ClientHello already has a share for.");
        }

        if (group == null && cookie == null)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidHelloRetryRequest, "HelloRetryRequest would not change the ClientHello.");
        }

        context.SetSuite(suite);
        context.HelloRetryRequested = true;
        // HelloRetryRequest's supported_versions settles TLS 1.3: its alert rules apply from here (RFC 8446 §6).
        context.Channel.SetVersion(TlsVersion.Tls13);
        context.Transcript.ReplaceWithMessageHash(suite.Hash);
        context.Transcript.Add(message.TranscriptForm);
        TlsNamedGroup retryGroup = group ?? FirstShareGroup();
        _flight.SendRetry(context, retryGroup, cookie);
        return new ExpectServerHello(_flight, suite);
    }

    private HandshakeState ProcessServerHello(HandshakeContext context, HandshakeMessage message, ServerHello hello, CipherSuiteInfo suite)
    {
        KeyShareEntry? share = null;
        OfferedPsk? psk = null;
        foreach (Extension extension in hello.Extensions)
        {
            switch (extension.Type)
            {
                case ExtensionType.SupportedVersions:
                    break;
                case ExtensionType.KeyShare:
                    if (!ExtensionCodecs.TryDecodeServerKeyShare(extension.Data, out KeyShareEntry entry))
                    {
                        throw Malformed(message.Type);
                    }

                    share = entry;
                    break;
                case ExtensionType.PreSharedKey when _flight.OfferedPsks.Count > 0:
                    psk = SelectedPsk(message, extension, suite);
                    break;
                case ExtensionType.ConnectionId when context.IsDatagram && _flight.Hello.Find(ExtensionType.ConnectionId) != null:
                    ConnectionIdNegotiation.AcceptAnswer(context, extension);
                    break;
                default:
                    throw MisplacedOrUnsolicited("ServerHello", extension.Type);
            }
        }

        RequireUsableAuthentication(pskSelected: psk != null);
        CheckKeyExchangeMode(psk, share != null);
        byte[] shared = share == null ? Array.Empty<byte>() : AgreeKeyShare(context, share.Value);
        _flight.Dispose();

        bool resumed = psk is { External: null };
        context.SetSuite(suite);
        context.Version = TlsVersion.Tls13;
        context.ServerRandom = hello.Random;
        context.Transcript.Add(message.TranscriptForm);
        context.IsResumed = resumed;
        context.ExternalPskIdentity = psk?.External?.Identity;
        bool earlyPending = resumed && _flight.OfferedEarlyData;
        HandshakeStage handshakeKeys = EstablishHandshakeKeys(context, shared, psk?.Key ?? Array.Empty<byte>(), installWrite: !earlyPending);
        if (_flight.OfferedEarlyData && !earlyPending)
        {
            // The server did not resume, so it cannot have read the 0-RTT data.
            context.EarlyDataStatus = TlsEarlyDataStatus.Rejected;
        }

        // A PSK, external or resumed, authenticates the server: no Certificate follows (RFC 8446 §2.2).
        return new ExpectEncryptedExtensions(_flight.Hello, _flight.Config, psk != null, earlyPending, handshakeKeys);
    }

    /// <summary>
    /// RFC 8446 §4.2.11: the selected identity must be one of those offered, and the suite must have
    /// its hash; otherwise illegal_parameter.
    /// </summary>
    private OfferedPsk SelectedPsk(HandshakeMessage message, Extension extension, CipherSuiteInfo suite)
    {
        if (!ExtensionCodecs.TryDecodeU16(extension.Data, out ushort selected))
        {
            throw Malformed(message.Type);
        }

        if (selected >= _flight.OfferedPsks.Count || _flight.OfferedPsks[selected].Hash != suite.Hash)
        {
            throw new TlsFailureException(TlsFailureReason.ResumptionNotOffered, "The server selected a PSK that was not offered or does not fit the suite.");
        }

        return _flight.OfferedPsks[selected];
    }

    /// <summary>RFC 8446 §4.2.11: a key_share must be present exactly when the PSK mode the client allowed needs one.</summary>
    private void CheckKeyExchangeMode(OfferedPsk? psk, bool hasShare)
    {
        if (psk == null)
        {
            if (!hasShare)
            {
                throw TlsFailureException.MissingExtension("ServerHello has no key_share.");
            }

            return;
        }

        TlsPskKeyExchangeModes mode = hasShare ? TlsPskKeyExchangeModes.WithKeyExchange : TlsPskKeyExchangeModes.WithoutKeyExchange;
        if ((_flight.Config.PskModes & mode) == 0)
        {
            throw new TlsFailureException(TlsFailureReason.PskKeyExchangeModeNotOffered,
                hasShare ? "The server used a key share with a PSK although only psk_ke was offered." : "The server selected a PSK without a key share although psk_ke was not offered.");
        }
    }

    /// <summary>A client with PSKs but no name to check a certificate against accepts only a PSK handshake.</summary>
    private void RequireUsableAuthentication(bool pskSelected)
    {
        if (!pskSelected && _flight.Config.RequirePskAuthentication)
        {
            throw new TlsFailureException(TlsFailureReason.NoAcceptablePsk, "The server accepted none of the PSKs, and without a server name its certificate cannot be verified.");
        }
    }

    private byte[] AgreeKeyShare(HandshakeContext context, KeyShareEntry share)
    {
        var group = (TlsNamedGroup)share.Group;
        if (!_flight.KeyShares.TryGetValue(group, out IKeyShare? ours))
        {
            throw new TlsFailureException(TlsFailureReason.GroupNotOffered, "The server's key share is for a group the client sent no share for.");
        }

        // draft-ietf-tls-ecdhe-mlkem §4: a ciphertext or hybrid share of the wrong size is illegal_parameter.
        int length = KeyExchange.ServerShareLength(group);
        if (length >= 0 && share.KeyExchange.Length != length)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidKeyShareLength, $"The server's {group} key share is {share.KeyExchange.Length} bytes, not {length}.");
        }

        byte[] shared = ours.DeriveSharedSecret(share.KeyExchange)
            ?? throw new TlsFailureException(TlsFailureReason.InvalidKeyShare, "The server's key share is not a valid public key.");
        context.Group = group;
        return context.Own(shared);
    }

    private static HandshakeStage EstablishHandshakeKeys(HandshakeContext context, byte[] sharedSecret, byte[] psk, bool installWrite)
    {
        HandshakeStage stage = Tls13Secrets.DeriveHandshake(context, sharedSecret, psk);
        context.InstallReadSecret(context.RequireTraffic.Server, TrafficEpoch.Handshake);
        if (installWrite)
        {
            context.InstallWriteSecret(context.RequireTraffic.Client, TrafficEpoch.Handshake);
        }

        return stage;
    }

    private TlsNamedGroup FirstShareGroup()
    {
        foreach (KeyValuePair<TlsNamedGroup, IKeyShare> share in _flight.KeyShares)
        {
            return share.Key;
        }

        return _flight.Config.Groups[0];
    }

    /// <summary>
    /// RFC 8446 §4.2: an extension the client offered but that has no place in this message is
    /// illegal_parameter; one it never offered is unsupported_extension.
    /// </summary>
    private TlsFailureException MisplacedOrUnsolicited(string messageName, ushort type) => _flight.Hello.Find(type) != null
        ? new TlsFailureException(TlsFailureReason.MisplacedExtension, $"{messageName} carries extension {type}, which does not belong there.")
        : TlsFailureException.UnsupportedExtension($"{messageName} carries extension {type}, which was not offered.");
}
