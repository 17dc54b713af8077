using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>RFC 8446 §4.1.2; in DTLS with legacy_cookie after legacy_session_id (RFC 9147 §5.3, RFC 6347 §4.2.1).</summary>
internal sealed class ClientHello
{
    /// <summary>
    /// The largest body the vectors allow: legacy_version, random, legacy_session_id&lt;0..32&gt;,
    /// cipher_suites&lt;2..2^16-2&gt;, legacy_compression_methods&lt;1..2^8-1&gt;, extensions&lt;8..2^16-1&gt;.
    /// </summary>
    public const int MaxBodyLength = 2 + 32 + (1 + 32) + (2 + 65534) + (1 + 255) + (2 + 65535);

    /// <summary>The DTLS form's largest body: <see cref="MaxBodyLength"/> and legacy_cookie&lt;0..2^8-1&gt;.</summary>
    public const int MaxDatagramBodyLength = MaxBodyLength + 1 + 255;

    /// <summary>The DTLS form: the cookie field is on the wire.</summary>
    public bool Datagram { get; set; }

    /// <summary>DTLS legacy_cookie&lt;0..2^8-1&gt;: empty, or DTLS 1.2's HelloVerifyRequest cookie echoed.</summary>
    public byte[] Cookie { get; set; } = Array.Empty<byte>();

    public ushort LegacyVersion { get; set; } = 0x0303;

    public byte[] Random { get; set; } = new byte[32];

    public byte[] LegacySessionId { get; set; } = Array.Empty<byte>();

    public List<ushort> CipherSuites { get; set; } = new();

    public byte[] CompressionMethods { get; set; } = new byte[] { 0 };

    public List<Extension> Extensions { get; set; } = new();

    public bool HasDuplicateExtension { get; private set; }

    public Extension? Find(ushort type) => ExtensionBlock.Find(Extensions, type);

    public static ClientHello? TryParse(ReadOnlySpan<byte> body, bool datagram = false)
    {
        var reader = new TlsReader(body);
        var hello = new ClientHello { Datagram = datagram };
        ReadOnlySpan<byte> cookie = default;
        if (!reader.TryReadU16(out ushort version)
            || !reader.TryReadBytes(32, out ReadOnlySpan<byte> random)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> sessionId)
            || sessionId.Length > 32
            || (datagram && !reader.TryReadVector8(out cookie))
            || !reader.TryReadVector16(out ReadOnlySpan<byte> suites)
            || suites.Length == 0 || suites.Length % 2 != 0
            || !reader.TryReadVector8(out ReadOnlySpan<byte> compression)
            || compression.Length == 0)
        {
            return null;
        }

        hello.LegacyVersion = version;
        hello.Random = random.ToArray();
        hello.LegacySessionId = sessionId.ToArray();
        hello.Cookie = cookie.ToArray();
        hello.CompressionMethods = compression.ToArray();
        var suiteReader = new TlsReader(suites);
        while (suiteReader.TryReadU16(out ushort suite))
        {
            hello.CipherSuites.Add(suite);
        }

        // A hello without extensions is legal (pre-TLS 1.3 peers); it simply offers nothing we need.
        if (!ExtensionBlock.TryReadTrailing(ref reader, out List<Extension> extensions, out bool duplicate))
        {
            return null;
        }

        hello.Extensions = extensions;
        hello.HasDuplicateExtension = duplicate;
        return hello;
    }

    public byte[] Encode()
    {
        var writer = new TlsWriter(512);
        writer.WriteU16(LegacyVersion);
        writer.WriteBytes(Random);
        writer.WriteVector8(LegacySessionId);
        if (Datagram)
        {
            writer.WriteVector8(Cookie);
        }
        writer.WriteBytes(ExtensionBlock.U16List(CipherSuites, 2));
        writer.WriteVector8(CompressionMethods);
        ExtensionBlock.Write(writer, Extensions);
        return ExtensionBlock.Frame(HandshakeType.ClientHello, writer);
    }
}
