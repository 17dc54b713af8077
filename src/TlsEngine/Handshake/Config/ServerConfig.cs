using System;
using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

/// <summary>The server's part of the snapshot.</summary>
internal sealed record ServerConfig : HandshakeConfig
{
    public LocalCredential? Certificate { get; init; }

    /// <summary>Picks the credential for the client's SNI name; null falls back to <see cref="Certificate"/>.</summary>
    public Func<string?, LocalCredential?>? CertificateSelector { get; init; }

    /// <summary>Picks the ALPN protocol from the client's list.</summary>
    public Func<IReadOnlyList<string>, string?>? ApplicationProtocolSelector { get; init; }

    public bool DelegatePrivateKeyOperations { get; init; }

    /// <summary>Ticket keys shared with the server's other connections; null: no tickets.</summary>
    public TicketKeyRing? TicketKeys { get; init; }

    public TimeSpan TicketLifetime { get; init; }

    public int TicketsPerConnection { get; init; }

    public bool AllowResumptionWithoutKeyExchange { get; init; }

    public uint MaxEarlyDataSize { get; init; }

    public TlsClientCertificateMode ClientCertificateMode { get; init; }

    /// <summary>The configured roots for client chains; null means the machine's (and no authorities hint is sent).</summary>
    public IReadOnlyList<ICertificate>? ConfiguredClientTrustAnchors { get; init; }

    /// <summary>The roots a client's chain is validated against.</summary>
    public IReadOnlyList<ICertificate> ClientTrustAnchors => ConfiguredClientTrustAnchors ?? MachineTrustAnchors();

    /// <summary>Ask with HelloRetryRequest for a preferred ML-KEM group the client supports but sent no share for.</summary>
    public bool RetryForPostQuantumGroup { get; init; }

    /// <summary>
    /// DTLS: answer a ClientHello without a valid cookie with a stateless HelloRetryRequest (DTLS 1.3,
    /// RFC 9147 §5.1) or HelloVerifyRequest (DTLS 1.2, RFC 6347 §4.2.1) before doing any work for it.
    /// </summary>
    public bool ValidatePeerAddress { get; init; } = true;

    /// <summary>DTLS: the HMAC key of the stateless cookies, shared by the server's connections; null: a random one per connection.</summary>
    public byte[]? CookieKey { get; init; }

    /// <summary>DTLS: how long a cookie is accepted after it was issued.</summary>
    public TimeSpan CookieLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Signature schemes accepted in the client's CertificateVerify.</summary>
    public IReadOnlyList<TlsSignatureScheme> ClientSignatureSchemes { get; init; } = Array.Empty<TlsSignatureScheme>();

    /// <summary>External PSKs accepted, found by identity (RFC 8446 §2.2).</summary>
    public IReadOnlyList<ExternalPsk> ExternalPsks { get; init; } = Array.Empty<ExternalPsk>();

    /// <summary>The host's lookup for identities not in <see cref="ExternalPsks"/>; null when there is none.</summary>
    public Func<byte[], ExternalPsk?>? ExternalPskLookup { get; init; }

    /// <summary>Key exchange modes accepted with external PSKs (RFC 8446 §4.2.9).</summary>
    public TlsPskKeyExchangeModes ExternalPskModes { get; init; } = TlsPskKeyExchangeModes.WithKeyExchange;

    public bool AcceptsExternalPsks => ExternalPsks.Count > 0 || ExternalPskLookup != null;

    /// <summary>SHA-256 digests of pinned SubjectPublicKeyInfos for client chains; empty: no pinning.</summary>
    public IReadOnlyList<byte[]> ClientCertificatePins { get; init; } = Array.Empty<byte[]>();
}
