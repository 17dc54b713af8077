using System;
using System.Linq;
using System.Collections.Generic;

namespace TlsEngine;

/// <summary>Which implementation of the cryptographic primitives a connection uses.</summary>
public enum TlsCryptoProvider
{
    /// <summary>The platform's (System.Security.Cryptography) on net8.0+, unless a seeded random source is set; the managed one otherwise.</summary>
    Auto,

    /// <summary>The pure managed implementation (BouncyCastle): runs everywhere, reproducible with a seeded random source.</summary>
    Managed,

    /// <summary>The platform's, where available (net8.0+); X25519 and Ed25519 stay managed.</summary>
    Platform,
}

/// <summary>Settings shared by both roles.</summary>
/// <remarks>
/// A connection copies the settings when it is created: changing an options object (or a list in
/// it) afterwards affects only connections created later. Shared objects it refers to, such as the
/// session cache and the ticket keys, stay shared.
/// </remarks>
public abstract class TlsOptions
{
    /// <summary>Which crypto implementation to use.</summary>
    public TlsCryptoProvider CryptoProvider { get; set; } = TlsCryptoProvider.Auto;

    /// <summary>Cipher suites in order of preference.</summary>
    /// <remarks>TLS 1.2 suites are ECDHE with an AEAD only: no RSA key exchange, CBC, RC4 or DHE.</remarks>
    public IList<TlsCipherSuite> CipherSuites { get; set; } = new List<TlsCipherSuite>
    {
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    /// <summary>The lowest protocol version accepted.</summary>
    public TlsVersion MinVersion { get; set; } = TlsVersion.Tls12;

    /// <summary>The highest protocol version offered or accepted.</summary>
    public TlsVersion MaxVersion { get; set; } = TlsVersion.Tls13;

    /// <summary>
    /// TLS 1.2 only: refuse peers without the extended master secret (RFC 7627), which binds the
    /// master secret to the whole handshake. Turning it off re-opens the triple handshake attack.
    /// </summary>
    public bool RequireExtendedMasterSecret { get; set; } = true;

    /// <summary>
    /// Key exchange groups in order of preference. The default starts with the post-quantum hybrid
    /// X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem), as OpenSSL 3.5 does; the ML-KEM groups are
    /// TLS 1.3 only and never negotiated in TLS 1.2. MLKEM768 and MLKEM1024 (ML-KEM alone) and the
    /// NIST-curve hybrids are available but not in the default list.
    /// </summary>
    public IList<TlsNamedGroup> Groups { get; set; } = new List<TlsNamedGroup>
    {
        TlsNamedGroup.X25519MLKEM768,
        TlsNamedGroup.X25519,
        TlsNamedGroup.Secp256r1,
        TlsNamedGroup.Secp384r1,
    };

    /// <summary>ALPN protocol names (RFC 7301), in order of preference. Empty: ALPN is not used.</summary>
    public IList<string> ApplicationProtocols { get; set; } = new List<string>();

    /// <summary>The source of all randomness. Seed it (<see cref="TlsRandom.FromSeed"/>) for reproducible transcripts.</summary>
    public TlsRandom Random { get; set; } = TlsRandom.System;

    /// <summary>The clock used for certificate validity and ticket ages.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Largest handshake message body accepted from the peer, in bytes. The default (131,396) is the
    /// largest ClientHello its length-prefixed fields allow (RFC 8446 §4.1.2), so every legal hello
    /// is accepted; the same bound applies to every other message, a Certificate chain included.
    /// Only bytes actually received are buffered, so memory stays proportional to the input.
    /// </summary>
    public int MaxHandshakeMessageSize { get; set; } = Messages.ClientHello.MaxBodyLength;

    /// <summary>Most certificates accepted in the peer's chain.</summary>
    public int MaxCertificateChainLength { get; set; } = 10;

    /// <summary>Most records without content accepted in a row (they cost work and carry nothing).</summary>
    public int MaxEmptyRecordsInRow { get; set; } = 32;

    /// <summary>Most post-handshake messages (KeyUpdate, NewSessionTicket) accepted between two application data records.</summary>
    public int MaxPostHandshakeMessagesWithoutData { get; set; } = 64;

    /// <summary>Capacity of <see cref="TlsConnection.Inbound"/>.</summary>
    public int InboundCapacity { get; set; } = 64 * 1024;

    /// <summary>Capacity of <see cref="TlsConnection.Outbound"/>; past it, calls return WantWrite.</summary>
    public int OutboundCapacity { get; set; } = 64 * 1024;

    /// <summary>
    /// Send a fake session id and change_cipher_spec so middleboxes see a TLS 1.2 resumption
    /// (RFC 8446 Appendix D.4). On by default, as in every mainstream stack.
    /// </summary>
    public bool MiddleboxCompatibility { get; set; } = true;

    /// <summary>Receives NSS key log lines (SSLKEYLOGFILE format). Secrets: use only for debugging.</summary>
    public Action<string>? KeyLog { get; set; }

    /// <summary>
    /// The largest protected record this side accepts, announced with record_size_limit (RFC 8449):
    /// 64 to 16385. As in TLS 1.3 the value counts the inner content type byte, so 16385 means no
    /// limit and 256 lets the peer send 255 bytes of data per record (TLS 1.2 counts only the data,
    /// capped at 16384). A client sends it in its ClientHello; a server answers any client that
    /// sends one, with this value or the protocol's maximum when it is null, and from then on each
    /// side keeps to the other's limit. A received record over it is record_overflow. Null (the
    /// default): a client does not offer the extension.
    /// </summary>
    public int? RecordSizeLimit { get; set; }

    /// <summary>
    /// Certificate types this side presents, best first (RFC 7250): <see cref="TlsCertificateType.X509"/>
    /// (the default, from the certificate options) and, opt-in, <see cref="TlsCertificateType.RawPublicKey"/>
    /// (from <see cref="RawPublicKey"/>). A server uses the first the client accepts; a client presents,
    /// when asked, the type the server picked from this list.
    /// </summary>
    public IList<TlsCertificateType> CertificateTypes { get; set; } = new List<TlsCertificateType> { TlsCertificateType.X509 };

    /// <summary>
    /// Certificate types accepted from the peer, best first (RFC 7250): X.509 (the default) is validated
    /// against trust anchors; a raw public key must be one of <see cref="PinnedPeerPublicKeys"/>.
    /// A peer that can use none of them is refused with unsupported_certificate.
    /// </summary>
    public IList<TlsCertificateType> PeerCertificateTypes { get; set; } = new List<TlsCertificateType> { TlsCertificateType.X509 };

    /// <summary>The raw public key this side presents when that type is negotiated (<see cref="TlsCertificateCredential.FromPrivateKeyPem"/>).</summary>
    public TlsCertificateCredential? RawPublicKey { get; set; }

    /// <summary>
    /// The peer's acceptable raw public keys, each a SubjectPublicKeyInfo in DER
    /// (<see cref="TlsCertificateCredential.ReadPublicKeyPem"/>): a client's for the server, a server's
    /// for its clients (mutual TLS). Any other raw key is refused with bad_certificate.
    /// </summary>
    public IList<byte[]> PinnedPeerPublicKeys { get; set; } = new List<byte[]>();

    /// <summary>Every scheme the engine verifies, best first (PKCS#1 v1.5 is refused in TLS 1.3 CertificateVerify).</summary>
    internal static List<TlsSignatureScheme> DefaultSignatureSchemes() => new()
    {
        TlsSignatureScheme.EcdsaSecp256r1Sha256,
        TlsSignatureScheme.EcdsaSecp384r1Sha384,
        TlsSignatureScheme.Ed25519,
        TlsSignatureScheme.RsaPssRsaeSha256,
        TlsSignatureScheme.RsaPssRsaeSha384,
        TlsSignatureScheme.RsaPssRsaeSha512,
        TlsSignatureScheme.RsaPkcs1Sha256,
        TlsSignatureScheme.RsaPkcs1Sha384,
        TlsSignatureScheme.RsaPkcs1Sha512,
    };

    /// <summary>
    /// Checked when a connection is created; each failure is an <see cref="ArgumentException"/>
    /// whose ParamName names the option. Lists hold distinct, known values, so none can outgrow its
    /// wire vector; lists that must be sent hold at least one entry.
    /// </summary>
    internal virtual void Validate()
    {
        // RFC 8446 §4.1.2 cipher_suites<2..2^16-2>: at least one.
        OptionRules.DistinctDefined(CipherSuites, nameof(CipherSuites), allowEmpty: false);
        if (MinVersion > MaxVersion || !Enum.IsDefined(typeof(TlsVersion), MinVersion) || !Enum.IsDefined(typeof(TlsVersion), MaxVersion))
        {
            throw new ArgumentException("MinVersion must not exceed MaxVersion, and both must be known versions.", nameof(MinVersion));
        }

        bool anySuite = false;
        foreach (TlsCipherSuite suite in CipherSuites)
        {
            TlsVersion? version = Crypto.CipherSuiteInfo.Find((ushort)suite)?.Version;
            if (version == null)
            {
                throw new ArgumentException($"Cipher suite {suite} is not supported.", nameof(CipherSuites));
            }

            anySuite |= version >= MinVersion && version <= MaxVersion;
        }

        if (!anySuite)
        {
            throw new ArgumentException("No configured cipher suite belongs to an enabled protocol version.", nameof(CipherSuites));
        }

        // RFC 8446 §4.2.7 named_group_list<2..2^16-1>: at least one.
        OptionRules.DistinctDefined(Groups, nameof(Groups), allowEmpty: false);
        if (MaxVersion == TlsVersion.Tls12 && Groups.All(Crypto.KeyExchange.IsKem))
        {
            // TLS 1.2's ServerKeyExchange cannot carry a KEM: such a list could never negotiate.
            throw new ArgumentException("A TLS 1.2-only configuration needs an (EC)DH group; the ML-KEM groups are TLS 1.3 only.", nameof(Groups));
        }

        OptionRules.ApplicationProtocols(ApplicationProtocols, nameof(ApplicationProtocols));
        if (Random == null || TimeProvider == null)
        {
            throw new ArgumentException("Random and TimeProvider must not be null.", Random == null ? nameof(Random) : nameof(TimeProvider));
        }

        // Below these floors no legitimate handshake fits; the limits exist to stop abuse, not traffic.
        if (MaxHandshakeMessageSize < 1024 || InboundCapacity < 1024 || OutboundCapacity < 1024)
        {
            throw new ArgumentException("Size limits must be at least 1024 bytes.",
                MaxHandshakeMessageSize < 1024 ? nameof(MaxHandshakeMessageSize) : InboundCapacity < 1024 ? nameof(InboundCapacity) : nameof(OutboundCapacity));
        }

        // RFC 8449 §4: never below 64, never above TLS 1.3's 2^14 + 1.
        if (RecordSizeLimit is < Handshake.RecordSizeNegotiation.MinLimit or > Handshake.RecordSizeNegotiation.MaxLimitTls13)
        {
            throw new ArgumentException($"{nameof(RecordSizeLimit)} must be 64 to 16385.", nameof(RecordSizeLimit));
        }

        ValidateCertificateTypes();
        if (MaxCertificateChainLength < 1 || MaxEmptyRecordsInRow < 0 || MaxPostHandshakeMessagesWithoutData < 1)
        {
            throw new ArgumentException("Count limits must be positive.",
                MaxCertificateChainLength < 1 ? nameof(MaxCertificateChainLength) : MaxEmptyRecordsInRow < 0 ? nameof(MaxEmptyRecordsInRow) : nameof(MaxPostHandshakeMessagesWithoutData));
        }
    }

    /// <summary>RFC 7250: each offered type has what it needs, a raw key of its own or pinned keys of the peer's.</summary>
    private void ValidateCertificateTypes()
    {
        // RFC 7250 §4.1: CertificateType client_certificate_types<1..2^8-1>, and likewise for the server's.
        OptionRules.DistinctDefined(CertificateTypes, nameof(CertificateTypes), allowEmpty: false);
        OptionRules.DistinctDefined(PeerCertificateTypes, nameof(PeerCertificateTypes), allowEmpty: false);
        if (RawPublicKey != null && !RawPublicKey.IsRawPublicKey)
        {
            throw new ArgumentException($"{nameof(RawPublicKey)} must be a raw public key credential ({nameof(TlsCertificateCredential)}.{nameof(TlsCertificateCredential.FromPrivateKeyPem)}).", nameof(RawPublicKey));
        }

        if (CertificateTypes.Contains(TlsCertificateType.RawPublicKey) && RawPublicKey == null)
        {
            throw new ArgumentException($"Presenting a raw public key needs {nameof(RawPublicKey)}.", nameof(RawPublicKey));
        }

        OptionRules.Present(PinnedPeerPublicKeys, nameof(PinnedPeerPublicKeys));
        if (PeerCertificateTypes.Contains(TlsCertificateType.RawPublicKey) && PinnedPeerPublicKeys.Count == 0)
        {
            throw new ArgumentException($"Accepting the peer's raw public key needs {nameof(PinnedPeerPublicKeys)}.", nameof(PinnedPeerPublicKeys));
        }

        foreach (byte[]? pin in PinnedPeerPublicKeys)
        {
            if (pin == null || Crypto.CryptoProviders.Default.ParsePublicKey(pin) == null)
            {
                throw new ArgumentException($"Each of {nameof(PinnedPeerPublicKeys)} must be a SubjectPublicKeyInfo (DER) of a supported key.", nameof(PinnedPeerPublicKeys));
            }
        }
    }

    /// <summary>True when some scheme in the list may sign a TLS 1.3 CertificateVerify (PKCS#1 v1.5 may not, RFC 8446 §4.4.3).</summary>
    internal static bool AnyTls13Scheme(IList<TlsSignatureScheme> schemes)
    {
        foreach (TlsSignatureScheme scheme in schemes)
        {
            if (!Handshake.SignatureSchemes.IsPkcs1(scheme))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Client settings.</summary>
public sealed partial class TlsClientOptions : TlsOptions
{
    /// <summary>
    /// The server's name, checked when the connection is created. A host name (letters, digits and
    /// hyphens, labels of 1 to 63 characters, at most 253 characters; one trailing dot allowed and
    /// dropped; internationalized names in their A-label form) is sent as SNI and matched against
    /// the certificate's DNS names. An IP literal (dotted-quad IPv4, or IPv6 with or without
    /// brackets) is not sent as SNI (RFC 6066 §3) and is matched against the certificate's IP
    /// addresses. Anything else, including forms like "127.1", is refused. Null sends no SNI and
    /// is allowed only with <see cref="DangerousAcceptAnyServerCertificate"/> or
    /// <see cref="DangerousSkipHostNameCheck"/>.
    /// </summary>
    public string? ServerName { get; set; }

    /// <summary>Roots the server's chain must lead to; null means the machine's roots.</summary>
    public TlsTrustAnchors? TrustAnchors { get; set; }

    /// <summary>The roots a server's chain is validated against: the configured ones, or the machine's.</summary>
    internal IReadOnlyList<Crypto.ICertificate> EffectiveTrustAnchors => (TrustAnchors ?? TlsTrustAnchors.System).Anchors;

    /// <summary>
    /// Skips every check of the server's certificate. The connection is then open to any
    /// active attacker: for tests and diagnostics only.
    /// </summary>
    public bool DangerousAcceptAnyServerCertificate { get; set; }

    /// <summary>
    /// Hand the decision on the server's chain to the host: the handshake pauses with
    /// <see cref="TlsStatus.WantCertificateValidation"/>, the built-in verdict available in
    /// <see cref="TlsConnection.PendingCertificateVerdict"/>. That verdict includes the name check,
    /// so a <see cref="ServerName"/> is required here too (or <see cref="DangerousSkipHostNameCheck"/>).
    /// </summary>
    public bool DelegateCertificateValidation { get; set; }

    /// <summary>
    /// Groups the first ClientHello carries a key share for; the server may ask for another via
    /// HelloRetryRequest. Empty: no share, so the server always asks (costs a round trip). The
    /// default sends X25519MLKEM768 and X25519 (1,216 + 32 bytes), like OpenSSL 3.5, so both a
    /// post-quantum server and a classical one answer without a round trip.
    /// </summary>
    public IList<TlsNamedGroup> KeyShareGroups { get; set; } = new List<TlsNamedGroup> { TlsNamedGroup.X25519MLKEM768, TlsNamedGroup.X25519 };

    /// <summary>Keeps tickets from servers and offers them on later connections (TLS 1.3 resumption). Null: no resumption.</summary>
    public TlsSessionCache? SessionCache { get; set; }

    /// <summary>
    /// 0-RTT data (RFC 8446 §2.3) sent with the ClientHello when a resumable ticket allows it.
    /// It can be replayed by an attacker: send only idempotent requests. Whether the server took
    /// it is in <see cref="TlsConnection.EarlyDataStatus"/>; rejected data is not resent.
    /// </summary>
    public byte[]? EarlyData { get; set; }

    /// <summary>The chain and key presented when the server asks for a client certificate (mutual TLS).</summary>
    public TlsCertificateCredential? ClientCertificate { get; set; }

    /// <summary>Signature schemes accepted from the server, in order of preference.</summary>
    public IList<TlsSignatureScheme> SignatureSchemes { get; set; } = TlsOptions.DefaultSignatureSchemes();

    /// <summary>
    /// Skips only the comparison of the server's certificate with <see cref="ServerName"/>: the
    /// chain is still verified up to <see cref="TrustAnchors"/>, so any certificate those roots
    /// issued, for any name, is accepted. Anyone who holds such a certificate can impersonate the
    /// server. Without this flag a client that verifies certificates must be given a
    /// <see cref="ServerName"/>; set it only when the roots themselves are the identity (a private
    /// CA that issues to this one server) or the host checks the name itself.
    /// </summary>
    public bool DangerousSkipHostNameCheck { get; set; }

    /// <summary>
    /// Ask the server for smaller records with max_fragment_length (RFC 6066 §4): 512, 1024, 2048 or
    /// 4096 bytes, in both directions, if the server echoes it. Sent beside <see cref="TlsOptions.RecordSizeLimit"/>
    /// when both are set; a server that understands record_size_limit then ignores it (RFC 8449 §5).
    /// Null (the default): not sent.
    /// </summary>
    public int? MaxFragmentLength { get; set; }

    internal override void Validate()
    {
        base.Validate();
        if (MaxFragmentLength != null && Handshake.RecordSizeNegotiation.FragmentLengthCode(MaxFragmentLength.Value) == 0)
        {
            throw new ArgumentException($"{nameof(MaxFragmentLength)} must be 512, 1024, 2048 or 4096.", nameof(MaxFragmentLength));
        }

        // RFC 8446 §4.2.3 supported_signature_algorithms<2..2^16-2>: at least one.
        OptionRules.DistinctDefined(SignatureSchemes, nameof(SignatureSchemes), allowEmpty: false);
        // A client that offers TLS 1.3 must be able to finish it: a TLS 1.3 server would otherwise pick 1.3 and fail,
        // or pick 1.2 with the downgrade sentinel, which this client must then refuse (RFC 8446 §4.1.3).
        if (MaxVersion == TlsVersion.Tls13 && !AnyTls13Scheme(SignatureSchemes))
        {
            throw new ArgumentException("A client offering TLS 1.3 needs a signature scheme other than PKCS#1 v1.5; set MaxVersion to Tls12 for a TLS 1.2-only client.", nameof(SignatureSchemes));
        }

        if (MaxVersion == TlsVersion.Tls13 && !CipherSuites.Any(suite => Crypto.CipherSuiteInfo.Find((ushort)suite)?.Version == TlsVersion.Tls13))
        {
            throw new ArgumentException("A client offering TLS 1.3 needs a TLS 1.3 cipher suite; set MaxVersion to Tls12 for a TLS 1.2-only client.", nameof(CipherSuites));
        }

        // An empty KeyShareGroups is legal: the server then asks for a share with HelloRetryRequest.
        OptionRules.DistinctDefined(KeyShareGroups, nameof(KeyShareGroups), allowEmpty: true);
        foreach (TlsNamedGroup group in KeyShareGroups)
        {
            if (!Groups.Contains(group))
            {
                throw new ArgumentException("Every key share group must also be in Groups.", nameof(KeyShareGroups));
            }
        }

        int alpn = OptionRules.ApplicationProtocols(ApplicationProtocols, nameof(ApplicationProtocols));
        if (alpn + 6 > Handshake.Client.ClientHelloFlight.MaxAlpnExtensionLength)
        {
            // The ClientHello's extension block is itself limited to 2^16-1 bytes and must keep room for a ticket and a cookie.
            throw new ArgumentException($"{nameof(ApplicationProtocols)} encodes in {alpn} bytes; a ClientHello has room for {Handshake.Client.ClientHelloFlight.MaxAlpnExtensionLength - 6}.", nameof(ApplicationProtocols));
        }

        if (EarlyData != null && EarlyData.Length > OutboundCapacity)
        {
            // The early data is queued in Outbound in one piece with the ClientHello.
            throw new ArgumentException($"{nameof(EarlyData)} must fit {nameof(OutboundCapacity)} ({OutboundCapacity} bytes).", nameof(EarlyData));
        }

        ValidatePskAndPins(alpn);
        if (ServerName != null)
        {
            X509.ServerIdentity.Create(ServerName, DangerousSkipHostNameCheck, nameof(ServerName));
        }
        else if (!DangerousAcceptAnyServerCertificate && !DangerousSkipHostNameCheck && ExternalPsks.Count == 0 && PeerCertificateTypes.Contains(TlsCertificateType.X509))
        {
            // A verified chain proves only that the roots vouch for someone: without a name to compare,
            // any certificate they issued would do. Delegated validation offers the built-in verdict,
            // which includes the name check, so it needs the name too.
            throw new ArgumentException(
                $"A client that verifies the server's certificate needs a {nameof(ServerName)} (or an explicit {nameof(DangerousSkipHostNameCheck)}).",
                nameof(ServerName));
        }
    }

    /// <summary>The SNI to send and the name to verify, as <see cref="Validate"/> accepted them.</summary>
    internal X509.ServerIdentity CreateServerIdentity() =>
        X509.ServerIdentity.Create(ServerName, DangerousSkipHostNameCheck, nameof(ServerName));
}

/// <summary>Server settings.</summary>
public sealed partial class TlsServerOptions : TlsOptions
{
    /// <summary>The certificate chain and key presented to clients.</summary>
    public TlsCertificateCredential? Certificate { get; set; }

    /// <summary>
    /// Picks the credential for the SNI name the client sent (null when it sent none); returning
    /// null falls back to <see cref="Certificate"/>.
    /// </summary>
    public Func<string?, TlsCertificateCredential?>? CertificateSelector { get; set; }

    /// <summary>
    /// Picks the ALPN protocol from the client's list (in the client's order). Returning null
    /// proceeds without ALPN. When unset, the first of <see cref="TlsOptions.ApplicationProtocols"/> the client offers wins.
    /// </summary>
    public Func<IReadOnlyList<string>, string?>? ApplicationProtocolSelector { get; set; }

    /// <summary>
    /// Sign handshakes outside the engine (HSM, remote signer): the handshake pauses with
    /// <see cref="TlsStatus.WantPrivateKeyOperation"/>. The credential may then hold no key
    /// (<see cref="TlsCertificateCredential.FromPemChain"/>).
    /// </summary>
    public bool DelegatePrivateKeyOperations { get; set; }

    /// <summary>Ticket keys for TLS 1.3 resumption; share one instance across the server's connections. Null: no tickets.</summary>
    public TlsSessionTicketKeys? SessionTicketKeys { get; set; }

    /// <summary>How long issued tickets may be used (at most seven days).</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Tickets sent after each full or resumed handshake.</summary>
    public int TicketsPerConnection { get; set; } = 1;

    /// <summary>Accept psk_ke resumption, which skips the fresh key exchange and so forward secrecy. Off by default.</summary>
    public bool AllowResumptionWithoutKeyExchange { get; set; }

    /// <summary>
    /// TLS 1.3: when the client supports an ML-KEM group (pure or hybrid) that <see cref="TlsOptions.Groups"/>
    /// ranks above every group the client sent a share for, ask for it with HelloRetryRequest instead of
    /// settling for the classical share (one more round trip, post-quantum protection), as OpenSSL 3.5
    /// does. Among classical groups a share already sent always wins. Default true.
    /// </summary>
    public bool RetryForPostQuantumGroup { get; set; } = true;

    /// <summary>
    /// Bytes of 0-RTT data accepted per resumed connection; 0 refuses early data. Each ticket's
    /// early data is accepted once (the strike register in <see cref="SessionTicketKeys"/>).
    /// </summary>
    public uint MaxEarlyDataSize { get; set; }

    /// <summary>Whether to ask clients for a certificate (mutual TLS).</summary>
    public TlsClientCertificateMode ClientCertificateMode { get; set; } = TlsClientCertificateMode.None;

    /// <summary>Roots client chains must lead to; null means the machine's roots.</summary>
    public TlsTrustAnchors? ClientCertificateTrustAnchors { get; set; }

    /// <summary>The roots a client's chain is validated against: the configured ones, or the machine's.</summary>
    internal IReadOnlyList<Crypto.ICertificate> EffectiveClientCertificateTrustAnchors => (ClientCertificateTrustAnchors ?? TlsTrustAnchors.System).Anchors;

    /// <summary>Signature schemes accepted in the client's CertificateVerify.</summary>
    public IList<TlsSignatureScheme> ClientSignatureSchemes { get; set; } = TlsOptions.DefaultSignatureSchemes();

    internal override void Validate()
    {
        base.Validate();
        ValidatePskAndPins();
        if (Certificate == null && CertificateSelector == null && !AcceptsExternalPsks && CertificateTypes.Contains(TlsCertificateType.X509))
        {
            throw new ArgumentException("A server needs a certificate credential, a certificate selector, external PSKs or only raw public keys in CertificateTypes.", nameof(Certificate));
        }

        // RFC 8446 §4.6.1: ticket_lifetime must not exceed seven days.
        if (TicketLifetime <= TimeSpan.Zero || TicketLifetime > TimeSpan.FromDays(7))
        {
            throw new ArgumentException("Ticket lifetime must be positive and at most seven days.", nameof(TicketLifetime));
        }

        if (TicketsPerConnection < 0 || TicketsPerConnection > 16)
        {
            throw new ArgumentException("At most 16 tickets per connection.", nameof(TicketsPerConnection));
        }

        if (MaxEarlyDataSize > 0 && SessionTicketKeys == null)
        {
            // 0-RTT rides on a ticket and its strike register: without ticket keys there is neither.
            throw new ArgumentException($"{nameof(MaxEarlyDataSize)} needs {nameof(SessionTicketKeys)}.", nameof(MaxEarlyDataSize));
        }

        OptionRules.DistinctDefined(ClientSignatureSchemes, nameof(ClientSignatureSchemes), allowEmpty: ClientCertificateMode == TlsClientCertificateMode.None);
        if (ClientCertificateMode != TlsClientCertificateMode.None && MaxVersion == TlsVersion.Tls13 && !AnyTls13Scheme(ClientSignatureSchemes))
        {
            // The TLS 1.3 CertificateRequest's signature_algorithms<2..2^16-2> leaves PKCS#1 out and cannot be empty.
            throw new ArgumentException("Asking TLS 1.3 clients for a certificate needs a signature scheme other than PKCS#1 v1.5.", nameof(ClientSignatureSchemes));
        }

        if (!Enum.IsDefined(typeof(TlsClientCertificateMode), ClientCertificateMode))
        {
            throw new ArgumentException("Unknown client certificate mode.", nameof(ClientCertificateMode));
        }
    }
}
