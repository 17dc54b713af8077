using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>Client and server engines against each other in memory, through TlsPair.</summary>
public class HandshakeBehaviourTests
{
    private static void Send(TlsPair pair, TlsConnection from, TlsConnection to, string text)
    {
        Assert.Equal(TlsStatus.Ok, from.Write(Encoding.UTF8.GetBytes(text), out int written));
        Assert.Equal(text.Length, written);
        while (pair.Pump())
        {
        }

        var buffer = new byte[text.Length + 100];
        Assert.Equal(TlsStatus.Ok, to.Read(buffer, out int read));
        Assert.Equal(text, Encoding.UTF8.GetString(buffer, 0, read));
    }

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("ecdsa-p384")]
    [InlineData("rsa2048")]
    [InlineData("ed25519")]
    public void Handshake_completes_for_each_server_key_type(string keyType)
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server(keyType));
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Send(pair, pair.Client, pair.Server, "ping");
        Send(pair, pair.Server, pair.Client, "pong");
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public void Server_preference_decides_the_cipher_suite(TlsCipherSuite suite)
    {
        TlsServerOptions server = Engines.Server();
        server.CipherSuites = new List<TlsCipherSuite> { suite };
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        Assert.True(pair.Handshake());
        Assert.Equal(suite, pair.Client.CipherSuite);
        Assert.Equal(suite, pair.Server.CipherSuite);
        Send(pair, pair.Client, pair.Server, "suite check");
    }

    [Theory]
    [InlineData(TlsNamedGroup.Secp256r1)]
    [InlineData(TlsNamedGroup.Secp384r1)]
    public void Server_sends_hello_retry_request_for_a_group_without_a_share(TlsNamedGroup group)
    {
        TlsServerOptions server = Engines.Server();
        server.Groups = new List<TlsNamedGroup> { group };
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.True(pair.Client.HelloRetryRequested);
        Assert.True(pair.Server.HelloRetryRequested);
        Assert.Equal(group, pair.Client.Group);
        Send(pair, pair.Client, pair.Server, "after retry");
    }

    [Fact]
    public void Handshake_completes_when_every_byte_arrives_alone()
    {
        TlsServerOptions server = Engines.Server();
        server.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 };
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        pair.ChunkSize = 1;
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Send(pair, pair.Client, pair.Server, "one byte at a time");
    }

    [Fact]
    public void Several_records_in_one_chunk_are_all_delivered()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        pair.Client.Write("first "u8, out _);
        pair.Client.Write("second "u8, out _);
        pair.Client.Write("third"u8, out _);
        pair.Pump();
        var text = new StringBuilder();
        var buffer = new byte[64];
        while (pair.Server.Read(buffer, out int read) == TlsStatus.Ok)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.Equal("first second third", text.ToString());
    }

    [Fact]
    public void Large_writes_are_fragmented_into_records_of_at_most_16_KiB()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        byte[] data = new byte[40000];
        new Random(7).NextBytes(data);
        int before = pair.ClientToServer.Count;
        Assert.Equal(TlsStatus.Ok, pair.Client.Write(data, out int written));
        Assert.Equal(data.Length, written);
        pair.Pump();
        var records = Wire.Records(pair.ClientToServer.Skip(before));
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.True(r.Payload.Length <= 16384 + 256));
        var received = new List<byte>();
        var buffer = new byte[5000];
        while (pair.Server.Read(buffer, out int read) == TlsStatus.Ok)
        {
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public void Alpn_is_agreed_from_the_servers_preference()
    {
        TlsClientOptions client = Engines.Client();
        client.ApplicationProtocols = new List<string> { "http/1.1", "h2" };
        TlsServerOptions server = Engines.Server();
        server.ApplicationProtocols = new List<string> { "h2", "http/1.1" };
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake());
        Assert.Equal("h2", pair.Client.ApplicationProtocol);
        Assert.Equal("h2", pair.Server.ApplicationProtocol);
    }

    [Fact]
    public void Server_refuses_client_without_common_alpn_with_no_application_protocol()
    {
        TlsClientOptions client = Engines.Client();
        client.ApplicationProtocols = new List<string> { "spdy/3" };
        TlsServerOptions server = Engines.Server();
        server.ApplicationProtocols = new List<string> { "h2" };
        using TlsPair pair = Engines.Pair(client, server);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.NoApplicationProtocol, pair.Server.LastError!.Alert);
        Assert.True(pair.Server.LastError.AlertSent);
        Assert.Equal(TlsErrorKind.PeerAlert, pair.Client.LastError!.Kind);
        Assert.Equal(TlsAlertDescription.NoApplicationProtocol, pair.Client.LastError.Alert);
    }

    [Fact]
    public void Sni_reaches_the_server()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(serverName: "api.test.example"), Engines.Server());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        Assert.Equal("api.test.example", pair.Server.ServerName);
    }

    [Fact]
    public void Ip_literal_is_verified_against_ip_san_and_not_sent_as_sni()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(serverName: "127.0.0.1"), Engines.Server());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        Assert.Null(pair.Server.ServerName);
    }

    [Fact]
    public void Key_update_in_both_directions_keeps_data_flowing()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        Assert.Equal(TlsStatus.WantWrite, pair.Client.RequestKeyUpdate(requestPeerUpdate: true));
        Send(pair, pair.Client, pair.Server, "client after its update");
        pair.Pump();
        Send(pair, pair.Server, pair.Client, "server after the requested update");
        pair.Server.RequestKeyUpdate(requestPeerUpdate: false);
        Send(pair, pair.Server, pair.Client, "server after its own update");
        Send(pair, pair.Client, pair.Server, "client still fine");
    }

    [Fact]
    public void Close_notify_gives_closed_to_the_peer()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        Assert.Equal(TlsStatus.WantWrite, pair.Client.Shutdown());
        pair.Pump();
        Assert.Equal(TlsStatus.Ok, pair.Client.Shutdown());
        Assert.Equal(TlsStatus.Closed, pair.Server.Read(new byte[10], out _));
        Assert.Equal(TlsStatus.WantWrite, pair.Server.Shutdown());
        pair.Pump();
        Assert.Equal(TlsStatus.Closed, pair.Client.Read(new byte[10], out _));
        Assert.Equal(TlsStatus.Closed, pair.Client.Shutdown());
    }

    [Fact]
    public void Exported_keying_material_is_equal_on_both_ends_and_label_bound()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        byte[] client = pair.Client.ExportKeyingMaterial("EXPORTER-test", "ctx"u8, 32);
        byte[] server = pair.Server.ExportKeyingMaterial("EXPORTER-test", "ctx"u8, 32);
        Assert.Equal(client, server);
        Assert.NotEqual(client, pair.Client.ExportKeyingMaterial("EXPORTER-other", "ctx"u8, 32));
    }

    [Fact]
    public void Calling_again_without_shuttling_returns_the_same_status()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        Assert.Equal(TlsStatus.WantWrite, client.Connect());
        Assert.Equal(TlsStatus.WantWrite, client.Connect());
        client.Outbound.ReadAll();
        Assert.Equal(TlsStatus.WantRead, client.Connect());
        Assert.Equal(TlsStatus.WantRead, client.Connect());
    }

    [Fact]
    public void Span_core_drives_a_handshake_without_touching_the_buffers()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        using var server = TlsConnection.CreateServer(Engines.Server());
        byte[] toServer = Array.Empty<byte>();
        byte[] toClient = Array.Empty<byte>();
        var output = new byte[65536];
        for (int i = 0; i < 20 && !(client.IsHandshakeComplete && server.IsHandshakeComplete); i++)
        {
            client.Process(toClient, output, out int consumed, out int written);
            Assert.Equal(toClient.Length, consumed);
            toServer = output[..written];
            server.Process(toServer, output, out consumed, out written);
            Assert.Equal(toServer.Length, consumed);
            toClient = output[..written];
        }

        Assert.True(client.IsHandshakeComplete && server.IsHandshakeComplete);
    }

    [Fact]
    public void Client_keeps_no_tickets_when_the_server_issues_none()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        Assert.Empty(pair.Client.SessionTickets);
    }

    [Fact]
    public void Role_misuse_throws()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        using var server = TlsConnection.CreateServer(Engines.Server());
        Assert.Throws<InvalidOperationException>(() => client.Accept());
        Assert.Throws<InvalidOperationException>(() => server.Connect());
        Assert.Throws<InvalidOperationException>(() => client.ExportKeyingMaterial("x", default, 16));
        Assert.Throws<ArgumentException>(() => TlsConnection.CreateServer(new TlsServerOptions()));
    }

    [Fact]
    public void Key_log_lines_are_in_nss_format()
    {
        var lines = new List<string>();
        TlsClientOptions client = Engines.Client();
        client.KeyLog = lines.Add;
        using TlsPair pair = Engines.Pair(client, Engines.Server());
        Assert.True(pair.Handshake());
        Assert.Contains(lines, l => l.StartsWith("CLIENT_HANDSHAKE_TRAFFIC_SECRET ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("SERVER_TRAFFIC_SECRET_0 ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Equal(3, l.Split(' ').Length));
    }
}
