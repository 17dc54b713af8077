using TlsEngine.Handshake;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// The handshake states in datagram mode (RFC 9147, RFC 6347), run through a loopback channel that
/// carries TLS-form messages and records the keys each side installs.
/// </summary>
public class DatagramHandshakeTests
{
    private static readonly byte[] CookieKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static ClientConfig DtlsClient(TlsVersion min = TlsVersion.Tls13, TlsVersion max = TlsVersion.Tls13) =>
        OptionSnapshots.Client(Engines.Client()) with { Datagram = true, MinVersion = min, MaxVersion = max, MiddleboxCompatibility = true };

    private static ServerConfig DtlsServer(bool validate = true, TlsVersion min = TlsVersion.Tls12, TlsVersion max = TlsVersion.Tls13) =>
        OptionSnapshots.Server(Engines.Server()) with { Datagram = true, ValidatePeerAddress = validate, CookieKey = CookieKey, MinVersion = min, MaxVersion = max };

    private static TlsFailureException Refused(Action action, TlsFailureReason reason, TlsAlertDescription alert)
    {
        TlsFailureException failure = Assert.Throws<TlsFailureException>(action);
        Assert.Equal(reason, failure.Reason);
        Assert.Equal(alert, TlsFailureReasons.Alert(failure.Reason));
        return failure;
    }

    private static void AssertAgreedSecrets(LoopbackHandshake run)
    {
        Assert.True(run.Client.IsConnected);
        Assert.True(run.Server.IsConnected);
        foreach (ulong epoch in new[] { TrafficEpoch.Handshake, TrafficEpoch.Application })
        {
            Assert.Equal(run.ClientChannel.WriteSecrets[epoch], run.ServerChannel.ReadSecrets[epoch]);
            Assert.Equal(run.ServerChannel.WriteSecrets[epoch], run.ClientChannel.ReadSecrets[epoch]);
        }

        Assert.All(run.ClientChannel.LabelPrefixes.Concat(run.ServerChannel.LabelPrefixes), prefix => Assert.Equal("dtls13", prefix));
    }

    private static byte[] ReplaceExtension(byte[] message, ushort type, Func<byte[], byte[]> change, bool clientHello = true)
    {
        if (clientHello)
        {
            ClientHello hello = ClientHello.TryParse(message.AsSpan(4), datagram: true)!;
            int index = hello.Extensions.FindIndex(e => e.Type == type);
            hello.Extensions[index] = new Extension(type, change(hello.Extensions[index].Data));
            return hello.Encode();
        }

        ServerHello server = ServerHello.TryParse(message.AsSpan(4))!;
        int at = server.Extensions.FindIndex(e => e.Type == type);
        server.Extensions[at] = new Extension(type, change(server.Extensions[at].Data));
        return server.Encode();
    }

    [Fact]
    public void Dtls13_handshake_completes_with_dtls13_secrets_both_sides_agree_on()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer(validate: false));
        run.Run();

        AssertAgreedSecrets(run);
        Assert.Equal(TlsVersion.Tls13, run.ClientChannel.Version);
        Assert.Equal("dtls13", run.Client.RequireHkdf.LabelPrefix);
        // RFC 9147 §5: no middlebox compatibility mode, even when the option asks for it.
        Assert.Equal(0, run.ClientChannel.ChangeCipherSpecs);
        Assert.Equal(0, run.ServerChannel.ChangeCipherSpecs);
    }

    [Fact]
    public void Dtls13_client_hello_carries_the_cookie_field_and_dtls_versions()
    {
        using var run = new LoopbackHandshake(DtlsClient(min: TlsVersion.Tls12), DtlsServer(validate: false));
        byte[] wire = run.ClientChannel.Sent[0];

        Assert.Equal(new byte[] { 0xFE, 0xFD }, wire.AsSpan(4, 2).ToArray());
        Assert.Equal(0, wire[4 + 2 + 32]); // legacy_session_id: empty, no compatibility mode
        Assert.Equal(0, wire[4 + 2 + 32 + 1]); // legacy_cookie: empty
        ClientHello hello = ClientHello.TryParse(wire.AsSpan(4), datagram: true)!;
        Assert.Equal(new byte[] { 4, 0xFE, 0xFC, 0xFE, 0xFD }, hello.Find(ExtensionType.SupportedVersions)!.Data);
        Assert.Null(hello.Find(ExtensionType.EarlyData));

        run.Run();
        ServerHello serverHello = ServerHello.TryParse(run.ServerChannel.Sent[0].AsSpan(4))!;
        Assert.Equal(0xFEFD, serverHello.LegacyVersion);
        Assert.Equal(new byte[] { 0xFE, 0xFC }, serverHello.Find(ExtensionType.SupportedVersions)!.Data);
        AssertAgreedSecrets(run);
    }

    [Fact]
    public void Stateless_retry_with_cookie_completes_on_a_fresh_server_context()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer());
        run.StepServer();
        byte[] retry = run.ServerChannel.Sent.Single();
        Assert.True(ServerHello.TryParse(retry.AsSpan(4))!.IsHelloRetryRequest);
        Assert.False(run.ServerChannel.SentInTranscript.Single());

        // The server kept nothing: another connection with the same cookie key takes the second ClientHello.
        run.ConnectServer(DtlsServer());
        run.Run();

        AssertAgreedSecrets(run);
        Assert.True(run.Server.HelloRetryRequested);
        Assert.True(run.Client.HelloRetryRequested);
    }

    [Fact]
    public void Stateless_retry_for_a_missing_key_share_asks_for_the_group_and_completes()
    {
        ServerConfig server = DtlsServer(validate: false) with { Groups = new[] { TlsNamedGroup.Secp256r1 } };
        using var run = new LoopbackHandshake(DtlsClient(), server);
        run.StepServer();
        ServerHello retry = ServerHello.TryParse(run.ServerChannel.Sent.Single().AsSpan(4))!;
        Assert.Equal(new byte[] { 0x00, 0x17 }, retry.Find(ExtensionType.KeyShare)!.Data);
        Assert.NotNull(retry.Find(ExtensionType.Cookie));

        run.ConnectServer(server);
        run.Run();

        AssertAgreedSecrets(run);
        Assert.Equal(TlsNamedGroup.Secp256r1, run.Server.Group);
    }

    [Fact]
    public void Tampered_cookie_is_refused_with_illegal_parameter()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer());
        run.StepServer();
        run.ClientChannel.Tamper = message => ReplaceExtension(message, ExtensionType.Cookie, data =>
        {
            byte[] changed = (byte[])data.Clone();
            changed[changed.Length - 1] ^= 1;
            return changed;
        });
        run.StepClient();

        Refused(run.StepServer, TlsFailureReason.InvalidCookie, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Cookie_replayed_from_another_address_is_refused()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer());
        run.StepServer();
        run.ConnectServer(DtlsServer(), address: new byte[] { 198, 51, 100, 7, 0x12, 0x34 });
        run.StepClient();

        Refused(run.StepServer, TlsFailureReason.InvalidCookie, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Expired_cookie_is_refused()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer());
        run.StepServer();
        run.ConnectServer(DtlsServer() with { TimeProvider = new FixedTimeProvider(Engines.Now.AddMinutes(2)) });
        run.StepClient();

        Refused(run.StepServer, TlsFailureReason.InvalidCookie, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Cookie_from_a_server_with_another_key_is_refused()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer());
        run.StepServer();
        run.ConnectServer(DtlsServer() with { CookieKey = new byte[32] });
        run.StepClient();

        Refused(run.StepServer, TlsFailureReason.InvalidCookie, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Dtls_client_hello_offering_only_tls_versions_is_refused_with_protocol_version()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer(validate: false));
        run.ClientChannel.Sent.Clear();
        var other = new LoopbackHandshake(DtlsClient(), DtlsServer(validate: false));
        byte[] tlsVersions = ReplaceExtension(other.ClientChannel.Sent[0], ExtensionType.SupportedVersions, _ => new byte[] { 4, 0x03, 0x04, 0x03, 0x03 });
        other.Dispose();
        run.ServerChannel.TryTakeMessage(out _);
        run.ServerChannel.Deliver(tlsVersions);

        Refused(run.StepServer, TlsFailureReason.NoCommonVersion, TlsAlertDescription.ProtocolVersion);
    }

    [Fact]
    public void Datagram_server_refuses_a_tls_client_hello_as_undecodable()
    {
        ClientConfig tlsClient = OptionSnapshots.Client(Engines.Client());
        using var run = new LoopbackHandshake(tlsClient, DtlsServer(validate: false));

        Refused(run.StepServer, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
    }

    [Fact]
    public void Dtls_client_refuses_a_server_hello_selecting_the_tls13_number()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer(validate: false));
        bool first = true;
        run.ServerChannel.Tamper = message =>
        {
            if (!first)
            {
                return message;
            }

            first = false;
            return ReplaceExtension(message, ExtensionType.SupportedVersions, _ => new byte[] { 0x03, 0x04 }, clientHello: false);
        };
        run.StepServer();

        Refused(run.StepClient, TlsFailureReason.VersionNotOffered, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Dtls13_only_client_refuses_a_hello_verify_request()
    {
        using var run = new LoopbackHandshake(DtlsClient(), DtlsServer(validate: false));
        run.ClientChannel.Deliver(HelloVerifyRequest.Encode(HelloVerifyRequest.ServerVersion, new byte[] { 1, 2, 3 }));

        Refused(run.StepClient, TlsFailureReason.UnexpectedMessage, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Dtls13_server_refuses_a_client_hello_with_a_legacy_cookie()
    {
        // RFC 9147 §5.3: a DTLS 1.3 ClientHello with a non-empty legacy_cookie is aborted with illegal_parameter.
        using var run = new LoopbackHandshake(DtlsClient(min: TlsVersion.Tls12), DtlsServer(validate: false));
        Assert.True(run.ServerChannel.TryTakeMessage(out HandshakeMessage original));
        ClientHello hello = ClientHello.TryParse(original.Body, datagram: true)!;
        hello.Cookie = new byte[] { 1, 2, 3 };
        run.ServerChannel.Deliver(hello.Encode());

        Refused(run.StepServer, TlsFailureReason.InvalidCookie, TlsAlertDescription.IllegalParameter);
    }
}
