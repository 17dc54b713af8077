using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Messages;

/// <summary>Round trips and "no truncated prefix parses", per message.</summary>
public class CodecTests
{
    private static ClientHello RandomClientHello(Random random)
    {
        var hello = new ClientHello
        {
            Random = Bytes(random, 32),
            LegacySessionId = Bytes(random, random.Next(0, 33)),
            CompressionMethods = new byte[] { 0 },
        };
        int suites = random.Next(1, 20);
        for (int i = 0; i < suites; i++)
        {
            hello.CipherSuites.Add((ushort)random.Next(0, 65536));
        }

        int extensions = random.Next(0, 12);
        for (int i = 0; i < extensions; i++)
        {
            hello.Extensions.Add(new Extension((ushort)(1000 + i), Bytes(random, random.Next(0, 300))));
        }

        return hello;
    }

    private static byte[] Bytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Random_client_hellos_round_trip()
    {
        var random = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            byte[] encoded = RandomClientHello(random).Encode();
            ClientHello parsed = ClientHello.TryParse(encoded.AsSpan(4))!;
            Assert.NotNull(parsed);
            Assert.Equal(encoded, parsed.Encode());
        }
    }

    [Fact]
    public void No_truncated_prefix_of_a_client_hello_parses_except_one_without_extensions()
    {
        ClientHello hello = RandomClientHello(new Random(9));
        hello.Extensions.Add(new Extension(ExtensionType.SupportedVersions, new byte[] { 2, 3, 4 }));
        byte[] body = hello.Encode()[4..];
        int extensionsStart = body.Length - (2 + hello.Extensions.Sum(e => 4 + e.Data.Length));
        // A hello that ends where the extensions would start is legal (pre-TLS 1.3 peers).
        for (int length = 0; length < body.Length; length++)
        {
            if (length != extensionsStart)
            {
                Assert.Null(ClientHello.TryParse(body.AsSpan(0, length)));
            }
        }
    }

    [Fact]
    public void Server_hello_round_trips_and_no_truncated_prefix_parses()
    {
        var hello = new ServerHello
        {
            Random = Bytes(new Random(2), 32),
            LegacySessionIdEcho = Bytes(new Random(3), 32),
            CipherSuite = 0x1301,
            Extensions = { new Extension(ExtensionType.SupportedVersions, new byte[] { 3, 4 }), new Extension(ExtensionType.KeyShare, Bytes(new Random(4), 36)) },
        };
        byte[] body = hello.Encode()[4..];
        Assert.Equal(body, ServerHello.TryParse(body)!.Encode()[4..]);
        // A ServerHello without extensions is legal, so prefixes that stop exactly before them parse.
        int withoutExtensions = 2 + 32 + 1 + 32 + 2 + 1;
        for (int length = 0; length < body.Length; length++)
        {
            if (length != withoutExtensions)
            {
                Assert.Null(ServerHello.TryParse(body.AsSpan(0, length)));
            }
        }
    }

    [Fact]
    public void Certificate_message_round_trips_and_no_truncated_prefix_parses()
    {
        var message = new CertificateMessage();
        message.Certificates.Add(File.ReadAllBytes(TestPki.CertPath("ecdsa-p256")));
        message.Certificates.Add(Bytes(new Random(6), 700));
        byte[] body = message.Encode()[4..];
        CertificateMessage parsed = CertificateMessage.TryParse(body)!;
        Assert.Equal(message.Certificates, parsed.Certificates);
        for (int length = 0; length < body.Length; length++)
        {
            Assert.Null(CertificateMessage.TryParse(body.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Certificate_verify_round_trips_and_no_truncated_prefix_parses()
    {
        var message = new CertificateVerifyMessage { Scheme = 0x0403, Signature = Bytes(new Random(8), 71) };
        byte[] body = message.Encode()[4..];
        CertificateVerifyMessage parsed = CertificateVerifyMessage.TryParse(body)!;
        Assert.Equal(message.Scheme, parsed.Scheme);
        Assert.Equal(message.Signature, parsed.Signature);
        for (int length = 0; length < body.Length; length++)
        {
            Assert.Null(CertificateVerifyMessage.TryParse(body.AsSpan(0, length)));
        }
    }

    [Fact]
    public void New_session_ticket_round_trips_and_no_truncated_prefix_parses()
    {
        var message = new NewSessionTicketMessage { Lifetime = 7200, AgeAdd = 0xDEADBEEF, Nonce = new byte[] { 0, 1 }, Ticket = Bytes(new Random(10), 120) };
        byte[] body = message.Encode()[4..];
        NewSessionTicketMessage parsed = NewSessionTicketMessage.TryParse(body)!;
        Assert.Equal(7200u, parsed.Lifetime);
        Assert.Equal(0xDEADBEEFu, parsed.AgeAdd);
        Assert.Equal(message.Ticket, parsed.Ticket);
        for (int length = 0; length < body.Length; length++)
        {
            Assert.Null(NewSessionTicketMessage.TryParse(body.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Encrypted_extensions_with_trailing_bytes_do_not_parse()
    {
        var message = new EncryptedExtensions { Extensions = { new Extension(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { "h2" })) } };
        byte[] body = message.Encode()[4..];
        Assert.NotNull(EncryptedExtensions.TryParse(body));
        Assert.Null(EncryptedExtensions.TryParse(body.Concat(new byte[] { 0 }).ToArray()));
        for (int length = 0; length < body.Length; length++)
        {
            Assert.Null(EncryptedExtensions.TryParse(body.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Key_update_decodes_exactly_one_byte_and_leaves_its_value_to_the_caller()
    {
        Assert.True(KeyUpdateMessage.TryParse(new byte[] { 0 }, out byte request) && request == 0);
        Assert.True(KeyUpdateMessage.TryParse(new byte[] { 1 }, out request) && request == 1);
        Assert.True(KeyUpdateMessage.TryParse(new byte[] { 2 }, out request) && request == 2);
        Assert.False(KeyUpdateMessage.TryParse(Array.Empty<byte>(), out _));
        Assert.False(KeyUpdateMessage.TryParse(new byte[] { 0, 0 }, out _));
    }

    [Fact]
    public void Alpn_and_server_name_codecs_reject_empty_and_malformed_lists()
    {
        Assert.True(ExtensionCodecs.TryDecodeAlpn(ExtensionCodecs.EncodeAlpn(new[] { "h2", "http/1.1" }), out var protocols));
        Assert.Equal(new[] { "h2", "http/1.1" }, protocols);
        Assert.False(ExtensionCodecs.TryDecodeAlpn(new byte[] { 0, 0 }, out _));
        Assert.False(ExtensionCodecs.TryDecodeAlpn(new byte[] { 0, 1, 0 }, out _));
        Assert.True(ExtensionCodecs.TryDecodeServerName(ExtensionCodecs.EncodeServerName("example.com"), out string? name));
        Assert.Equal("example.com", name);
        Assert.False(ExtensionCodecs.TryDecodeServerName(new byte[] { 0, 3, 0, 0, 0 }, out _));
    }
}
