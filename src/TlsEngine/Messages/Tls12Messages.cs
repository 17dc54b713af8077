using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>RFC 5246 §7.4.2: a bare list of certificates, leaf first.</summary>
internal static class Tls12CertificateMessage
{
    public static List<byte[]>? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadVector24(out ReadOnlySpan<byte> list) || !reader.IsEmpty)
        {
            return null;
        }

        var certificates = new List<byte[]>();
        var inner = new TlsReader(list);
        while (!inner.IsEmpty)
        {
            if (!inner.TryReadVector24(out ReadOnlySpan<byte> certificate) || certificate.Length == 0)
            {
                return null;
            }

            certificates.Add(certificate.ToArray());
        }

        return certificates;
    }

    /// <summary>
    /// RFC 7250 §3: with raw public keys the body is ASN.1_subjectPublicKeyInfo&lt;1..2^24-1&gt; alone;
    /// an empty vector (a client without a key) is read as no key.
    /// </summary>
    public static byte[]? TryParseRawPublicKey(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        return reader.TryReadVector24(out ReadOnlySpan<byte> key) && reader.IsEmpty ? key.ToArray() : null;
    }

    public static byte[] EncodeRawPublicKey(byte[] subjectPublicKeyInfo)
    {
        var writer = new TlsWriter(subjectPublicKeyInfo.Length + 3);
        writer.WriteVector24(subjectPublicKeyInfo);
        return ExtensionBlock.Frame(HandshakeType.Certificate, writer);
    }

    /// <summary>The Certificate a TLS 1.2 credential presents: its chain, or its raw public key (RFC 7250 §3).</summary>
    public static byte[] Encode(Handshake.LocalCredential? credential) =>
        credential?.RawPublicKey is byte[] raw ? EncodeRawPublicKey(raw) : Encode(credential?.Entries ?? Array.Empty<byte[]>());

    public static byte[] Encode(IEnumerable<byte[]> certificates)
    {
        var writer = new TlsWriter(2048);
        using (writer.PushLength(3))
        {
            foreach (byte[] certificate in certificates)
            {
                writer.WriteVector24(certificate);
            }
        }

        return ExtensionBlock.Frame(HandshakeType.Certificate, writer);
    }
}

/// <summary>RFC 8422 §5.4: ECDHE parameters on a named curve, signed by the server.</summary>
internal sealed class ServerKeyExchangeMessage
{
    public ushort Group { get; set; }

    public byte[] PublicKey { get; set; } = Array.Empty<byte>();

    public ushort Scheme { get; set; }

    public byte[] Signature { get; set; } = Array.Empty<byte>();

    /// <summary>The ServerECDHParams bytes, which the signature covers after both randoms.</summary>
    public byte[] Parameters => EncodeParameters(Group, PublicKey);

    public static ServerKeyExchangeMessage? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadU8(out byte curveType) || curveType != 3
            || !reader.TryReadU16(out ushort group)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> publicKey) || publicKey.Length == 0
            || !reader.TryReadU16(out ushort scheme)
            || !reader.TryReadVector16(out ReadOnlySpan<byte> signature) || !reader.IsEmpty)
        {
            return null;
        }

        return new ServerKeyExchangeMessage { Group = group, PublicKey = publicKey.ToArray(), Scheme = scheme, Signature = signature.ToArray() };
    }

    public static byte[] EncodeParameters(ushort group, byte[] publicKey)
    {
        var writer = new TlsWriter(publicKey.Length + 4);
        writer.WriteU8(3);
        writer.WriteU16(group);
        writer.WriteVector8(publicKey);
        return writer.ToArray();
    }

    public byte[] Encode()
    {
        var writer = new TlsWriter(PublicKey.Length + Signature.Length + 8);
        writer.WriteBytes(Parameters);
        writer.WriteU16(Scheme);
        writer.WriteVector16(Signature);
        return ExtensionBlock.Frame(HandshakeType.ServerKeyExchange, writer);
    }
}

/// <summary>RFC 8422 §5.7: the client's ephemeral public point.</summary>
internal static class ClientKeyExchangeMessage
{
    public static byte[]? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        return reader.TryReadVector8(out ReadOnlySpan<byte> point) && point.Length > 0 && reader.IsEmpty ? point.ToArray() : null;
    }

    public static byte[] Encode(byte[] publicKey)
    {
        var writer = new TlsWriter(publicKey.Length + 1);
        writer.WriteVector8(publicKey);
        return ExtensionBlock.Frame(HandshakeType.ClientKeyExchange, writer);
    }
}

/// <summary>RFC 5246 §7.4.4: certificate types, signature schemes and acceptable authorities.</summary>
internal static class Tls12CertificateRequestMessage
{
    /// <summary>
    /// certificate_types&lt;1..2^8-1&gt;, supported_signature_algorithms&lt;2..2^16-2&gt;,
    /// certificate_authorities&lt;0..2^16-1&gt; of DistinguishedName&lt;1..2^16-1&gt;. Returns the schemes
    /// the server accepts, or null when the message is malformed.
    /// </summary>
    public static List<ushort>? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> types) || types.Length == 0)
        {
            return null;
        }

        ReadOnlySpan<byte> rest = body.Slice(body.Length - reader.Remaining);
        var schemeReader = new TlsReader(rest);
        if (!schemeReader.TryReadVector16(out ReadOnlySpan<byte> schemes)
            || !ExtensionBlock.TryReadU16List(rest.Slice(0, 2 + schemes.Length), 2, out List<ushort> list)
            || !ExtensionCodecs.IsValidAuthorities(rest.Slice(2 + schemes.Length), minimumLength: 0))
        {
            return null;
        }

        return list;
    }

    public static byte[] Encode(IEnumerable<ushort> schemes, byte[] authorities)
    {
        var writer = new TlsWriter(256 + authorities.Length);
        // rsa_sign(1), ecdsa_sign(64): the key types this engine verifies.
        writer.WriteVector8(new byte[] { 1, 64 });
        writer.WriteBytes(ExtensionBlock.U16List(schemes, 2));
        writer.WriteBytes(authorities);
        return ExtensionBlock.Frame(HandshakeType.CertificateRequest, writer);
    }
}

/// <summary>RFC 5246 §7.4.8: the client's signature over every handshake message so far.</summary>
internal static class Tls12CertificateVerifyMessage
{
    public static byte[] Encode(ushort scheme, byte[] signature) =>
        new CertificateVerifyMessage { Scheme = scheme, Signature = signature }.Encode();
}

internal static class ServerHelloDoneMessage
{
    public static byte[] Encode() => new byte[] { HandshakeType.ServerHelloDone, 0, 0, 0 };
}

/// <summary>RFC 5077 §3.3: a lifetime hint and the opaque ticket.</summary>
internal static class Tls12NewSessionTicketMessage
{
    public static byte[]? TryParse(ReadOnlySpan<byte> body, out uint lifetimeHint)
    {
        var reader = new TlsReader(body);
        lifetimeHint = 0;
        return reader.TryReadU32(out lifetimeHint) && reader.TryReadVector16(out ReadOnlySpan<byte> ticket) && reader.IsEmpty ? ticket.ToArray() : null;
    }

    public static byte[] Encode(uint lifetimeHint, byte[] ticket)
    {
        var writer = new TlsWriter(ticket.Length + 6);
        writer.WriteU32(lifetimeHint);
        writer.WriteVector16(ticket);
        return ExtensionBlock.Frame(HandshakeType.NewSessionTicket, writer);
    }
}
