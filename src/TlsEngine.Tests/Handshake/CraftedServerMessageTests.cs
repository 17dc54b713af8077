using TlsEngine;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// Hand-built plaintext ServerHello and HelloRetryRequest messages against a real client: each
/// breaks one RFC 8446 rule and must end with the exact alert.
/// </summary>
public class CraftedServerMessageTests
{
    private static readonly byte[] SupportedVersion13 = { 3, 4 };

    private static (TlsConnection Client, ClientHello Hello) StartClient(Action<TlsClientOptions>? configure = null)
    {
        TlsClientOptions options = Engines.Client();
        configure?.Invoke(options);
        var client = TlsConnection.CreateClient(options);
        client.Connect();
        byte[] record = client.Outbound.ReadAll();
        return (client, ClientHello.TryParse(record.AsSpan(9, ((record[3] << 8) | record[4]) - 4))!);
    }

    private static ServerHello RetryRequest(ClientHello hello, params Extension[] extensions) => new()
    {
        Random = ServerHello.HelloRetryRequestRandom,
        LegacySessionIdEcho = hello.LegacySessionId,
        CipherSuite = 0x1301,
        Extensions = extensions.ToList(),
    };

    private static ServerHello Hello(ClientHello hello, params Extension[] extensions) => new()
    {
        Random = new byte[32],
        LegacySessionIdEcho = hello.LegacySessionId,
        CipherSuite = 0x1301,
        Extensions = extensions.ToList(),
    };

    private static TlsStatus Deliver(TlsConnection client, ServerHello message)
    {
        byte[] encoded = message.Encode();
        client.Inbound.Write(Wire.Record(22, encoded));
        return client.Connect();
    }

    private static void AssertAlert(TlsConnection client, TlsStatus status, TlsAlertDescription alert)
    {
        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(alert, client.LastError!.Alert);
        Assert.Equal((byte)alert, Wire.PlaintextAlert(client.Outbound.ReadAll()));
    }

    [Fact]
    public void Client_rejects_hello_retry_request_that_changes_nothing()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            TlsStatus status = Deliver(client, RetryRequest(hello, new Extension(ExtensionType.SupportedVersions, SupportedVersion13)));
            AssertAlert(client, status, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Client_rejects_hello_retry_request_for_a_group_it_already_shared()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            TlsStatus status = Deliver(client, RetryRequest(hello, new Extension(ExtensionType.SupportedVersions, SupportedVersion13), new Extension(ExtensionType.KeyShare, new byte[] { 0, 0x1D })));
            AssertAlert(client, status, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Client_rejects_a_second_hello_retry_request_with_unexpected_message()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            var retry = RetryRequest(hello, new Extension(ExtensionType.SupportedVersions, SupportedVersion13), new Extension(ExtensionType.KeyShare, new byte[] { 0, 0x17 }));
            Assert.Equal(TlsStatus.WantWrite, Deliver(client, retry));
            client.Outbound.ReadAll();
            TlsStatus status = Deliver(client, RetryRequest(hello, new Extension(ExtensionType.SupportedVersions, SupportedVersion13), new Extension(ExtensionType.Cookie, new byte[] { 0, 1, 7 })));
            AssertAlert(client, status, TlsAlertDescription.UnexpectedMessage);
        }
    }

    [Fact]
    public void Client_rejects_server_hello_with_a_group_it_did_not_offer()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            byte[] share = new byte[] { 0, 0x18, 0, 97, 4 }.Concat(new byte[96]).ToArray();
            TlsStatus status = Deliver(client, Hello(hello, new Extension(ExtensionType.SupportedVersions, SupportedVersion13), new Extension(ExtensionType.KeyShare, share)));
            AssertAlert(client, status, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Client_rejects_server_hello_with_an_unsolicited_extension()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            TlsStatus status = Deliver(client, Hello(hello, new Extension(0x7777, new byte[] { 1 }), new Extension(ExtensionType.SupportedVersions, SupportedVersion13)));
            AssertAlert(client, status, TlsAlertDescription.UnsupportedExtension);
        }
    }

    [Fact]
    public void Client_rejects_server_hello_without_key_share_with_missing_extension()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            TlsStatus status = Deliver(client, Hello(hello, new Extension(ExtensionType.SupportedVersions, SupportedVersion13)));
            AssertAlert(client, status, TlsAlertDescription.MissingExtension);
        }
    }

    [Fact]
    public void Client_rejects_duplicate_extensions_in_server_hello()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            var versions = new Extension(ExtensionType.SupportedVersions, SupportedVersion13);
            TlsStatus status = Deliver(client, Hello(hello, versions, versions));
            AssertAlert(client, status, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Client_rejects_legacy_version_mischief_in_a_tls13_server_hello()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            ServerHello message = Hello(hello, new Extension(ExtensionType.SupportedVersions, SupportedVersion13));
            message.LegacyVersion = 0x0304;
            AssertAlert(client, Deliver(client, message), TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Client_rejects_server_hello_selecting_tls12_when_only_tls13_is_enabled()
    {
        (TlsConnection client, ClientHello hello) = StartClient(o => o.MinVersion = TlsVersion.Tls13);
        using (client)
        {
            ServerHello message = Hello(hello);
            message.CipherSuite = 0xC02B;
            AssertAlert(client, Deliver(client, message), TlsAlertDescription.ProtocolVersion);
        }
    }

    [Fact]
    public void Client_rejects_a_compression_method_in_server_hello()
    {
        (TlsConnection client, ClientHello hello) = StartClient();
        using (client)
        {
            ServerHello message = Hello(hello, new Extension(ExtensionType.SupportedVersions, SupportedVersion13));
            message.CompressionMethod = 1;
            AssertAlert(client, Deliver(client, message), TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Record_with_a_non_tls_version_is_a_decode_error()
    {
        (TlsConnection client, _) = StartClient();
        using (client)
        {
            client.Inbound.Write(new byte[] { 22, 2, 0, 0, 4, 2, 0, 0, 0 });
            AssertAlert(client, client.Connect(), TlsAlertDescription.DecodeError);
        }
    }

    [Fact]
    public void Server_rejects_application_data_under_handshake_keys_before_finished()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        using var server = TlsConnection.CreateServer(Engines.Server());
        client.Connect();
        server.Inbound.Write(client.Outbound.ReadAll());
        server.Accept();
        byte[] flight = server.Outbound.ReadAll();
        var records = Wire.Records(flight);
        int helloAndCcs = 5 + records[0].Payload.Length + 5 + records[1].Payload.Length;
        client.Inbound.Write(flight.AsSpan(0, helloAndCcs));
        Assert.Equal(TlsStatus.WantRead, client.Connect());
        client.WriteRawRecord(ContentType.ApplicationData, "too early"u8);
        server.Inbound.Write(client.Outbound.ReadAll());
        Assert.Equal(TlsStatus.Failed, server.Accept());
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, server.LastError!.Alert);
    }

    [Fact]
    public void Change_cipher_spec_after_the_handshake_is_unexpected()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        pair.Client.WriteRawRecord(ContentType.ChangeCipherSpec, new byte[] { 1 });
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Server.Read(new byte[8], out _));
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, pair.Server.LastError!.Alert);
    }

    [Fact]
    public void Second_change_cipher_spec_during_the_handshake_is_unexpected()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        using var server = TlsConnection.CreateServer(Engines.Server());
        client.Connect();
        server.Inbound.Write(client.Outbound.ReadAll());
        server.Accept();
        byte[] flight = server.Outbound.ReadAll();
        var records = Wire.Records(flight);
        int helloAndCcs = 5 + records[0].Payload.Length + 5 + records[1].Payload.Length;
        client.Inbound.Write(flight.AsSpan(0, helloAndCcs));
        client.Inbound.Write(new byte[] { 20, 3, 3, 0, 1, 1 });
        Assert.Equal(TlsStatus.Failed, client.Connect());
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, client.LastError!.Alert);
    }

    [Fact]
    public void Too_many_post_handshake_messages_without_data_hit_the_limit()
    {
        TlsClientOptions options = Engines.Client();
        options.MaxPostHandshakeMessagesWithoutData = 3;
        using TlsPair pair = Engines.Pair(options, Engines.Server());
        Assert.True(pair.Handshake());
        for (int i = 0; i < 4; i++)
        {
            pair.Server.RequestKeyUpdate(requestPeerUpdate: false);
        }

        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[8], out _));
        Assert.Equal(TlsErrorKind.Limit, pair.Client.LastError!.Kind);
    }

    [Fact]
    public void Every_length_field_corruption_of_a_client_hello_ends_cleanly()
    {
        using var probe = TlsConnection.CreateClient(Engines.Client());
        probe.Connect();
        byte[] record = probe.Outbound.ReadAll();
        for (int i = 3; i + 1 < record.Length; i++)
        {
            foreach (int delta in new[] { 1, -1 })
            {
                byte[] copy = (byte[])record.Clone();
                int value = ((copy[i] << 8) | copy[i + 1]) + delta;
                copy[i] = (byte)(value >> 8);
                copy[i + 1] = (byte)value;
                using var server = TlsConnection.CreateServer(Engines.Server());
                server.Inbound.Write(copy);
                TlsStatus status = server.Accept();
                Assert.Contains(status, new[] { TlsStatus.Failed, TlsStatus.WantRead, TlsStatus.WantWrite });
                Assert.True(server.LastError == null || server.LastError.Kind != TlsErrorKind.Internal, server.LastError?.Message);
            }
        }
    }
}
