using System.Collections.Generic;

namespace TlsEngine;

/// <summary>What the handshake agreed, as <see cref="TlsConnection"/> reports it.</summary>
public sealed partial class DtlsConnection
{
    /// <summary>The ALPN protocol agreed, or null.</summary>
    public string? ApplicationProtocol => _context.ApplicationProtocol;

    /// <summary>The SNI name: the one the client sent (server) or was configured with (client).</summary>
    public string? ServerName => _context.ServerName;

    /// <summary>The identity of the external PSK that authenticated the handshake (a copy), or null.</summary>
    public byte[]? PskIdentity => (byte[]?)_context.ExternalPskIdentity?.Clone();

    /// <summary>The signature scheme the peer used in CertificateVerify (or ServerKeyExchange in DTLS 1.2).</summary>
    public TlsSignatureScheme? PeerSignatureScheme => _context.PeerSignatureScheme;

    /// <summary>The peer's certificate chain (DER, leaf first); empty when none was presented.</summary>
    public IReadOnlyList<byte[]> PeerCertificates => _context.PeerCertificates;
}
