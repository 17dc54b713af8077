using System;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>RFC 8446 §4.4.3.</summary>
internal sealed class CertificateVerifyMessage
{
    public ushort Scheme { get; set; }

    public byte[] Signature { get; set; } = Array.Empty<byte>();

    public static CertificateVerifyMessage? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadU16(out ushort scheme) || !reader.TryReadVector16(out ReadOnlySpan<byte> signature) || !reader.IsEmpty)
        {
            return null;
        }

        return new CertificateVerifyMessage { Scheme = scheme, Signature = signature.ToArray() };
    }

    public byte[] Encode()
    {
        var writer = new TlsWriter(Signature.Length + 4);
        writer.WriteU16(Scheme);
        writer.WriteVector16(Signature);
        return ExtensionBlock.Frame(HandshakeType.CertificateVerify, writer);
    }

    /// <summary>The signed content: 64 spaces, a context string, a zero byte, the transcript hash.</summary>
    public static byte[] SignedContent(bool server, ReadOnlySpan<byte> transcriptHash)
    {
        string label = server ? "TLS 1.3, server CertificateVerify" : "TLS 1.3, client CertificateVerify";
        var writer = new TlsWriter(64 + label.Length + 1 + transcriptHash.Length);
        for (int i = 0; i < 64; i++)
        {
            writer.WriteU8(0x20);
        }

        writer.WriteBytes(System.Text.Encoding.ASCII.GetBytes(label));
        writer.WriteU8(0);
        writer.WriteBytes(transcriptHash);
        return writer.ToArray();
    }
}
