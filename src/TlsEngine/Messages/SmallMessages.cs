using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>RFC 8446 §4.4.4: verify_data only; RFC 5246 §7.4.9 in TLS 1.2.</summary>
internal static class FinishedMessage
{
    /// <summary>
    /// verify_data has a fixed length (the hash length in TLS 1.3, 12 bytes in TLS 1.2): any other
    /// length is a decode_error, decided before the constant-time comparison (RFC 8446 §6.2).
    /// </summary>
    public static bool HasLength(ReadOnlySpan<byte> body, int verifyDataLength) => body.Length == verifyDataLength;

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

    /// <summary>
    /// False when the body is not exactly one byte (a decode_error). Otherwise
    /// <paramref name="requestUpdate"/> holds the raw value, which the caller must check is 0 or 1
    /// (anything else is an illegal_parameter, RFC 8446 §4.6.3).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out byte requestUpdate)
    {
        requestUpdate = body.Length == 1 ? body[0] : (byte)0;
        return body.Length == 1;
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

    public bool HasDuplicateExtension { get; private set; }

    /// <summary>ticket_nonce&lt;0..255&gt;, ticket&lt;1..2^16-1&gt;, extensions&lt;0..2^16-2&gt;.</summary>
    public static NewSessionTicketMessage? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadU32(out uint lifetime) || !reader.TryReadU32(out uint ageAdd)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> nonce) || !reader.TryReadVector16(out ReadOnlySpan<byte> ticket)
            || ticket.Length == 0
            || !ExtensionBlock.TryRead(ref reader, out List<Extension> extensions, out bool duplicate, maxLength: 0xFFFE) || !reader.IsEmpty)
        {
            return null;
        }

        var message = new NewSessionTicketMessage
        {
            Lifetime = lifetime, AgeAdd = ageAdd, Nonce = nonce.ToArray(), Ticket = ticket.ToArray(), HasDuplicateExtension = duplicate,
        };
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

    public bool HasDuplicateExtension { get; private set; }

    /// <summary>The schemes the server accepts in the client's CertificateVerify; null when signature_algorithms is absent.</summary>
    public List<ushort>? SignatureSchemes { get; private set; }

    /// <summary>
    /// certificate_request_context&lt;0..2^8-1&gt;, extensions&lt;2..2^16-1&gt;. The extensions the engine
    /// reads must decode; whether the mandatory ones are present is the caller's check, since that
    /// is a missing_extension, not a decode_error.
    /// </summary>
    public static CertificateRequestMessage? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> context)
            || !ExtensionBlock.TryRead(ref reader, out List<Extension> extensions, out bool duplicate) || extensions.Count == 0 || !reader.IsEmpty)
        {
            return null;
        }

        var message = new CertificateRequestMessage { Context = context.ToArray(), Extensions = extensions, HasDuplicateExtension = duplicate };
        Extension? signatures = ExtensionBlock.Find(extensions, ExtensionType.SignatureAlgorithms);
        if (signatures != null)
        {
            if (!ExtensionBlock.TryReadU16List(signatures.Data, 2, out List<ushort> schemes))
            {
                return null;
            }

            message.SignatureSchemes = schemes;
        }

        Extension? authorities = ExtensionBlock.Find(extensions, ExtensionType.CertificateAuthorities);
        if (authorities != null && !ExtensionCodecs.IsValidAuthorities(authorities.Data, minimumLength: 3))
        {
            return null;
        }

        return message;
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
