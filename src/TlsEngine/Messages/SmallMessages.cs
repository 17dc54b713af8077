using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>RFC 8446 §4.4.4: verify_data only.</summary>
internal static class FinishedMessage
{
    public static byte[] Encode(ReadOnlySpan<byte> verifyData)
    {
        var writer = new TlsWriter(verifyData.Length);
        writer.WriteBytes(verifyData);
        return ExtensionBlock.Frame(HandshakeType.Finished, writer);
    }
}

/// <summary>RFC 8446 §4.6.3: request_update is 0 or 1.</summary>
internal static class KeyUpdateMessage
{
    public static byte[] Encode(bool updateRequested)
    {
        var writer = new TlsWriter(1);
        writer.WriteU8(updateRequested ? 1 : 0);
        return ExtensionBlock.Frame(HandshakeType.KeyUpdate, writer);
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out bool updateRequested)
    {
        updateRequested = body.Length == 1 && body[0] == 1;
        return body.Length == 1 && body[0] <= 1;
    }
}

/// <summary>RFC 8446 §4.6.1.</summary>
internal sealed class NewSessionTicketMessage
{
    public uint Lifetime { get; set; }

    public uint AgeAdd { get; set; }

    public byte[] Nonce { get; set; } = Array.Empty<byte>();

    public byte[] Ticket { get; set; } = Array.Empty<byte>();

    public uint MaxEarlyDataSize { get; set; }

    public static NewSessionTicketMessage? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadU32(out uint lifetime) || !reader.TryReadU32(out uint ageAdd)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> nonce) || !reader.TryReadVector16(out ReadOnlySpan<byte> ticket)
            || ticket.Length == 0
            || !ExtensionBlock.TryRead(ref reader, out List<Extension> extensions, out bool duplicate) || duplicate || !reader.IsEmpty)
        {
            return null;
        }

        var message = new NewSessionTicketMessage { Lifetime = lifetime, AgeAdd = ageAdd, Nonce = nonce.ToArray(), Ticket = ticket.ToArray() };
        Extension? earlyData = ExtensionBlock.Find(extensions, ExtensionType.EarlyData);
        if (earlyData != null)
        {
            var early = new TlsReader(earlyData.Data);
            if (!early.TryReadU32(out uint max) || !early.IsEmpty)
            {
                return null;
            }

            message.MaxEarlyDataSize = max;
        }

        return message;
    }

    public byte[] Encode()
    {
        var writer = new TlsWriter(Ticket.Length + 32);
        writer.WriteU32(Lifetime);
        writer.WriteU32(AgeAdd);
        writer.WriteVector8(Nonce);
        writer.WriteVector16(Ticket);
        if (MaxEarlyDataSize > 0)
        {
            writer.WriteU16(8);
            writer.WriteU16(ExtensionType.EarlyData);
            writer.WriteU16(4);
            writer.WriteU32(MaxEarlyDataSize);
        }
        else
        {
            writer.WriteU16(0);
        }

        return ExtensionBlock.Frame(HandshakeType.NewSessionTicket, writer);
    }
}

/// <summary>RFC 8446 §4.3.2: the server asks for a client certificate.</summary>
internal sealed class CertificateRequestMessage
{
    public byte[] Context { get; set; } = Array.Empty<byte>();

    public List<Extension> Extensions { get; set; } = new();

    public static CertificateRequestMessage? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> context)
            || !ExtensionBlock.TryRead(ref reader, out List<Extension> extensions, out bool duplicate) || duplicate || !reader.IsEmpty)
        {
            return null;
        }

        // signature_algorithms is mandatory here (RFC 8446 §4.3.2).
        if (ExtensionBlock.Find(extensions, ExtensionType.SignatureAlgorithms) == null)
        {
            return null;
        }

        return new CertificateRequestMessage { Context = context.ToArray(), Extensions = extensions };
    }

    /// <summary>The schemes the server accepts in the client's CertificateVerify.</summary>
    public List<ushort> SignatureSchemes()
    {
        Extension? extension = ExtensionBlock.Find(Extensions, ExtensionType.SignatureAlgorithms);
        return extension != null && ExtensionBlock.TryReadU16List(extension.Data, 2, out List<ushort> schemes) ? schemes : new List<ushort>();
    }

    public byte[] Encode()
    {
        var writer = new TlsWriter(256);
        writer.WriteVector8(Context);
        ExtensionBlock.Write(writer, Extensions);
        return ExtensionBlock.Frame(HandshakeType.CertificateRequest, writer);
    }

    /// <summary>certificate_authorities (RFC 8446 §4.2.4): the distinguished names of acceptable roots.</summary>
    public static byte[] EncodeAuthorities(IEnumerable<byte[]> names)
    {
        var writer = new TlsWriter(1024);
        using (writer.PushLength(2))
        {
            foreach (byte[] name in names)
            {
                writer.WriteVector16(name);
            }
        }

        return writer.ToArray();
    }
}
