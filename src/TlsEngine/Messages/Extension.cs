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
    /// <summary>Parses extensions&lt;0..2^16-1&gt;; rejects duplicates (RFC 8446 §4.2) and trailing bytes.</summary>
    public static bool TryRead(ref TlsReader reader, out List<Extension> extensions, out bool duplicate)
    {
        extensions = new List<Extension>();
        duplicate = false;
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> block))
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

    /// <summary>Reads a list of 16-bit values inside a vector with a <paramref name="prefix"/>-byte length.</summary>
    public static bool TryReadU16List(ReadOnlySpan<byte> data, int prefix, out List<ushort> values)
    {
        values = new List<ushort>();
        var reader = new TlsReader(data);
        ReadOnlySpan<byte> list;
        bool ok = prefix == 1 ? reader.TryReadVector8(out list) : reader.TryReadVector16(out list);
        if (!ok || !reader.IsEmpty || list.Length % 2 != 0)
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
