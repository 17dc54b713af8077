using System;
using System.Collections.Generic;
using System.Net;
using TlsEngine.Crypto;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Client;

/// <summary>
/// Builds and sends the ClientHello (RFC 8446 §4.1.2), and its second version after a
/// HelloRetryRequest. Holds the ephemeral key shares until the ServerHello picks one.
/// </summary>
internal sealed class ClientHelloFlight : IDisposable
{
    private readonly TlsClientOptions _options;

    public ClientHelloFlight(TlsClientOptions options)
    {
        _options = options;
    }

    public ClientHello Hello { get; private set; } = new();

    public Dictionary<TlsNamedGroup, IKeyShare> KeyShares { get; } = new();

    public TlsClientOptions Options => _options;

    public static HandshakeState Start(HandshakeContext context, TlsClientOptions options)
    {
        var flight = new ClientHelloFlight(options);
        context.ServerName = options.ServerName;
        bool offers13 = options.MaxVersion >= TlsVersion.Tls13;
        var hello = new ClientHello
        {
            Random = context.Random.GetBytes(32),
            // In TLS 1.2 a session id asks for resumption, so the fake one is for 1.3's compatibility mode only.
            LegacySessionId = options.MiddleboxCompatibility && offers13 ? context.Random.GetBytes(32) : Array.Empty<byte>(),
        };
        context.ClientRandom = hello.Random;
        foreach (TlsCipherSuite suite in options.CipherSuites)
        {
            TlsVersion version = CipherSuiteInfo.Get(suite).Version;
            if (version >= options.MinVersion && version <= options.MaxVersion)
            {
                hello.CipherSuites.Add((ushort)suite);
            }
        }

        if (offers13)
        {
            foreach (TlsNamedGroup group in options.KeyShareGroups)
            {
                flight.KeyShares[group] = context.Crypto.GenerateKeyShare(group, context.Random);
            }
        }

        flight.Hello = hello;
        hello.Extensions = flight.BuildExtensions(cookie: null);
        context.Records.UseInitialRecordVersion = true;
        context.SendHandshake(hello.Encode());
        context.Records.UseInitialRecordVersion = false;
        return new ExpectServerHello(flight);
    }

    /// <summary>RFC 8446 §4.1.4: the second ClientHello answers the server's requested group and echoes its cookie.</summary>
    public void SendRetry(HandshakeContext context, TlsNamedGroup group, byte[]? cookie)
    {
        foreach (IKeyShare share in KeyShares.Values)
        {
            share.Dispose();
        }

        KeyShares.Clear();
        KeyShares[group] = context.Crypto.GenerateKeyShare(group, context.Random);
        Hello.Extensions = BuildExtensions(cookie);
        context.SendChangeCipherSpecOnce();
        context.SendHandshake(Hello.Encode());
    }

    public void Dispose()
    {
        foreach (IKeyShare share in KeyShares.Values)
        {
            share.Dispose();
        }
    }

    private List<Extension> BuildExtensions(byte[]? cookie)
    {
        var extensions = new List<Extension>();
        string? name = _options.ServerName;
        // RFC 6066 §3: literal IP addresses are not sent as SNI.
        if (!string.IsNullOrEmpty(name) && !IPAddress.TryParse(name, out _))
        {
            extensions.Add(new Extension(ExtensionType.ServerName, ExtensionCodecs.EncodeServerName(name!)));
        }

        var groups = new List<ushort>();
        foreach (TlsNamedGroup group in _options.Groups)
        {
            groups.Add((ushort)group);
        }

        extensions.Add(new Extension(ExtensionType.SupportedGroups, ExtensionBlock.U16List(groups, 2)));
        var schemes = new List<ushort>();
        foreach (TlsSignatureScheme scheme in _options.SignatureSchemes)
        {
            schemes.Add((ushort)scheme);
        }

        extensions.Add(new Extension(ExtensionType.SignatureAlgorithms, ExtensionBlock.U16List(schemes, 2)));
        if (_options.ApplicationProtocols.Count > 0)
        {
            extensions.Add(new Extension(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(_options.ApplicationProtocols)));
        }

        var versions = new List<ushort>();
        for (TlsVersion version = _options.MaxVersion; version >= _options.MinVersion; version--)
        {
            versions.Add((ushort)version);
        }

        extensions.Add(new Extension(ExtensionType.SupportedVersions, ExtensionBlock.U16List(versions, 1)));
        if (_options.MinVersion <= TlsVersion.Tls12)
        {
            extensions.Add(new Extension(ExtensionType.EcPointFormats, new byte[] { 1, 0 }));
            extensions.Add(new Extension(ExtensionType.ExtendedMasterSecret, Array.Empty<byte>()));
            // RFC 5746: an empty renegotiated_connection on the initial handshake.
            extensions.Add(new Extension(ExtensionType.RenegotiationInfo, new byte[] { 0 }));
        }

        if (_options.MaxVersion >= TlsVersion.Tls13)
        {
            // psk_dhe_ke: servers only issue tickets to clients that say how they would use them.
            extensions.Add(new Extension(ExtensionType.PskKeyExchangeModes, new byte[] { 1, 1 }));
            var shares = new List<KeyShareEntry>();
            foreach (KeyValuePair<TlsNamedGroup, IKeyShare> share in KeyShares)
            {
                shares.Add(new KeyShareEntry((ushort)share.Key, share.Value.PublicKey));
            }

            extensions.Add(new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeClientKeyShares(shares)));
        }
        if (cookie != null)
        {
            extensions.Add(new Extension(ExtensionType.Cookie, ExtensionCodecs.EncodeCookie(cookie)));
        }

        return extensions;
    }
}
