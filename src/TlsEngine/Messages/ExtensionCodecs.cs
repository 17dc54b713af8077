using System;
using System.Collections.Generic;
using System.Text;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

internal readonly struct KeyShareEntry
{
    public KeyShareEntry(ushort group, byte[] keyExchange)
    {
        Group = group;
        KeyExchange = keyExchange;
    }

    public ushort Group { get; }

    public byte[] KeyExchange { get; }
}

/// <summary>
/// Payload codecs for the extensions the engine understands. Each decoder enforces its vector's
/// RFC bounds and rejects trailing bytes, so a false return is always a decode_error.
/// </summary>
internal static partial class ExtensionCodecs
{
    // server_name (RFC 6066 §3): a list holding one host_name.
    public static byte[] EncodeServerName(string hostName)
    {
        var writer = new TlsWriter(64);
        using (writer.PushLength(2))
        {
            writer.WriteU8(0);
            writer.WriteVector16(Encoding.ASCII.GetBytes(hostName));
        }

        return writer.ToArray();
    }

    public static bool TryDecodeServerName(ReadOnlySpan<byte> data, out string? hostName)
    {
        hostName = null;
        var reader = new TlsReader(data);
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> list) || !reader.IsEmpty || list.Length == 0)
        {
            return false;
        }

        var inner = new TlsReader(list);
        while (!inner.IsEmpty)
        {
            if (!inner.TryReadU8(out byte type) || !inner.TryReadVector16(out ReadOnlySpan<byte> name))
            {
                return false;
            }

            if (type == 0)
            {
                // RFC 6066 §3: HostName<1..2^16-1>, at most one name of each type; and a DNS name is at most
                // 255 octets (RFC 1035 §2.3.4), so a longer host_name is no host name.
                if (name.Length == 0 || name.Length > 255 || hostName != null)
                {
                    return false;
                }

                foreach (byte b in name)
                {
                    if (b < 0x21 || b > 0x7E)
                    {
                        return false;
                    }
                }

                hostName = Encoding.ASCII.GetString(name.ToArray());
            }
        }

        return true;
    }

    // application_layer_protocol_negotiation (RFC 7301 §3.1).
    public static byte[] EncodeAlpn(IEnumerable<string> protocols)
    {
        var writer = new TlsWriter(64);
        using (writer.PushLength(2))
        {
            foreach (string protocol in protocols)
            {
                writer.WriteVector8(Encoding.UTF8.GetBytes(protocol));
            }
        }

        return writer.ToArray();
    }

    public static bool TryDecodeAlpn(ReadOnlySpan<byte> data, out List<string> protocols)
    {
        protocols = new List<string>();
        var reader = new TlsReader(data);
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> list) || !reader.IsEmpty || list.Length == 0)
        {
            return false;
        }

        var inner = new TlsReader(list);
        while (!inner.IsEmpty)
        {
            if (!inner.TryReadVector8(out ReadOnlySpan<byte> name) || name.Length == 0)
            {
                return false;
            }

            // A name that is not UTF-8 has no faithful string form: decoded with replacement
            // characters it would match the wrong name and re-encode longer than 255 bytes. It can
            // match none of ours, so it is left out.
            string? protocol = TryDecodeUtf8(name);
            if (protocol != null)
            {
                protocols.Add(protocol);
            }
        }

        return true;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string? TryDecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    // key_share (RFC 8446 §4.2.8), ClientHello form: a list of entries.
    public static byte[] EncodeClientKeyShares(IEnumerable<KeyShareEntry> entries)
    {
        var writer = new TlsWriter(128);
        using (writer.PushLength(2))
        {
            foreach (KeyShareEntry entry in entries)
            {
                writer.WriteU16(entry.Group);
                writer.WriteVector16(entry.KeyExchange);
            }
        }

        return writer.ToArray();
    }

    public static bool TryDecodeClientKeyShares(ReadOnlySpan<byte> data, out List<KeyShareEntry> entries)
    {
        entries = new List<KeyShareEntry>();
        var reader = new TlsReader(data);
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> list) || !reader.IsEmpty)
        {
            return false;
        }

        var inner = new TlsReader(list);
        while (!inner.IsEmpty)
        {
            if (!inner.TryReadU16(out ushort group) || !inner.TryReadVector16(out ReadOnlySpan<byte> key) || key.Length == 0)
            {
                return false;
            }

            entries.Add(new KeyShareEntry(group, key.ToArray()));
        }

        return true;
    }

    // key_share, ServerHello form: one entry.
    public static byte[] EncodeServerKeyShare(KeyShareEntry entry)
    {
        var writer = new TlsWriter(128);
        writer.WriteU16(entry.Group);
        writer.WriteVector16(entry.KeyExchange);
        return writer.ToArray();
    }

    public static bool TryDecodeServerKeyShare(ReadOnlySpan<byte> data, out KeyShareEntry entry)
    {
        entry = default;
        var reader = new TlsReader(data);
        if (!reader.TryReadU16(out ushort group) || !reader.TryReadVector16(out ReadOnlySpan<byte> key) || key.Length == 0 || !reader.IsEmpty)
        {
            return false;
        }

        entry = new KeyShareEntry(group, key.ToArray());
        return true;
    }

    // key_share, HelloRetryRequest form, and supported_versions, ServerHello form: one u16.
    public static byte[] EncodeU16(ushort value) => new[] { (byte)(value >> 8), (byte)value };

    public static bool TryDecodeU16(ReadOnlySpan<byte> data, out ushort value)
    {
        var reader = new TlsReader(data);
        return reader.TryReadU16(out value) & reader.IsEmpty;
    }

    // cookie (RFC 8446 §4.2.2).
    public static byte[] EncodeCookie(ReadOnlySpan<byte> cookie)
    {
        var writer = new TlsWriter(cookie.Length + 2);
        writer.WriteVector16(cookie);
        return writer.ToArray();
    }

    public static bool TryDecodeCookie(ReadOnlySpan<byte> data, out byte[] cookie)
    {
        cookie = Array.Empty<byte>();
        var reader = new TlsReader(data);
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> value) || value.Length == 0 || !reader.IsEmpty)
        {
            return false;
        }

        cookie = value.ToArray();
        return true;
    }

    /// <summary>RFC 9146 §3: struct { opaque cid&lt;0..2^8-1&gt;; } ConnectionId.</summary>
    public static byte[] EncodeConnectionId(ReadOnlySpan<byte> connectionId)
    {
        var writer = new TlsWriter(connectionId.Length + 1);
        writer.WriteVector8(connectionId);
        return writer.ToArray();
    }

    /// <summary>False when the length byte does not account for the extension data exactly.</summary>
    public static bool TryDecodeConnectionId(ReadOnlySpan<byte> data, out byte[] connectionId)
    {
        connectionId = Array.Empty<byte>();
        var reader = new TlsReader(data);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> value) || !reader.IsEmpty)
        {
            return false;
        }

        connectionId = value.ToArray();
        return true;
    }
}
