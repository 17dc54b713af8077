using System;
using TlsEngine.Buffers;
using TlsEngine.Crypto;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Server;

/// <summary>
/// Stateless cookies that prove the client can receive at its address before the server does work
/// for it (RFC 9147 §5.1, RFC 6347 §4.2.1). Each is bound by an HMAC to the address the host gives
/// (<see cref="HandshakeContext.PeerAddress"/>) and carries when it was issued; a DTLS 1.3 cookie also
/// carries what the server needs to go on without having kept anything: the suite, the group asked
/// for and the hash of the first ClientHello (RFC 8446 §4.2.2).
/// </summary>
internal static class AddressCookies
{
    private const byte RetryFormat = 1;
    private const byte VerifyFormat = 2;
    private const int TagLength = 32;

    // GnuTLS refuses HelloVerifyRequest cookies above DTLS 1.0's 32 bytes, though RFC 6347 §4.2.1 allows 255:
    // the DTLS 1.2 cookie keeps 216 bits of its HMAC so that format, time and tag fit in 32.
    private const int VerifyTagLength = 27;

    /// <summary>The parts of a DTLS 1.3 cookie, after its tag has verified.</summary>
    internal sealed class RetryCookie
    {
        public RetryCookie(CipherSuiteInfo suite, TlsNamedGroup? group, byte[] clientHelloHash)
        {
            Suite = suite;
            Group = group;
            ClientHelloHash = clientHelloHash;
        }

        public CipherSuiteInfo Suite { get; }

        /// <summary>The group the HelloRetryRequest asked for, or null when it asked for none.</summary>
        public TlsNamedGroup? Group { get; }

        public byte[] ClientHelloHash { get; }
    }

    /// <summary>DTLS 1.3: the cookie for a HelloRetryRequest answering a ClientHello whose hash is <paramref name="clientHelloHash"/>.</summary>
    public static byte[] IssueRetry(HandshakeContext context, ServerConfig config, CipherSuiteInfo suite, TlsNamedGroup? group, byte[] clientHelloHash)
    {
        var writer = new TlsWriter(64 + clientHelloHash.Length);
        writer.WriteU8(RetryFormat);
        writer.WriteU32(IssuedNow(context));
        writer.WriteU16((ushort)suite.Suite);
        writer.WriteU16(group == null ? 0 : (ushort)group.Value);
        writer.WriteVector8(clientHelloHash);
        return Seal(context, config, writer.WrittenSpan);
    }

    /// <summary>DTLS 1.3: a cookie the client echoed, checked (tag, address, age) and decoded.</summary>
    public static RetryCookie OpenRetry(HandshakeContext context, ServerConfig config, byte[] cookie)
    {
        ReadOnlySpan<byte> content = Open(context, config, cookie, RetryFormat);
        var reader = new TlsReader(content.Slice(5));
        if (!reader.TryReadU16(out ushort suiteNumber) || !reader.TryReadU16(out ushort group)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> hash) || !reader.IsEmpty
            || CipherSuiteInfo.Find(suiteNumber) is not { Version: TlsVersion.Tls13 } suite)
        {
            // The tag verified, so this server wrote it: a cookie of another layout is a key shared with something else.
            throw new TlsFailureException(TlsFailureReason.InvalidCookie, "The cookie is not one of this server's HelloRetryRequest cookies.");
        }

        return new RetryCookie(suite, group == 0 ? null : (TlsNamedGroup)group, hash.ToArray());
    }

    /// <summary>
    /// DTLS 1.2: the HelloVerifyRequest cookie for <paramref name="hello"/>: the HMAC covers the client's
    /// parameters (the hello without its cookie), so the second ClientHello must repeat them (RFC 6347 §4.2.1).
    /// </summary>
    public static byte[] IssueVerify(HandshakeContext context, ServerConfig config, ClientHello hello) =>
        IssueVerify(context, config, hello, IssuedNow(context));

    /// <summary>DTLS 1.2: whether the cookie <paramref name="hello"/> echoes is one <see cref="IssueVerify(HandshakeContext, ServerConfig, ClientHello)"/> made for it.</summary>
    public static bool CheckVerify(HandshakeContext context, ServerConfig config, ClientHello hello)
    {
        byte[] cookie = hello.Cookie;
        if (cookie.Length != 1 + 4 + VerifyTagLength || cookie[0] != VerifyFormat)
        {
            return false;
        }

        uint issued = (uint)((cookie[1] << 24) | (cookie[2] << 16) | (cookie[3] << 8) | cookie[4]);
        return FixedTime.Equals(IssueVerify(context, config, hello, issued), cookie) && Fresh(context, config, issued);
    }

    private static byte[] IssueVerify(HandshakeContext context, ServerConfig config, ClientHello hello, uint issued)
    {
        byte[] echoed = hello.Cookie;
        hello.Cookie = Array.Empty<byte>();
        byte[] parameters = hello.Encode();
        hello.Cookie = echoed;
        var writer = new TlsWriter(5 + parameters.Length);
        writer.WriteU8(VerifyFormat);
        writer.WriteU32(issued);
        writer.WriteBytes(parameters);
        byte[] sealedCookie = Seal(context, config, writer.WrittenSpan);
        // Only the format, the time and the tag go on the wire: the parameters come back in the ClientHello itself.
        byte[] cookie = new byte[1 + 4 + VerifyTagLength];
        sealedCookie.AsSpan(0, 5).CopyTo(cookie);
        sealedCookie.AsSpan(sealedCookie.Length - TagLength, VerifyTagLength).CopyTo(cookie.AsSpan(5));
        return cookie;
    }

    private static byte[] Seal(HandshakeContext context, ServerConfig config, ReadOnlySpan<byte> content)
    {
        byte[] cookie = new byte[content.Length + TagLength];
        content.CopyTo(cookie);
        Tag(context, config, content).CopyTo(cookie, content.Length);
        return cookie;
    }

    private static ReadOnlySpan<byte> Open(HandshakeContext context, ServerConfig config, byte[] cookie, byte format)
    {
        if (cookie.Length < 1 + 4 + TagLength || cookie[0] != format)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidCookie, "The cookie is not one this server issued.");
        }

        ReadOnlySpan<byte> content = cookie.AsSpan(0, cookie.Length - TagLength);
        byte[] expected = Tag(context, config, content);
        // RFC 9147 §5.1: the cookie is integrity-protected; a forged one, or one made for another address, fails here.
        if (!FixedTime.Equals(expected, cookie.AsSpan(content.Length).ToArray()))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidCookie, "The cookie does not verify for this client's address.");
        }

        uint issued = (uint)((cookie[1] << 24) | (cookie[2] << 16) | (cookie[3] << 8) | cookie[4]);
        if (!Fresh(context, config, issued))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidCookie, "The cookie has expired.");
        }

        return content;
    }

    /// <summary>HMAC-SHA256 over the address and the cookie's content.</summary>
    private static byte[] Tag(HandshakeContext context, ServerConfig config, ReadOnlySpan<byte> content)
    {
        byte[] address = context.PeerAddress;
        var input = new TlsWriter(2 + address.Length + content.Length);
        input.WriteVector16(address);
        input.WriteBytes(content);
        byte[] tag = context.Crypto.Hmac(HashAlgorithmId.Sha256, Key(context, config), input.WrittenSpan);
        input.Wipe();
        return tag;
    }

    private static byte[] Key(HandshakeContext context, ServerConfig config) =>
        config.CookieKey ?? (context.LocalCookieKey ??= context.Own(context.Random.GetBytes(32)));

    private static uint IssuedNow(HandshakeContext context) => (uint)Math.Max(0, context.Now.ToUnixTimeSeconds());

    private static bool Fresh(HandshakeContext context, ServerConfig config, uint issued)
    {
        long age = context.Now.ToUnixTimeSeconds() - issued;
        // A cookie from the future is only a clock step; a few seconds of it are tolerated.
        return age >= -5 && age <= (long)config.CookieLifetime.TotalSeconds;
    }
}
