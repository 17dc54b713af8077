using System;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>Codecs for the short extensions: flags, one-byte lists and TLS 1.2's additions.</summary>
internal static partial class ExtensionCodecs
{
    /// <summary>
    /// Extensions whose extension_data is empty by definition (extended_master_secret RFC 7627 §5.1,
    /// early_data in ClientHello and EncryptedExtensions RFC 8446 §4.2.10, the server's server_name
    /// and session_ticket acknowledgements RFC 6066 §3, RFC 5077 §3.2).
    /// </summary>
    public static bool IsEmpty(ReadOnlySpan<byte> data) => data.Length == 0;

    /// <summary>
    /// ec_point_formats (RFC 8422 §5.1.2): ECPointFormat ec_point_format_list&lt;1..2^8-1&gt;.
    /// <paramref name="uncompressed"/> tells whether the peer accepts uncompressed points (format 0).
    /// </summary>
    public static bool TryDecodeEcPointFormats(ReadOnlySpan<byte> data, out bool uncompressed)
    {
        uncompressed = false;
        var reader = new TlsReader(data);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> formats) || formats.Length == 0 || !reader.IsEmpty)
        {
            return false;
        }

        uncompressed = formats.IndexOf((byte)0) >= 0;
        return true;
    }

    /// <summary>The ec_point_formats this engine sends: uncompressed only.</summary>
    public static byte[] EncodeEcPointFormats() => new byte[] { 1, 0 };

    /// <summary>
    /// renegotiation_info (RFC 5746 §3.2): opaque renegotiated_connection&lt;0..255&gt;. On an initial
    /// handshake it must be empty; that is the caller's check, the length is returned for it.
    /// </summary>
    public static bool TryDecodeRenegotiationInfo(ReadOnlySpan<byte> data, out int renegotiatedConnectionLength)
    {
        renegotiatedConnectionLength = 0;
        var reader = new TlsReader(data);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> connection) || !reader.IsEmpty)
        {
            return false;
        }

        renegotiatedConnectionLength = connection.Length;
        return true;
    }

    /// <summary>The renegotiation_info of an initial handshake: an empty renegotiated_connection.</summary>
    public static byte[] EncodeInitialRenegotiationInfo() => new byte[] { 0 };

    /// <summary>
    /// psk_key_exchange_modes (RFC 8446 §4.2.9): PskKeyExchangeMode ke_modes&lt;1..255&gt;; psk_ke is 0,
    /// psk_dhe_ke is 1, other values are ignored.
    /// </summary>
    public static bool TryDecodePskModes(ReadOnlySpan<byte> data, out bool pskOnly, out bool pskWithKeyExchange)
    {
        pskOnly = false;
        pskWithKeyExchange = false;
        var reader = new TlsReader(data);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> modes) || modes.Length == 0 || !reader.IsEmpty)
        {
            return false;
        }

        pskOnly = modes.IndexOf((byte)0) >= 0;
        pskWithKeyExchange = modes.IndexOf((byte)1) >= 0;
        return true;
    }

    /// <summary>
    /// A list of DistinguishedName&lt;1..2^16-1&gt; in a vector of at least <paramref name="minimumLength"/>
    /// bytes: certificate_authorities&lt;3..2^16-1&gt; in TLS 1.3 (RFC 8446 §4.2.4), &lt;0..2^16-1&gt; in a
    /// TLS 1.2 CertificateRequest (RFC 5246 §7.4.4). The names themselves are not interpreted.
    /// </summary>
    public static bool IsValidAuthorities(ReadOnlySpan<byte> data, int minimumLength)
    {
        var reader = new TlsReader(data);
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> list) || list.Length < minimumLength || !reader.IsEmpty)
        {
            return false;
        }

        var inner = new TlsReader(list);
        while (!inner.IsEmpty)
        {
            if (!inner.TryReadVector16(out ReadOnlySpan<byte> name) || name.Length == 0)
            {
                return false;
            }
        }

        return true;
    }
}
