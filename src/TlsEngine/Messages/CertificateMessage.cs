using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>RFC 8446 §4.4.2: the chain, leaf first, each entry with its own extensions.</summary>
internal sealed class CertificateMessage
{
    public byte[] RequestContext { get; set; } = Array.Empty<byte>();

    public List<byte[]> Certificates { get; set; } = new();

    /// <summary>Some CertificateEntry carries extensions; this engine solicits none (RFC 8446 §4.4.2).</summary>
    public bool HasEntryExtensions { get; private set; }

    /// <summary>certificate_request_context&lt;0..2^8-1&gt;, certificate_list&lt;0..2^24-1&gt; of cert_data&lt;1..2^24-1&gt; and extensions&lt;0..2^16-1&gt;.</summary>
    public static CertificateMessage? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> context) || !reader.TryReadVector24(out ReadOnlySpan<byte> list) || !reader.IsEmpty)
        {
            return null;
        }

        var message = new CertificateMessage { RequestContext = context.ToArray() };
        var inner = new TlsReader(list);
        while (!inner.IsEmpty)
        {
            if (!inner.TryReadVector24(out ReadOnlySpan<byte> certificate) || certificate.Length == 0
                || !inner.TryReadVector16(out ReadOnlySpan<byte> extensions))
            {
                return null;
            }

            message.HasEntryExtensions |= extensions.Length > 0;
            var extensionReader = new TlsReader(extensions);
            while (!extensionReader.IsEmpty)
            {
                if (!extensionReader.TryReadU16(out _) || !extensionReader.TryReadVector16(out _))
                {
                    return null;
                }
            }

            message.Certificates.Add(certificate.ToArray());
        }

        return message;
    }

    public byte[] Encode()
    {
        var writer = new TlsWriter(2048);
        writer.WriteVector8(RequestContext);
        using (writer.PushLength(3))
        {
            foreach (byte[] certificate in Certificates)
            {
                writer.WriteVector24(certificate);
                writer.WriteU16(0);
            }
        }

        return ExtensionBlock.Frame(HandshakeType.Certificate, writer);
    }
}
