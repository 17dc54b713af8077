using TlsEngine.Handshake;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>DTLS 1.2's HelloVerifyRequest (RFC 6347 §4.2.1): the codec and the stateless address check.</summary>
public class DatagramHelloVerifyTests
{
    private static ClientConfig Dtls12Client() =>
        OptionSnapshots.Client(Engines.Client()) with { Datagram = true, MinVersion = TlsVersion.Tls12, MaxVersion = TlsVersion.Tls12 };

    private static ServerConfig Dtls12Server() =>
        OptionSnapshots.Server(Engines.Server()) with { Datagram = true, CookieKey = new byte[32], MinVersion = TlsVersion.Tls12, MaxVersion = TlsVersion.Tls12 };

    [Fact]
    public void Hello_verify_request_round_trips_and_no_truncated_prefix_parses()
    {
        byte[] cookie = Enumerable.Range(0, 255).Select(i => (byte)i).ToArray();
        byte[] encoded = HelloVerifyRequest.Encode(0xFEFF, cookie);

        Assert.Equal(new byte[] { 3, 0, 1, 2, 0xFE, 0xFF, 255 }, encoded.AsSpan(0, 7).ToArray());
        Assert.True(HelloVerifyRequest.TryParse(encoded.AsSpan(4), out ushort version, out byte[] parsed));
        Assert.Equal(0xFEFF, version);
        Assert.Equal(cookie, parsed);
        for (int length = 0; length < encoded.Length - 4; length++)
        {
            Assert.False(HelloVerifyRequest.TryParse(encoded.AsSpan(4, length), out _, out _));
        }

        Assert.False(HelloVerifyRequest.TryParse(encoded.Concat(new byte[] { 0 }).ToArray().AsSpan(4), out _, out _));
        Assert.Throws<ArgumentException>(() => HelloVerifyRequest.Encode(0xFEFF, new byte[256]));
    }

    [Fact]
    public void Client_hello_datagram_form_round_trips_with_its_cookie()
    {
        var hello = new ClientHello { Datagram = true, LegacyVersion = 0xFEFD, Cookie = new byte[] { 9, 8, 7 }, CipherSuites = { 0xC02B } };
        byte[] encoded = hello.Encode();

        ClientHello parsed = ClientHello.TryParse(encoded.AsSpan(4), datagram: true)!;
        Assert.Equal(new byte[] { 9, 8, 7 }, parsed.Cookie);
        Assert.Equal(encoded, parsed.Encode());
        Assert.Null(ClientHello.TryParse(encoded.AsSpan(4, 2 + 32 + 1), datagram: true));
    }

    [Fact]
    public void Dtls12_handshake_goes_through_hello_verify_request_and_completes()
    {
        using var run = new LoopbackHandshake(Dtls12Client(), Dtls12Server());
        run.StepServer();
        byte[] verify = run.ServerChannel.Sent.Single();
        Assert.Equal(HandshakeType.HelloVerifyRequest, verify[0]);
        Assert.False(run.ServerChannel.SentInTranscript.Single());
        Assert.True(HelloVerifyRequest.TryParse(verify.AsSpan(4), out ushort version, out byte[] cookie));
        Assert.Equal(HelloVerifyRequest.ServerVersion, version);

        run.StepClient();
        ClientHello first = ClientHello.TryParse(run.ClientChannel.Sent[0].AsSpan(4), datagram: true)!;
        ClientHello second = ClientHello.TryParse(run.ClientChannel.Sent[1].AsSpan(4), datagram: true)!;
        Assert.Empty(first.Cookie);
        Assert.Equal(cookie, second.Cookie);
        Assert.Equal(first.Random, second.Random);

        // Both transcripts leave out the first ClientHello and the HelloVerifyRequest, or the Finished messages would not verify.
        run.Run();
        Assert.True(run.Client.IsConnected);
        Assert.True(run.Server.IsConnected);
        Assert.Equal(run.ClientChannel.WriteSecrets[1], run.ServerChannel.ReadSecrets[1]);
        Assert.Equal(0xFEFD, ServerHello.TryParse(run.ServerChannel.Sent[1].AsSpan(4))!.LegacyVersion);
    }

    [Fact]
    public void Second_client_hello_with_changed_parameters_gets_another_hello_verify_request()
    {
        using var run = new LoopbackHandshake(Dtls12Client(), Dtls12Server());
        run.StepServer();
        run.ClientChannel.Tamper = message =>
        {
            ClientHello hello = ClientHello.TryParse(message.AsSpan(4), datagram: true)!;
            hello.Random[0] ^= 1;
            return hello.Encode();
        };
        run.StepClient();
        run.StepServer();

        Assert.Equal(2, run.ServerChannel.Sent.Count);
        Assert.All(run.ServerChannel.Sent, message => Assert.Equal(HandshakeType.HelloVerifyRequest, message[0]));
        Assert.False(run.Server.IsConnected);
    }

    [Fact]
    public void Hello_verify_request_cookie_is_bound_to_the_address()
    {
        using var run = new LoopbackHandshake(Dtls12Client(), Dtls12Server());
        run.StepServer();
        run.ConnectServer(Dtls12Server(), address: new byte[] { 10, 0, 0, 1 });
        run.StepClient();
        run.StepServer();

        Assert.Equal(HandshakeType.HelloVerifyRequest, run.ServerChannel.Sent.Single()[0]);
    }

    [Fact]
    public void Client_refuses_a_second_hello_verify_request_with_unexpected_message()
    {
        // RFC 6347 §4.2.1: the client answers one HelloVerifyRequest; a server that keeps asking is not followed round a loop.
        using var run = new LoopbackHandshake(Dtls12Client(), Dtls12Server());
        run.StepServer();
        run.StepClient();
        run.ClientChannel.Deliver(HelloVerifyRequest.Encode(HelloVerifyRequest.ServerVersion, new byte[] { 1, 2, 3 }));

        TlsFailureException failure = Assert.Throws<TlsFailureException>(run.StepClient);
        Assert.Equal(TlsFailureReason.UnexpectedMessage, failure.Reason);
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, TlsFailureReasons.Alert(failure.Reason));
    }

    [Fact]
    public void Client_refuses_a_truncated_hello_verify_request_with_decode_error()
    {
        using var run = new LoopbackHandshake(Dtls12Client(), Dtls12Server());
        byte[] verify = HelloVerifyRequest.Encode(HelloVerifyRequest.ServerVersion, new byte[] { 1, 2, 3 });

        // The cookie's length byte promises three bytes; the body ends one short, and the header says so.
        byte[] truncated = verify[..^1];
        truncated[3]--;
        run.ClientChannel.Deliver(truncated);

        TlsFailureException failure = Assert.Throws<TlsFailureException>(run.StepClient);
        Assert.Equal(TlsFailureReason.MalformedMessage, failure.Reason);
        Assert.Equal(TlsAlertDescription.DecodeError, TlsFailureReasons.Alert(failure.Reason));
    }
}
