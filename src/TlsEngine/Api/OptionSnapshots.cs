using System;
using System.Collections.Generic;
using System.Linq;
using TlsEngine.Crypto;
using TlsEngine.Handshake;

namespace TlsEngine;

/// <summary>
/// Copies validated options into the handshake's configuration when a connection is created.
/// Lists and the early data are copied; trust anchor sets and credentials are immutable and
/// referenced; the ticket keys and the session cache are shared with other connections by design.
/// </summary>
internal static class OptionSnapshots
{
    // The machine's roots load on first use, as before: a client that never checks a chain never opens the store.
    private static readonly Func<IReadOnlyList<ICertificate>> MachineRoots = () => TlsTrustAnchors.System.Anchors;

    public static HandshakeConfig Of(TlsOptions options) =>
        options is TlsClientOptions client ? Client(client) : Server((TlsServerOptions)options);

    public static ClientConfig Client(TlsClientOptions options) => WithShared(new ClientConfig
    {
        ServerName = options.ServerName,
        ServerIdentity = options.CreateServerIdentity(),
        ConfiguredTrustAnchors = options.TrustAnchors?.Anchors,
        DangerousAcceptAnyServerCertificate = options.DangerousAcceptAnyServerCertificate,
        DelegateCertificateValidation = options.DelegateCertificateValidation,
        VerificationScope = TlsSessionTicket.VerificationOf(options),
        KeyShareGroups = options.KeyShareGroups.ToArray(),
        SessionCache = options.SessionCache,
        EarlyData = (byte[]?)options.EarlyData?.Clone(),
        ClientCertificate = options.ClientCertificate?.Local,
        SignatureSchemes = options.SignatureSchemes.ToArray(),
        ExternalPsks = options.ExternalPsks.Select(psk => psk.Local).ToArray(),
        PskModes = options.PskKeyExchangeModes,
        RequirePskAuthentication = options.ExternalPsks.Count > 0 && options.ServerName == null
            && !options.DangerousAcceptAnyServerCertificate && !options.DangerousSkipHostNameCheck,
        CertificatePins = OptionRules.Pins(options.CertificatePins, nameof(options.CertificatePins)),
        MaxFragmentLength = options.MaxFragmentLength,
    }, options);

    public static ServerConfig Server(TlsServerOptions options)
    {
        Func<string?, TlsCertificateCredential?>? selector = options.CertificateSelector;
        Func<byte[], TlsExternalPsk?>? lookup = options.ExternalPskLookup;
        return WithShared(new ServerConfig
        {
            Certificate = options.Certificate?.Local,
            CertificateSelector = selector == null ? null : name => selector(name)?.Local,
            ApplicationProtocolSelector = options.ApplicationProtocolSelector,
            DelegatePrivateKeyOperations = options.DelegatePrivateKeyOperations,
            RetryForPostQuantumGroup = options.RetryForPostQuantumGroup,
            TicketKeys = options.SessionTicketKeys?.Ring,
            TicketLifetime = options.TicketLifetime,
            TicketsPerConnection = options.TicketsPerConnection,
            AllowResumptionWithoutKeyExchange = options.AllowResumptionWithoutKeyExchange,
            MaxEarlyDataSize = options.MaxEarlyDataSize,
            ClientCertificateMode = options.ClientCertificateMode,
            ConfiguredClientTrustAnchors = options.ClientCertificateTrustAnchors?.Anchors,
            ClientSignatureSchemes = options.ClientSignatureSchemes.ToArray(),
            ExternalPsks = options.ExternalPsks.Select(psk => psk.Local).ToArray(),
            ExternalPskLookup = lookup == null ? null : identity => lookup(identity)?.Local,
            ExternalPskModes = options.PskKeyExchangeModes,
            ClientCertificatePins = OptionRules.Pins(options.ClientCertificatePins, nameof(options.ClientCertificatePins)),
        }, options);
    }

    /// <summary>The settings both roles share, copied once onto the role's configuration.</summary>
    private static T WithShared<T>(T config, TlsOptions options)
        where T : HandshakeConfig => (T)((HandshakeConfig)config with
        {
            CipherSuites = options.CipherSuites.ToArray(),
            MinVersion = options.MinVersion,
            MaxVersion = options.MaxVersion,
            RequireExtendedMasterSecret = options.RequireExtendedMasterSecret,
            Groups = options.Groups.ToArray(),
            ApplicationProtocols = options.ApplicationProtocols.ToArray(),
            Random = options.Random,
            TimeProvider = options.TimeProvider,
            MaxHandshakeMessageSize = options.MaxHandshakeMessageSize,
            MaxCertificateChainLength = options.MaxCertificateChainLength,
            MaxEmptyRecordsInRow = options.MaxEmptyRecordsInRow,
            MaxPostHandshakeMessagesWithoutData = options.MaxPostHandshakeMessagesWithoutData,
            MiddleboxCompatibility = options.MiddleboxCompatibility,
            KeyLog = options.KeyLog,
            MachineTrustAnchors = MachineRoots,
            RecordSizeLimit = options.RecordSizeLimit,
            CertificateTypes = options.CertificateTypes.ToArray(),
            PeerCertificateTypes = options.PeerCertificateTypes.ToArray(),
            RawPublicKey = options.RawPublicKey?.Local,
            PinnedPeerPublicKeys = options.PinnedPeerPublicKeys.Select(pin => (byte[])pin.Clone()).ToArray(),
        });
}
