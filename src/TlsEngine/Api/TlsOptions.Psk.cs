using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsEngine;

/// <summary>Client settings: external PSKs and certificate pins.</summary>
public sealed partial class TlsClientOptions
{
    /// <summary>
    /// TLS 1.3 external PSKs offered to the server, in order of preference (RFC 8446 §2.2). A
    /// handshake the server accepts with one of them is authenticated by the key: no certificate is
    /// sent or checked, and <see cref="TlsConnection.PskIdentity"/> names the key used. A server that
    /// takes none of them answers with its certificate, which is verified as usual; without a
    /// <see cref="ServerName"/> (allowed only when PSKs are configured) such an answer is refused
    /// with <see cref="TlsFailureReason.NoAcceptablePsk"/>. Each key's hash must be that of a
    /// configured TLS 1.3 cipher suite, and MaxVersion must be TLS 1.3. No 0-RTT data is sent
    /// under an external PSK.
    /// </summary>
    public IList<TlsExternalPsk> ExternalPsks { get; set; } = new List<TlsExternalPsk>();

    /// <summary>
    /// The psk_key_exchange_modes offered (RFC 8446 §4.2.9), for external PSKs and resumption
    /// alike. The default asks for a fresh key exchange with every PSK (forward secrecy).
    /// </summary>
    public TlsPskKeyExchangeModes PskKeyExchangeModes { get; set; } = TlsPskKeyExchangeModes.WithKeyExchange;

    /// <summary>
    /// SHA-256 pins of SubjectPublicKeyInfo, each "sha256/" and the base64 of the 32-byte digest
    /// (the HPKP and OkHttp form). When set, the server's chain must first validate as usual, and
    /// then some certificate of the verified chain (the leaf, an intermediate or the trust anchor)
    /// must carry a pinned key, or the handshake fails with
    /// <see cref="TlsFailureReason.CertificatePinMismatch"/>. Empty: no pinning. Not allowed with
    /// <see cref="DangerousAcceptAnyServerCertificate"/>, which verifies no chain to pin against.
    /// With <see cref="DelegateCertificateValidation"/> a mismatch is part of the built-in verdict
    /// the host is shown, and the host's decision is final: a host that overrides a failed verdict
    /// overrides the pin too.
    /// </summary>
    public IList<string> CertificatePins { get; set; } = new List<string>();

    private void ValidatePskAndPins(int alpnLength)
    {
        int offered = OptionRules.ExternalPsks(ExternalPsks, this, nameof(ExternalPsks));
        OptionRules.PskModes(PskKeyExchangeModes, nameof(PskKeyExchangeModes));
        // The identities share the ClientHello's extension block with ALPN, within the room kept beside a ticket and a cookie.
        if (offered > 0 && alpnLength + 6 + offered + 8 > Handshake.Client.ClientHelloFlight.MaxAlpnExtensionLength)
        {
            throw new ArgumentException($"{nameof(ExternalPsks)} and {nameof(ApplicationProtocols)} together need {offered + alpnLength} bytes; a ClientHello has room for {Handshake.Client.ClientHelloFlight.MaxAlpnExtensionLength - 14}.", nameof(ExternalPsks));
        }

        OptionRules.Pins(CertificatePins, nameof(CertificatePins));
        if (CertificatePins.Count > 0 && DangerousAcceptAnyServerCertificate)
        {
            throw new ArgumentException($"{nameof(CertificatePins)} need a verified chain; {nameof(DangerousAcceptAnyServerCertificate)} verifies none.", nameof(CertificatePins));
        }
    }
}

/// <summary>Server settings: external PSKs and client certificate pins.</summary>
public sealed partial class TlsServerOptions
{
    /// <summary>
    /// TLS 1.3 external PSKs this server accepts (RFC 8446 §2.2), found by identity. A client that
    /// offers one with a valid binder is authenticated by the key: the server sends no certificate
    /// and asks for none. With PSKs (or <see cref="ExternalPskLookup"/>) a server needs no
    /// certificate; it then refuses clients that offer no acceptable PSK with handshake_failure.
    /// </summary>
    public IList<TlsExternalPsk> ExternalPsks { get; set; } = new List<TlsExternalPsk>();

    /// <summary>
    /// Finds the PSK for an identity a client offers (a copy of the identity bytes), or returns
    /// null for an unknown one; consulted for identities not in <see cref="ExternalPsks"/>. The
    /// returned key's hash decides which cipher suites may be used with it. Identities that open as
    /// this server's session tickets are never passed to it.
    /// </summary>
    public Func<byte[], TlsExternalPsk?>? ExternalPskLookup { get; set; }

    /// <summary>
    /// The key exchange modes accepted with external PSKs (RFC 8446 §4.2.9), within those the client
    /// offers; psk_dhe_ke wins when both sides allow it. Resumption has its own switch,
    /// <see cref="AllowResumptionWithoutKeyExchange"/>.
    /// </summary>
    public TlsPskKeyExchangeModes PskKeyExchangeModes { get; set; } = TlsPskKeyExchangeModes.WithKeyExchange;

    /// <summary>
    /// SHA-256 pins of SubjectPublicKeyInfo ("sha256/BASE64") for client certificates: a client chain
    /// that validates must also have a pinned key somewhere in its verified chain, or the handshake
    /// fails with <see cref="TlsFailureReason.CertificatePinMismatch"/>. Empty: no pinning.
    /// </summary>
    public IList<string> ClientCertificatePins { get; set; } = new List<string>();

    internal bool AcceptsExternalPsks => ExternalPsks is { Count: > 0 } || ExternalPskLookup != null;

    private void ValidatePskAndPins()
    {
        OptionRules.ExternalPsks(ExternalPsks, this, nameof(ExternalPsks));
        OptionRules.PskModes(PskKeyExchangeModes, nameof(PskKeyExchangeModes));
        if (ExternalPskLookup != null && MaxVersion < TlsVersion.Tls13)
        {
            throw new ArgumentException("External PSKs are TLS 1.3 only: MaxVersion must be Tls13.", nameof(ExternalPskLookup));
        }

        OptionRules.Pins(ClientCertificatePins, nameof(ClientCertificatePins));
    }
}
