using System;
using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

/// <summary>
/// What the handshake reads from the host's settings, copied when the connection is created: a
/// host that changes its options object afterwards changes later connections, never a running one.
/// Lists are private copies; shared objects (ticket keys, session cache, credentials) are referenced.
/// </summary>
internal abstract record HandshakeConfig
{
    /// <summary>Cipher suites in order of preference.</summary>
    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } = Array.Empty<TlsCipherSuite>();

    public TlsVersion MinVersion { get; init; }

    public TlsVersion MaxVersion { get; init; }

    /// <summary>TLS 1.2: refuse peers without the extended master secret (RFC 7627).</summary>
    public bool RequireExtendedMasterSecret { get; init; }

    /// <summary>Key exchange groups in order of preference.</summary>
    public IReadOnlyList<TlsNamedGroup> Groups { get; init; } = Array.Empty<TlsNamedGroup>();

    /// <summary>ALPN names in order of preference; empty when ALPN is not used.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = Array.Empty<string>();

    public TlsRandom Random { get; init; } = TlsRandom.System;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public int MaxHandshakeMessageSize { get; init; }

    public int MaxCertificateChainLength { get; init; }

    public int MaxEmptyRecordsInRow { get; init; }

    public int MaxPostHandshakeMessagesWithoutData { get; init; }

    /// <summary>
    /// DTLS (RFC 9147, RFC 6347): the hellos carry the cookie field and the DTLS version numbers, the
    /// key schedule uses "dtls13" labels, and there is no middlebox compatibility mode and no 0-RTT.
    /// <see cref="MinVersion"/> and <see cref="MaxVersion"/> then mean DTLS 1.2 (as TLS 1.2) and DTLS 1.3 (as TLS 1.3).
    /// </summary>
    public bool Datagram { get; init; }

    /// <summary>
    /// Datagrams only: the connection id this side asks the peer to put on the records it sends
    /// (RFC 9146 §3, RFC 9147 §9); empty to send the peer's without asking for one; null to not use them.
    /// </summary>
    public byte[]? ConnectionId { get; init; }

    /// <summary>RFC 8446 Appendix D.4 compatibility mode.</summary>
    public bool MiddleboxCompatibility { get; init; }

    /// <summary>Receives NSS key log lines.</summary>
    public Action<string>? KeyLog { get; init; }

    /// <summary>The record_size_limit this side announces (RFC 8449); null: a client does not offer it.</summary>
    public int? RecordSizeLimit { get; init; }

    /// <summary>Certificate types this side presents, best first (RFC 7250).</summary>
    public IReadOnlyList<TlsCertificateType> CertificateTypes { get; init; } = new[] { TlsCertificateType.X509 };

    /// <summary>Certificate types accepted from the peer, best first (RFC 7250).</summary>
    public IReadOnlyList<TlsCertificateType> PeerCertificateTypes { get; init; } = new[] { TlsCertificateType.X509 };

    /// <summary>The raw public key this side presents when that type is negotiated.</summary>
    public LocalCredential? RawPublicKey { get; init; }

    /// <summary>The peer's acceptable raw public keys (SubjectPublicKeyInfo DER), private copies.</summary>
    public IReadOnlyList<byte[]> PinnedPeerPublicKeys { get; init; } = Array.Empty<byte[]>();

    /// <summary>The machine's roots, loaded only when a chain is checked against them.</summary>
    public Func<IReadOnlyList<ICertificate>> MachineTrustAnchors { get; init; } = () => Array.Empty<ICertificate>();
}
