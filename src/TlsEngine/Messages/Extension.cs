using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

internal sealed class Extension
{
    public Extension(ushort type, byte[] data)
    {
        Type = type;
        Data = data;
    }

    public ushort Type { get; }

    public byte[] Data { get; }
}

/// <summary>Parsing and writing of the extensions block shared by every hello-like message.</summary>
internal static class ExtensionBlock
{
    /// <summary>
    /// Parses extensions&lt;0..<paramref name="maxLength"/>&gt; (RFC 8446 §4.2); reports a repeated
    /// extension type through <paramref name="duplicate"/> so the caller can name the failure.
    /// </summary>
    public static bool TryRead(ref TlsReader reader, out List<Extension> extensions, out bool duplicate, int maxLength = 0xFFFF)
    {
        extensions = new List<Extension>();
        duplicate = false;
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> block) || block.Length > maxLength)
        {
            return false;
        }

        var inner = new TlsReader(block);
        var seen = new HashSet<ushort>();
        while (!inner.IsEmpty)
        {
            if (!inner.TryReadU16(out ushort type) || !inner.TryReadVector16(out ReadOnlySpan<byte> data))
            {
                return false;
            }

            if (!seen.Add(type))
            {
                duplicate = true;
            }

            extensions.Add(new Extension(type, data.ToArray()));
        }

        return true;
    }

    /// <summary>
    /// The optional extensions block that ends a hello (absent in pre-TLS 1.3 peers' hellos).
    /// False when it is malformed or followed by trailing bytes.
    /// </summary>
    public static bool TryReadTrailing(ref TlsReader reader, out List<Extension> extensions, out bool duplicate)
    {
        extensions = new List<Extension>();
        duplicate = false;
        return reader.IsEmpty || (TryRead(ref reader, out extensions, out duplicate) && reader.IsEmpty);
    }

    public static void Write(TlsWriter writer, IReadOnlyList<Extension> extensions)
    {
        using (writer.PushLength(2))
        {
            foreach (Extension extension in extensions)
            {
                writer.WriteU16(extension.Type);
                writer.WriteVector16(extension.Data);
            }
        }
    }

    public static Extension? Find(IReadOnlyList<Extension> extensions, ushort type)
    {
        foreach (Extension extension in extensions)
        {
            if (extension.Type == type)
            {
                return extension;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads a non-empty list of 16-bit values inside a vector with a <paramref name="prefix"/>-byte
    /// length: every such list in TLS has a lower bound of one element (supported_versions&lt;2..254&gt;,
    /// named_group_list&lt;2..2^16-1&gt;, supported_signature_algorithms&lt;2..2^16-2&gt;), so an empty one
    /// is a decode_error (RFC 8446 §4.2.1, §4.2.3, §4.2.7).
    /// </summary>
    public static bool TryReadU16List(ReadOnlySpan<byte> data, int prefix, out List<ushort> values)
    {
        values = new List<ushort>();
        var reader = new TlsReader(data);
        ReadOnlySpan<byte> list;
        bool ok = prefix == 1 ? reader.TryReadVector8(out list) : reader.TryReadVector16(out list);
        if (!ok || !reader.IsEmpty || list.Length == 0 || list.Length % 2 != 0)
        {
            return false;
        }

        var inner = new TlsReader(list);
        while (inner.TryReadU16(out ushort value))
        {
            values.Add(value);
        }

        return true;
    }

    public static byte[] U16List(IEnumerable<ushort> values, int prefix)
    {
        var writer = new TlsWriter(64);
        using (writer.PushLength(prefix))
        {
            foreach (ushort value in values)
            {
                writer.WriteU16(value);
            }
        }

        return writer.ToArray();
    }

    /// <summary>Wraps a complete handshake message: type, 24-bit length, body.</summary>
    public static byte[] Frame(byte handshakeType, TlsWriter body)
    {
        var writer = new TlsWriter(body.Length + 4);
        writer.WriteU8(handshakeType);
        writer.WriteVector24(body.WrittenSpan);
        return writer.ToArray();
    }
}
