using TlsEngine;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// Probes a conformance suite (tlsfuzzer-style) runs against a TLS 1.3 server, each with the
/// failure reason and the alert it must provoke, through the public API.
/// </summary>
public class ConformanceProbeTests
{
    private static byte[] Record(ContentType type, byte[] payload) =>
        new byte[] { (byte)type, 3, 3, (byte)(payload.Length >> 8), (byte)payload.Length }.Concat(payload).ToArray();

    private static ClientHello CapturedClientHello()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        client.Connect();
        byte[] record = client.Outbound.ReadAll();
        return ClientHello.TryParse(record.AsSpan(9))!;
    }

    /// <summary>The failing side's reason and alert, and the alert as a plaintext record on the wire.</summary>
    private static void AssertPlaintextAlert(TlsConnection connection, TlsStatus status, TlsFailureReason reason, TlsAlertDescription alert)
    {
        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(reason, connection.LastError!.Reason);
        Assert.Equal(alert, connection.LastError.Alert);
        Assert.True(connection.LastError.AlertSent);
        Assert.Equal((byte)alert, Wire.PlaintextAlert(connection.Outbound.ReadAll()));
    }

    /// <summary>The failing side's reason and alert; then the peer decrypts the alert it sent.</summary>
    private static void AssertProtectedAlert(TlsConnection failed, TlsConnection peer, TlsFailureReason reason, TlsAlertDescription alert)
    {
        Assert.Equal(reason, failed.LastError!.Reason);
        Assert.Equal(alert, failed.LastError.Alert);
        Assert.True(failed.LastError.AlertSent);
        if (peer.LastError == null)
        {
            peer.Inbound.Write(failed.Outbound.ReadAll());
            peer.Read(new byte[256], out _);
        }

        Assert.Equal(TlsErrorKind.PeerAlert, peer.LastError!.Kind);
        Assert.Equal(alert, peer.LastError.Alert);
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0103)]
    [InlineData(0x0200)]
    [InlineData(0x0300)]
    public void Server_refuses_a_client_hello_whose_legacy_version_is_ssl3_or_older(int legacyVersion)
    {
        // RFC 8446 Appendix D.5: even though supported_versions offers TLS 1.3.
        ClientHello hello = CapturedClientHello();
        hello.LegacyVersion = (ushort)legacyVersion;
        using var server = TlsConnection.CreateServer(Engines.Server());
        server.Inbound.Write(Record(ContentType.Handshake, hello.Encode()));
        AssertPlaintextAlert(server, server.Accept(), TlsFailureReason.ObsoleteLegacyVersion, TlsAlertDescription.ProtocolVersion);
    }

    [Theory]
    [InlineData(0x0301)]
    [InlineData(0x0302)]
    [InlineData(0x0303)]
    public void Server_completes_tls13_with_a_tls10_or_tls11_legacy_version_when_supported_versions_offers_tls13(int legacyVersion)
    {
        // RFC 8446 §4.2.1: with supported_versions, legacy_version is not used for version negotiation.
        using var probe = new ProbeClient();
        probe.Hello.LegacyVersion = (ushort)legacyVersion;
        using var server = TlsConnection.CreateServer(Engines.Server());
        Assert.Equal(TlsStatus.Ok, probe.Run(server));
        Assert.True(server.IsHandshakeComplete, server.LastError?.ToString());
        Assert.Equal(TlsVersion.Tls13, server.Version);
    }

    [Fact]
    public void Client_refuses_a_server_hello_whose_legacy_version_is_ssl3()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        client.Connect();
        byte[] record = client.Outbound.ReadAll();
        ClientHello hello = ClientHello.TryParse(record.AsSpan(9))!;
        var serverHello = new ServerHello
        {
            LegacyVersion = 0x0300,
            Random = new byte[32],
            LegacySessionIdEcho = hello.LegacySessionId,
            CipherSuite = 0x1301,
            Extensions = { new Extension(ExtensionType.SupportedVersions, new byte[] { 3, 4 }) },
        };
        client.Inbound.Write(Record(ContentType.Handshake, serverHello.Encode()));
        AssertPlaintextAlert(client, client.Connect(), TlsFailureReason.ObsoleteLegacyVersion, TlsAlertDescription.ProtocolVersion);
    }

    [Fact]
    public void Server_completes_a_handshake_with_a_131110_byte_client_hello()
    {
        using var probe = new ProbeClient();
        // Cipher suites and padding (RFC 7685) up to the size a conformance probe sends; both vectors stay within their bounds.
        probe.Hello.CipherSuites.AddRange(Enumerable.Range(0, 32766).Select(i => (ushort)(0x5A00 + (i % 0x0A00))));
        int bodyWithoutPadding = probe.Hello.Encode().Length - 4;
        probe.Hello.Extensions.Insert(0, new Extension(21, new byte[131110 - bodyWithoutPadding - 4]));
        Assert.Equal(131110, probe.Hello.Encode().Length - 4);
        using var server = TlsConnection.CreateServer(Engines.Server());
        Assert.Equal(TlsStatus.Ok, probe.Run(server));
        Assert.True(server.IsHandshakeComplete, server.LastError?.ToString());
    }

    [Fact]
    public void Server_completes_a_handshake_with_the_largest_legal_client_hello()
    {
        // Every vector at its maximum (RFC 8446 §4.1.2): 32-byte session id, 32767 suites, a 65535-byte extensions block.
        using var probe = new ProbeClient();
        probe.Hello.CipherSuites.AddRange(Enumerable.Range(0, 32766).Select(i => (ushort)(0x5A00 + (i % 0x0A00))));
        int blockWithoutPadding = probe.Hello.Extensions.Sum(e => 4 + e.Data.Length);
        probe.Hello.Extensions.Insert(0, new Extension(21, new byte[65535 - blockWithoutPadding - 4]));
        Assert.Equal(ClientHello.MaxBodyLength - 254, probe.Hello.Encode().Length - 4);
        using var server = TlsConnection.CreateServer(Engines.Server());
        Assert.Equal(TlsStatus.Ok, probe.Run(server));
        Assert.True(server.IsHandshakeComplete, server.LastError?.ToString());
    }

    [Fact]
    public void Server_accepts_a_client_hello_of_the_maximum_size_with_every_compression_method()
    {
        // TLS 1.2 allows a list of compression methods (with null among them), which fills the last vector to 255 bytes.
        ClientHello hello = CapturedClientHello();
        hello.Extensions.RemoveAll(e => e.Type == ExtensionType.SupportedVersions || e.Type == ExtensionType.KeyShare || e.Type == ExtensionType.PskKeyExchangeModes);
        hello.CompressionMethods = Enumerable.Range(0, 255).Select(i => (byte)i).ToArray();
        hello.CipherSuites.AddRange(Enumerable.Range(0, 32767 - hello.CipherSuites.Count).Select(i => (ushort)(0x5A00 + (i % 0x0A00))));
        int block = hello.Extensions.Sum(e => 4 + e.Data.Length);
        hello.Extensions.Insert(0, new Extension(21, new byte[65535 - block - 4]));
        byte[] encoded = hello.Encode();
        Assert.Equal(ClientHello.MaxBodyLength, encoded.Length - 4);
        using var server = TlsConnection.CreateServer(Engines.Server());
        TlsStatus status = TlsStatus.WantRead;
        for (int offset = 0; offset < encoded.Length; offset += 16384)
        {
            server.Inbound.Write(new byte[] { 22, 3, 1, (byte)(Math.Min(16384, encoded.Length - offset) >> 8), (byte)Math.Min(16384, encoded.Length - offset) });
            server.Inbound.Write(encoded.AsSpan(offset, Math.Min(16384, encoded.Length - offset)));
            status = server.Accept();
        }

        Assert.Null(server.LastError);
        Assert.Equal(TlsStatus.WantWrite, status);
        Assert.Equal(TlsVersion.Tls12, server.Version);
    }

    [Fact]
    public void A_host_can_still_set_a_lower_handshake_message_limit()
    {
        TlsServerOptions options = Engines.Server();
        options.MaxHandshakeMessageSize = 4096;
        ClientHello hello = CapturedClientHello();
        hello.Extensions.Insert(0, new Extension(21, new byte[5000]));
        byte[] encoded = hello.Encode();
        using var server = TlsConnection.CreateServer(options);
        server.Inbound.Write(new byte[] { 22, 3, 1, (byte)(encoded.Length >> 8), (byte)encoded.Length });
        server.Inbound.Write(encoded);
        AssertPlaintextAlert(server, server.Accept(), TlsFailureReason.HandshakeMessageTooLarge, TlsAlertDescription.IllegalParameter);
    }

    [Theory]
    [InlineData(false, new byte[] { 24, 0, 0, 0 })]
    [InlineData(true, new byte[] { 24, 0, 0, 0 })]
    [InlineData(false, new byte[] { 24, 0, 0, 2, 0, 0 })]
    [InlineData(true, new byte[] { 24, 0, 0, 2, 1, 0 })]
    public void Key_update_that_is_not_one_byte_gets_decode_error(bool fromClient, byte[] keyUpdate)
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        (TlsConnection sender, TlsConnection receiver) = fromClient ? (pair.Client, pair.Server) : (pair.Server, pair.Client);
        sender.WriteRawRecord(ContentType.Handshake, keyUpdate);
        receiver.Inbound.Write(sender.Outbound.ReadAll());
        Assert.Equal(TlsStatus.Failed, receiver.Read(new byte[64], out _));
        AssertProtectedAlert(receiver, sender, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Key_update_with_a_request_update_other_than_0_or_1_gets_illegal_parameter(bool fromClient)
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        (TlsConnection sender, TlsConnection receiver) = fromClient ? (pair.Client, pair.Server) : (pair.Server, pair.Client);
        sender.WriteRawRecord(ContentType.Handshake, new byte[] { 24, 0, 0, 1, 2 });
        receiver.Inbound.Write(sender.Outbound.ReadAll());
        Assert.Equal(TlsStatus.Failed, receiver.Read(new byte[64], out _));
        AssertProtectedAlert(receiver, sender, TlsFailureReason.InvalidKeyUpdate, TlsAlertDescription.IllegalParameter);
    }
}
