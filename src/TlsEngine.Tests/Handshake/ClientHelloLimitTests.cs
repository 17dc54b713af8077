using TlsEngine;
using TlsEngine.Handshake.Client;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// Everything a ClientHello can carry fits its 2^16-1-byte extension block: the options at their
/// limits, the largest ticket offered and the largest cookie echoed. What would not fit is refused
/// at creation (options) or dropped (tickets) or ends in a typed failure (cookies), never wrapped.
/// </summary>
public class ClientHelloLimitTests
{
    private static readonly string LongestName = string.Join(".", Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);

    private static TlsClientOptions Maximal(TlsSessionCache cache)
    {
        TlsClientOptions options = Engines.Client(serverName: LongestName);
        options.Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1, TlsNamedGroup.Secp384r1 };
        options.KeyShareGroups = new List<TlsNamedGroup>(options.Groups);
        options.SignatureSchemes = Enum.GetValues<TlsSignatureScheme>().ToList();
        options.CipherSuites = Enum.GetValues<TlsCipherSuite>().ToList();
        options.SessionCache = cache;
        options.EarlyData = new byte[100];
        // Fill the ALPN list up to what the options allow.
        int room = ClientHelloFlight.MaxAlpnExtensionLength - 6;
        var names = new List<string>();
        for (int i = 0; room > 0; i++)
        {
            int length = Math.Min(255, room - 1);
            if (length < 6)
            {
                break;
            }

            names.Add(i.ToString("D5") + new string('p', length - 5));
            room -= length + 1;
        }

        options.ApplicationProtocols = names;
        return options;
    }

    private static TlsSessionCache CacheWithTicket(int ticketLength, string name)
    {
        var cache = new TlsSessionCache();
        // Made under the checks of an ordinary test client, as the clients here are.
        cache.Add(name, new TlsSessionTicket(new byte[ticketLength], 7200, 0, new byte[32], TlsCipherSuite.TLS_AES_128_GCM_SHA256, name, Engines.Now, 1 << 20)
        {
            VerifiedUnder = TlsSessionTicket.VerificationOf(Engines.Client()),
        });
        return cache;
    }

    /// <summary>Joins the handshake records in <paramref name="wire"/> and parses the ClientHello they carry.</summary>
    private static ClientHello ParseClientHello(byte[] wire)
    {
        byte[] handshake = Wire.Records(wire).Where(r => r.Type == 22).SelectMany(r => r.Payload).ToArray();
        Assert.Equal(HandshakeType.ClientHello, handshake[0]);
        int length = (handshake[1] << 16) | (handshake[2] << 8) | handshake[3];
        return ClientHello.TryParse(handshake.AsSpan(4, length)) ?? throw new Xunit.Sdk.XunitException("The ClientHello does not parse.");
    }

    private static TlsStatus DeliverRetryWithCookie(TlsConnection client, ClientHello hello, int cookieLength)
    {
        var retry = new ServerHello
        {
            Random = ServerHello.HelloRetryRequestRandom,
            LegacySessionIdEcho = hello.LegacySessionId,
            CipherSuite = 0x1301,
            Extensions =
            {
                new Extension(ExtensionType.SupportedVersions, new byte[] { 3, 4 }),
                new Extension(ExtensionType.Cookie, ExtensionCodecs.EncodeCookie(new byte[cookieLength])),
            },
        };
        byte[] encoded = retry.Encode();
        for (int offset = 0; offset < encoded.Length; offset += 16384)
        {
            int take = Math.Min(16384, encoded.Length - offset);
            client.Inbound.Write(new byte[] { 22, 3, 3, (byte)(take >> 8), (byte)take });
            client.Inbound.Write(encoded.AsSpan(offset, take));
        }

        return client.Connect();
    }

    [Fact]
    public void Client_hello_with_every_option_at_its_limit_the_largest_ticket_and_cookie_encodes()
    {
        TlsClientOptions options = Maximal(CacheWithTicket(ClientHelloFlight.MaxOfferedTicketLength, LongestName));
        using var client = TlsConnection.CreateClient(options);
        Assert.Equal(TlsStatus.WantWrite, client.Connect());
        ClientHello first = ParseClientHello(client.Outbound.ReadAll());
        Assert.NotNull(first.Find(ExtensionType.PreSharedKey));
        Assert.NotNull(first.Find(ExtensionType.EarlyData));
        Assert.Equal(options.ApplicationProtocols.Sum(n => n.Length + 1) + 2, first.Find(ExtensionType.Alpn)!.Data.Length);

        Assert.Equal(TlsStatus.WantWrite, DeliverRetryWithCookie(client, first, ClientHelloFlight.MaxEchoedCookieLength));
        ClientHello second = ParseClientHello(client.Outbound.ReadAll());
        Assert.Equal(ClientHelloFlight.MaxEchoedCookieLength + 2, second.Find(ExtensionType.Cookie)!.Data.Length);
        Assert.NotNull(second.Find(ExtensionType.PreSharedKey));
        int extensions = second.Extensions.Sum(e => 4 + e.Data.Length);
        Assert.True(extensions <= 0xFFFF, $"{extensions} bytes of extensions");
    }

    [Fact]
    public void Client_refuses_a_cookie_larger_than_it_echoes_with_a_limit_failure()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        client.Connect();
        ClientHello hello = ParseClientHello(client.Outbound.ReadAll());
        TlsStatus status = DeliverRetryWithCookie(client, hello, ClientHelloFlight.MaxEchoedCookieLength + 1);
        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(TlsFailureReason.LimitExceeded, client.LastError!.Reason);
        Assert.Equal((byte)client.LastError.Alert, Wire.PlaintextAlert(client.Outbound.ReadAll()));
    }

    [Fact]
    public void Client_does_not_offer_a_ticket_too_large_to_fit()
    {
        TlsClientOptions options = Engines.Client();
        options.SessionCache = CacheWithTicket(ClientHelloFlight.MaxOfferedTicketLength + 1, "localhost");
        using var client = TlsConnection.CreateClient(options);
        Assert.Equal(TlsStatus.WantWrite, client.Connect());
        Assert.Null(ParseClientHello(client.Outbound.ReadAll()).Find(ExtensionType.PreSharedKey));
    }

    [Fact]
    public void Server_refuses_sni_longer_than_255_bytes_with_decode_error()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        client.Connect();
        ClientHello hello = ParseClientHello(client.Outbound.ReadAll());
        hello.Extensions.RemoveAll(e => e.Type == ExtensionType.ServerName);
        hello.Extensions.Insert(0, new Extension(ExtensionType.ServerName, ExtensionCodecs.EncodeServerName(new string('a', 300))));
        byte[] encoded = hello.Encode();
        TlsServerOptions serverOptions = Engines.Server();
        serverOptions.SessionTicketKeys = new TlsSessionTicketKeys();
        using var server = TlsConnection.CreateServer(serverOptions);
        server.Inbound.Write(new byte[] { 22, 3, 1, (byte)(encoded.Length >> 8), (byte)encoded.Length });
        server.Inbound.Write(encoded);
        Assert.Equal(TlsStatus.Failed, server.Accept());
        Assert.Equal(TlsFailureReason.MalformedMessage, server.LastError!.Reason);
        Assert.Equal((byte)TlsAlertDescription.DecodeError, Wire.PlaintextAlert(server.Outbound.ReadAll()));
    }

    [Fact]
    public void Server_leaves_out_alpn_names_that_are_not_utf8()
    {
        TlsClientOptions clientOptions = Engines.Client();
        clientOptions.ApplicationProtocols = new List<string> { "h2" };
        using var client = TlsConnection.CreateClient(clientOptions);
        client.Connect();
        ClientHello hello = ParseClientHello(client.Outbound.ReadAll());
        // 255 bytes of 0xFF: as a replacement-character string it would re-encode to 765 bytes.
        byte[] list = new byte[] { 0, 0, 255 }.Concat(Enumerable.Repeat((byte)0xFF, 255)).Concat(new byte[] { 2, (byte)'h', (byte)'2' }).ToArray();
        list[0] = (byte)((list.Length - 2) >> 8);
        list[1] = (byte)(list.Length - 2);
        hello.Extensions.RemoveAll(e => e.Type == ExtensionType.Alpn);
        hello.Extensions.Insert(0, new Extension(ExtensionType.Alpn, list));
        byte[] encoded = hello.Encode();
        TlsServerOptions serverOptions = Engines.Server();
        IReadOnlyList<string>? seen = null;
        serverOptions.ApplicationProtocolSelector = offered => { seen = offered; return offered[0]; };
        using var server = TlsConnection.CreateServer(serverOptions);
        server.Inbound.Write(new byte[] { 22, 3, 1, (byte)(encoded.Length >> 8), (byte)encoded.Length });
        server.Inbound.Write(encoded);
        Assert.Equal(TlsStatus.WantWrite, server.Accept());
        Assert.Equal(new[] { "h2" }, seen);
        Assert.Equal("h2", server.ApplicationProtocol);
    }
}
