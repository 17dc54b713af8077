using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>RFC 8446 §4.3.1.</summary>
internal sealed class EncryptedExtensions
{
    public List<Extension> Extensions { get; set; } = new();

    public bool HasDuplicateExtension { get; private set; }

    public static EncryptedExtensions? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!ExtensionBlock.TryRead(ref reader, out List<Extension> extensions, out bool duplicate) || !reader.IsEmpty)
        {
            return null;
        }

        return new EncryptedExtensions { Extensions = extensions, HasDuplicateExtension = duplicate };
    }

    public byte[] Encode()
    {
        var writer = new TlsWriter(64);
        ExtensionBlock.Write(writer, Extensions);
        return ExtensionBlock.Frame(HandshakeType.EncryptedExtensions, writer);
    }
}
