using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>RFC 8446 §4.1.3; also carries HelloRetryRequest, which is a ServerHello with a special random.</summary>
internal sealed class ServerHello
{
    /// <summary>SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3.</summary>
    public static readonly byte[] HelloRetryRequestRandom =
    {
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    };

    public ushort LegacyVersion { get; set; } = 0x0303;

    public byte[] Random { get; set; } = new byte[32];

    public byte[] LegacySessionIdEcho { get; set; } = Array.Empty<byte>();

    public ushort CipherSuite { get; set; }

    public byte CompressionMethod { get; set; }

    public List<Extension> Extensions { get; set; } = new();

    public bool HasDuplicateExtension { get; private set; }

    public bool IsHelloRetryRequest => Random.AsSpan().SequenceEqual(HelloRetryRequestRandom);

    public Extension? Find(ushort type) => ExtensionBlock.Find(Extensions, type);

    public static ServerHello? TryParse(ReadOnlySpan<byte> body)
    {
        var reader = new TlsReader(body);
        var hello = new ServerHello();
        if (!reader.TryReadU16(out ushort version)
            || !reader.TryReadBytes(32, out ReadOnlySpan<byte> random)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> sessionId)
            || sessionId.Length > 32
            || !reader.TryReadU16(out ushort suite)
            || !reader.TryReadU8(out byte compression))
        {
            return null;
        }

        hello.LegacyVersion = version;
        hello.Random = random.ToArray();
        hello.LegacySessionIdEcho = sessionId.ToArray();
        hello.CipherSuite = suite;
        hello.CompressionMethod = compression;
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
        var writer = new TlsWriter(256);
        writer.WriteU16(LegacyVersion);
        writer.WriteBytes(Random);
        writer.WriteVector8(LegacySessionIdEcho);
        writer.WriteU16(CipherSuite);
        writer.WriteU8(CompressionMethod);
        ExtensionBlock.Write(writer, Extensions);
        return ExtensionBlock.Frame(HandshakeType.ServerHello, writer);
    }
}
