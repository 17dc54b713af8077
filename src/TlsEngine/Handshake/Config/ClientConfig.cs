using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.X509;

namespace TlsEngine.Handshake;

/// <summary>The client's part of the snapshot.</summary>
internal sealed record ClientConfig : HandshakeConfig
{
    /// <summary>The configured server name (sent as SNI unless it is an IP literal), or null.</summary>
    public string? ServerName { get; init; }

    /// <summary>The SNI to send and the name to verify.</summary>
    public ServerIdentity? ServerIdentity { get; init; }

    /// <summary>The configured roots; null means the machine's.</summary>
    public IReadOnlyList<ICertificate>? ConfiguredTrustAnchors { get; init; }

    /// <summary>The roots the server's chain is validated against.</summary>
    public IReadOnlyList<ICertificate> TrustAnchors => ConfiguredTrustAnchors ?? MachineTrustAnchors();

    public bool DangerousAcceptAnyServerCertificate { get; init; }

    public bool DelegateCertificateValidation { get; init; }

    /// <summary>How the server's certificate is checked: a session is offered again only under the same checks.</summary>
    public VerificationScope? VerificationScope { get; init; }

    /// <summary>Groups the first ClientHello carries a key share for.</summary>
    public IReadOnlyList<TlsNamedGroup> KeyShareGroups { get; init; } = Array.Empty<TlsNamedGroup>();

    public ISessionStore? SessionCache { get; init; }

    /// <summary>0-RTT data, a private copy.</summary>
    public byte[]? EarlyData { get; init; }

    public LocalCredential? ClientCertificate { get; init; }

    /// <summary>Signature schemes accepted from the server, in order of preference.</summary>
    public IReadOnlyList<TlsSignatureScheme> SignatureSchemes { get; init; } = Array.Empty<TlsSignatureScheme>();

    /// <summary>External PSKs offered, in order of preference (RFC 8446 §2.2).</summary>
    public IReadOnlyList<ExternalPsk> ExternalPsks { get; init; } = Array.Empty<ExternalPsk>();

    /// <summary>psk_key_exchange_modes sent with every PSK offer (RFC 8446 §4.2.9).</summary>
    public TlsPskKeyExchangeModes PskModes { get; init; } = TlsPskKeyExchangeModes.WithKeyExchange;

    /// <summary>No name to verify a certificate against: only a PSK can authenticate the server.</summary>
    public bool RequirePskAuthentication { get; init; }

    /// <summary>SHA-256 digests of pinned SubjectPublicKeyInfos; empty: no pinning.</summary>
    public IReadOnlyList<byte[]> CertificatePins { get; init; } = Array.Empty<byte[]>();
    /// <summary>The max_fragment_length asked for (RFC 6066 §4), in bytes; null: not sent.</summary>
    public int? MaxFragmentLength { get; init; }
}
