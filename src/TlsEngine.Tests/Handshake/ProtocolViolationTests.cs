using TlsEngine;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>Crafted peer bytes that break an RFC 8446 rule, each with the exact alert expected.</summary>
public class ProtocolViolationTests
{
    private static byte[] Record(ContentType type, byte[] payload) => Wire.Record((byte)type, payload);

    /// <summary>The ClientHello the engine's client sends, parsed for editing.</summary>
    private static ClientHello CapturedClientHello()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        client.Connect();
        byte[] record = client.Outbound.ReadAll();
        return ClientHello.TryParse(record.AsSpan(9))!;
    }

    private static TlsConnection FeedServer(byte[] bytes, TlsServerOptions? options = null)
    {
        var server = TlsConnection.CreateServer(options ?? Engines.Server());
        server.Inbound.Write(bytes);
        server.Accept();
        return server;
    }

    private static void AssertFails(TlsConnection connection, TlsAlertDescription alert)
    {
        Assert.Equal(TlsStatus.Failed, connection.DoHandshake());
        Assert.NotNull(connection.LastError);
        Assert.Equal(alert, connection.LastError!.Alert);
        Assert.True(connection.LastError.AlertSent);
        byte[] sent = connection.Outbound.ReadAll();
        // Before keys exist the alert is readable on the wire.
        if (!connection.IsServer || sent.Length == 7)
        {
            Assert.Equal((byte)alert, Wire.PlaintextAlert(sent));
        }
    }

    private static TlsConnection ServerGets(ClientHello hello) => FeedServer(Record(ContentType.Handshake, hello.Encode()));

    [Fact]
    public void Server_rejects_record_longer_than_2_pow_14_with_record_overflow()
    {
        using TlsConnection server = FeedServer(new byte[] { 22, 3, 1, 0x40, 0x01 });
        AssertFails(server, TlsAlertDescription.RecordOverflow);
    }

    [Fact]
    public void Server_rejects_unknown_content_type_with_unexpected_message()
    {
        using TlsConnection server = FeedServer(new byte[] { 99, 3, 3, 0, 1, 0 });
        AssertFails(server, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Server_rejects_application_data_before_the_handshake()
    {
        using TlsConnection server = FeedServer(Record(ContentType.ApplicationData, new byte[] { 1, 2, 3 }));
        AssertFails(server, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Server_rejects_zero_length_handshake_fragment()
    {
        using TlsConnection server = FeedServer(Record(ContentType.Handshake, Array.Empty<byte>()));
        AssertFails(server, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Server_rejects_alert_interleaved_in_a_fragmented_handshake_message()
    {
        byte[] hello = CapturedClientHello().Encode();
        byte[] bytes = Record(ContentType.Handshake, hello[..10]).Concat(Record(ContentType.Alert, new byte[] { 1, 0 })).ToArray();
        using TlsConnection server = FeedServer(bytes);
        AssertFails(server, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Server_rejects_finished_as_first_message_with_unexpected_message()
    {
        using TlsConnection server = FeedServer(Record(ContentType.Handshake, new byte[] { 20, 0, 0, 32 }.Concat(new byte[32]).ToArray()));
        AssertFails(server, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Server_rejects_truncated_client_hello_body_with_decode_error()
    {
        byte[] hello = CapturedClientHello().Encode();
        int bodyLength = hello.Length - 4 - 7;
        byte[] cut = new byte[] { 1, (byte)(bodyLength >> 16), (byte)(bodyLength >> 8), (byte)bodyLength }.Concat(hello[4..^7]).ToArray();
        using TlsConnection server = FeedServer(Record(ContentType.Handshake, cut));
        AssertFails(server, TlsAlertDescription.DecodeError);
    }

    [Fact]
    public void Server_rejects_oversized_handshake_message_before_buffering_it()
    {
        using TlsConnection server = FeedServer(Record(ContentType.Handshake, new byte[] { 1, 0x7F, 0xFF, 0xFF }));
        AssertFails(server, TlsAlertDescription.IllegalParameter);
        Assert.Equal(TlsErrorKind.Limit, server.LastError!.Kind);
    }

    [Fact]
    public void Tls13_only_server_rejects_client_hello_without_tls13_with_protocol_version()
    {
        ClientHello hello = CapturedClientHello();
        hello.Extensions.RemoveAll(e => e.Type == ExtensionType.SupportedVersions);
        TlsServerOptions options = Engines.Server();
        options.MinVersion = TlsVersion.Tls13;
        using TlsConnection server = FeedServer(Record(ContentType.Handshake, hello.Encode()), options);
        AssertFails(server, TlsAlertDescription.ProtocolVersion);
    }

    [Fact]
    public void Server_rejects_duplicate_extensions_with_illegal_parameter()
    {
        ClientHello hello = CapturedClientHello();
        hello.Extensions.Insert(0, hello.Extensions.First(e => e.Type == ExtensionType.SupportedGroups));
        using TlsConnection server = ServerGets(hello);
        AssertFails(server, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Server_rejects_compression_in_a_tls13_hello_with_illegal_parameter()
    {
        ClientHello hello = CapturedClientHello();
        hello.CompressionMethods = new byte[] { 1, 0 };
        using TlsConnection server = ServerGets(hello);
        AssertFails(server, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Server_rejects_client_hello_without_key_share_with_missing_extension()
    {
        ClientHello hello = CapturedClientHello();
        hello.Extensions.RemoveAll(e => e.Type == ExtensionType.KeyShare);
        using TlsConnection server = ServerGets(hello);
        AssertFails(server, TlsAlertDescription.MissingExtension);
    }

    [Fact]
    public void Server_rejects_client_with_no_common_suite_with_handshake_failure()
    {
        ClientHello hello = CapturedClientHello();
        hello.CipherSuites = new List<ushort> { 0xC02F };
        using TlsConnection server = ServerGets(hello);
        AssertFails(server, TlsAlertDescription.HandshakeFailure);
        Assert.Equal(TlsErrorKind.Negotiation, server.LastError!.Kind);
    }

    [Fact]
    public void Server_rejects_invalid_x25519_share_with_illegal_parameter()
    {
        ClientHello hello = CapturedClientHello();
        int index = hello.Extensions.FindIndex(e => e.Type == ExtensionType.KeyShare);
        hello.Extensions[index] = new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeClientKeyShares(new[] { new KeyShareEntry(0x001D, new byte[32]) }));
        using TlsConnection server = ServerGets(hello);
        AssertFails(server, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Client_rejects_server_hello_with_unoffered_suite()
    {
        TlsClientOptions options = Engines.Client();
        options.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256 };
        using TlsPair pair = Engines.Pair(options, Engines.Server());
        pair.Tamper = (fromClient, chunk) =>
        {
            if (!fromClient && chunk[0] == 22 && chunk[5] == 2)
            {
                chunk[76] = 0x13;
                chunk[77] = 0x02;
            }

            return chunk;
        };
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.IllegalParameter, pair.Client.LastError!.Alert);
    }

    [Fact]
    public void Client_rejects_change_cipher_spec_with_wrong_payload()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.Client.Connect();
        pair.Pump();
        pair.Server.Accept();
        byte[] flight = pair.Server.Outbound.ReadAll();
        var records = Wire.Records(flight);
        Assert.Equal((byte)ContentType.ChangeCipherSpec, records[1].Type);
        int ccsOffset = 5 + records[0].Payload.Length;
        flight[ccsOffset + 5] = 2;
        pair.Client.Inbound.Write(flight);
        Assert.Equal(TlsStatus.Failed, pair.Client.Connect());
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, pair.Client.LastError!.Alert);
    }

    [Fact]
    public void Peer_close_during_handshake_is_a_failure_of_kind_closed()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        client.Connect();
        client.Inbound.Write(Record(ContentType.Alert, new byte[] { 1, 0 }));
        Assert.Equal(TlsStatus.Failed, client.Connect());
        Assert.Equal(TlsErrorKind.Closed, client.LastError!.Kind);
    }

    [Fact]
    public void Fatal_alert_from_peer_is_reported_as_peer_alert()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        client.Connect();
        client.Outbound.ReadAll();
        client.Inbound.Write(Record(ContentType.Alert, new byte[] { 2, 40 }));
        Assert.Equal(TlsStatus.Failed, client.Connect());
        Assert.Equal(TlsErrorKind.PeerAlert, client.LastError!.Kind);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, client.LastError.Alert);
        Assert.Equal(0, client.Outbound.Length);
    }
}
