using System.Collections.Generic;

namespace TlsEngine.Handshake;

/// <summary>
/// DTLS version numbers on the wire (RFC 9147 §5.3, RFC 6347 §4.1) against the TLS versions the
/// handshake reasons with: DTLS 1.3 is negotiated as TLS 1.3 and DTLS 1.2 as TLS 1.2.
/// </summary>
internal static class DatagramVersions
{
    public const ushort Dtls13 = 0xFEFC;

    public const ushort Dtls12 = 0xFEFD;

    /// <summary>The number <paramref name="version"/> has on this connection's wire.</summary>
    public static ushort Wire(TlsVersion version, bool datagram) => !datagram ? (ushort)version : version == TlsVersion.Tls13 ? Dtls13 : Dtls12;

    /// <summary>legacy_version in the hellos: 0x0303 in TLS 1.3 and 1.2 (RFC 8446 §4.1.2), 0xFEFD in DTLS (RFC 9147 §5.3).</summary>
    public static ushort LegacyVersion(bool datagram) => datagram ? Dtls12 : (ushort)TlsVersion.Tls12;

    /// <summary>The TLS version a DTLS version number stands for; null for anything else (TLS numbers included).</summary>
    public static TlsVersion? FromDatagram(ushort wire) => wire switch
    {
        Dtls13 => TlsVersion.Tls13,
        Dtls12 => TlsVersion.Tls12,
        _ => null,
    };

    /// <summary>A DTLS client's supported_versions read as TLS versions; TLS numbers in it are no DTLS version and drop out.</summary>
    public static List<ushort> FromDatagramList(List<ushort> wire)
    {
        var versions = new List<ushort>(wire.Count);
        foreach (ushort number in wire)
        {
            if (FromDatagram(number) is TlsVersion version)
            {
                versions.Add((ushort)version);
            }
        }

        return versions;
    }
}
