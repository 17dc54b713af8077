using System;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>
/// DTLS 1.2's HelloVerifyRequest (RFC 6347 §4.2.1): server_version and a cookie the client echoes in
/// its next ClientHello. Neither it nor the ClientHello it answers enters the transcript.
/// </summary>
internal static class HelloVerifyRequest
{
    /// <summary>RFC 6347 §4.2.1: DTLS 1.0's number, whatever version will be negotiated.</summary>
    public const ushort ServerVersion = 0xFEFF;

    /// <summary>RFC 6347 §4.2.1: opaque cookie&lt;0..2^8-1&gt;.</summary>
    public const int MaxCookieLength = 255;

    public static byte[] Encode(ushort serverVersion, ReadOnlySpan<byte> cookie)
    {
        if (cookie.Length > MaxCookieLength)
        {
            throw new ArgumentException("A HelloVerifyRequest cookie is at most 255 bytes.", nameof(cookie));
        }

        var writer = new TlsWriter(3 + cookie.Length);
        writer.WriteU16(serverVersion);
        writer.WriteVector8(cookie);
        return ExtensionBlock.Frame(HandshakeType.HelloVerifyRequest, writer);
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out ushort serverVersion, out byte[] cookie)
    {
        var reader = new TlsReader(body);
        cookie = Array.Empty<byte>();
        if (!reader.TryReadU16(out serverVersion) || !reader.TryReadVector8(out ReadOnlySpan<byte> value) || reader.Remaining != 0)
        {
            return false;
        }

        cookie = value.ToArray();
        return true;
    }
}
