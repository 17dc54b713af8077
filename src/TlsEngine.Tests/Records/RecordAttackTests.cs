using TlsEngine;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Records;

/// <summary>
/// An on-path attacker injecting records, and a peer misusing alerts and change_cipher_spec: each
/// refused with the reason and the alert the peer actually receives (decrypted by the peer itself).
/// </summary>
public class RecordAttackTests
{
    private static readonly byte[] PlaintextCloseNotify = { 0x15, 3, 3, 0, 2, 1, 0 };

    private static TlsPair Connected(TlsVersion version = TlsVersion.Tls13) => Engines.Connected(version);

    /// <summary>The victim fails with the reason; the alert it sends is the one its peer reads off the wire.</summary>
    internal static void AssertRefused(TlsConnection victim, TlsConnection peer, TlsFailureReason reason, TlsAlertDescription alert)
    {
        Assert.Equal(TlsStatus.Failed, victim.Read(new byte[64], out _));
        Assert.Equal(reason, victim.LastError!.Reason);
        Assert.Equal(alert, victim.LastError.Alert);
        Assert.True(victim.LastError.AlertSent);
        peer.Inbound.Write(victim.Outbound.ReadAll());
        TlsStatus status = peer.IsHandshakeComplete ? peer.Read(new byte[64], out _) : peer.DoHandshake();
        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(TlsFailureReason.PeerAlert, peer.LastError!.Reason);
        Assert.Equal(alert, peer.LastError.Alert);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plaintext_close_notify_after_tls13_keys_is_refused_not_a_clean_close(bool victimIsServer)
    {
        using TlsPair pair = Connected();
        TlsConnection victim = victimIsServer ? pair.Server : pair.Client;
        victim.Inbound.Write(PlaintextCloseNotify);
        AssertRefused(victim, victimIsServer ? pair.Client : pair.Server, TlsFailureReason.UnprotectedRecordUnderKeys, TlsAlertDescription.UnexpectedMessage);
        Assert.False(victim.IsPeerClosed);
    }

    [Fact]
    public void Plaintext_key_update_after_tls13_keys_is_refused_and_keys_stay()
    {
        using TlsPair pair = Connected();
        pair.Client.Inbound.Write(new byte[] { 0x16, 3, 3, 0, 5, 24, 0, 0, 1, 0 });
        AssertRefused(pair.Client, pair.Server, TlsFailureReason.UnprotectedRecordUnderKeys, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Plaintext_close_notify_in_tls12_fails_authentication()
    {
        using TlsPair pair = Connected(TlsVersion.Tls12);
        pair.Client.Inbound.Write(PlaintextCloseNotify);
        AssertRefused(pair.Client, pair.Server, TlsFailureReason.BadRecordMac, TlsAlertDescription.BadRecordMac);
    }

    [Fact]
    public void Server_refuses_a_plaintext_finished_under_handshake_keys()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.Client.Connect();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        pair.Server.Accept();
        pair.Client.Inbound.Write(pair.Server.Outbound.ReadAll());
        pair.Client.Connect();
        Assert.True(pair.Client.IsHandshakeComplete);
        pair.Client.Outbound.ReadAll();
        byte[] finished = new byte[] { 0x16, 3, 3, 0, 36, 20, 0, 0, 32 }.Concat(new byte[32]).ToArray();
        pair.Server.Inbound.Write(finished);
        Assert.Equal(TlsStatus.Failed, pair.Server.Accept());
        Assert.Equal(TlsFailureReason.UnprotectedRecordUnderKeys, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, pair.Server.LastError.Alert);
    }

    [Fact]
    public void Change_cipher_spec_after_the_handshake_is_refused_in_tls13()
    {
        using TlsPair pair = Connected();
        pair.Client.Inbound.Write(new byte[] { 0x14, 3, 3, 0, 1, 1 });
        AssertRefused(pair.Client, pair.Server, TlsFailureReason.UnexpectedChangeCipherSpec, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Server_refuses_change_cipher_spec_before_any_client_hello()
    {
        using TlsConnection server = TlsConnection.CreateServer(Engines.Server());
        server.Inbound.Write(new byte[] { 0x14, 3, 3, 0, 1, 1 });
        Assert.Equal(TlsStatus.Failed, server.Accept());
        Assert.Equal(TlsFailureReason.UnexpectedChangeCipherSpec, server.LastError!.Reason);
        Assert.Equal((byte)TlsAlertDescription.UnexpectedMessage, Wire.PlaintextAlert(server.Outbound.ReadAll()));
    }

    [Theory]
    [InlineData(new byte[0], TlsFailureReason.EmptyRecord, TlsAlertDescription.UnexpectedMessage)]
    [InlineData(new byte[] { 2 }, TlsFailureReason.MalformedAlert, TlsAlertDescription.DecodeError)]
    [InlineData(new byte[] { 2, 40, 0 }, TlsFailureReason.MalformedAlert, TlsAlertDescription.DecodeError)]
    public void Server_refuses_an_alert_record_that_is_not_two_bytes(byte[] alert, TlsFailureReason reason, TlsAlertDescription expected)
    {
        using TlsConnection server = TlsConnection.CreateServer(Engines.Server());
        server.Inbound.Write(new byte[] { 0x15, 3, 3, 0, (byte)alert.Length }.Concat(alert).ToArray());
        Assert.Equal(TlsStatus.Failed, server.Accept());
        Assert.Equal(reason, server.LastError!.Reason);
        Assert.Equal((byte)expected, Wire.PlaintextAlert(server.Outbound.ReadAll()));
    }

    [Fact]
    public void Tls13_warning_level_alert_is_fatal_except_user_canceled()
    {
        using TlsPair pair = Connected();
        pair.Server.WriteRawRecord(ContentType.Alert, new byte[] { 1, 90 });
        pair.Server.WriteRawRecord(ContentType.Alert, new byte[] { 1, (byte)TlsAlertDescription.HandshakeFailure });
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[16], out _));
        Assert.Equal(TlsFailureReason.PeerAlert, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, pair.Client.LastError.Alert);
        Assert.False(pair.Client.LastError.AlertSent);
        Assert.Equal(0, pair.Client.Outbound.Length);
    }

    [Fact]
    public void Tls12_warning_alert_does_not_end_the_connection()
    {
        using TlsPair pair = Connected(TlsVersion.Tls12);
        pair.Server.WriteRawRecord(ContentType.Alert, new byte[] { 1, (byte)TlsAlertDescription.UnrecognizedName });
        pair.Server.Write("still here"u8, out _);
        pair.Pump();
        var buffer = new byte[64];
        Assert.Equal(TlsStatus.Ok, pair.Client.Read(buffer, out int read));
        Assert.Equal("still here"u8.ToArray(), buffer[..read]);
    }

    [Fact]
    public void Tls12_fatal_level_alert_ends_the_connection()
    {
        using TlsPair pair = Connected(TlsVersion.Tls12);
        pair.Server.WriteRawRecord(ContentType.Alert, new byte[] { 2, (byte)TlsAlertDescription.UnrecognizedName });
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[16], out _));
        Assert.Equal(TlsFailureReason.PeerAlert, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnrecognizedName, pair.Client.LastError.Alert);
    }

    [Fact]
    public void Tls12_bounds_warning_alerts_in_a_row()
    {
        using TlsPair pair = Connected(TlsVersion.Tls12);
        for (int i = 0; i < 4; i++)
        {
            pair.Server.WriteRawRecord(ContentType.Alert, new byte[] { 1, (byte)TlsAlertDescription.UnrecognizedName });
        }

        pair.Pump();
        Assert.Equal(TlsStatus.WantRead, pair.Client.Read(new byte[16], out _));
        pair.Server.WriteRawRecord(ContentType.Alert, new byte[] { 1, (byte)TlsAlertDescription.UnrecognizedName });
        pair.Pump();
        AssertRefused(pair.Client, pair.Server, TlsFailureReason.TooManyWarningAlerts, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Tls12_client_tolerates_a_warning_unrecognized_name_before_server_hello()
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = TlsVersion.Tls12;
        using TlsPair pair = Engines.Pair(client, Engines.Server());
        pair.Client.Connect();
        pair.Client.Inbound.Write(new byte[] { 0x15, 3, 3, 0, 2, 1, (byte)TlsAlertDescription.UnrecognizedName });
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
    }

    [Fact]
    public void Tls13_only_client_treats_a_warning_alert_before_server_hello_as_fatal()
    {
        TlsClientOptions client = Engines.Client();
        client.MinVersion = TlsVersion.Tls13;
        using TlsConnection connection = TlsConnection.CreateClient(client);
        connection.Connect();
        connection.Outbound.ReadAll();
        connection.Inbound.Write(new byte[] { 0x15, 3, 3, 0, 2, 1, (byte)TlsAlertDescription.UnrecognizedName });
        Assert.Equal(TlsStatus.Failed, connection.Connect());
        Assert.Equal(TlsFailureReason.PeerAlert, connection.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnrecognizedName, connection.LastError.Alert);
    }

    [Fact]
    public void Plaintext_alert_is_refused_once_a_record_has_opened_under_the_handshake_keys()
    {
        TlsServerOptions server = Engines.Server();
        server.ClientCertificateMode = TlsClientCertificateMode.Request;
        server.ClientCertificateTrustAnchors = TestPki.Roots;
        var keyLog = new List<string>();
        TlsClientOptions client = Engines.Client();
        client.KeyLog = keyLog.Add;
        using TlsPair pair = Engines.Pair(client, server);
        pair.Client.Connect();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        pair.Server.Accept();
        pair.Client.Inbound.Write(pair.Server.Outbound.ReadAll());
        pair.Client.Connect();
        // The client's empty Certificate, alone in a record, opens under the handshake key; a plaintext alert may not follow.
        byte[] secret = ProtectedWire.Secret(keyLog, "CLIENT_HANDSHAKE_TRAFFIC_SECRET");
        byte[] flight = ProtectedWire.Open(pair.Client.Outbound.ReadAll(), secret)[0].Plaintext;
        Assert.Equal(11, flight[0]);
        int certificateLength = 4 + ((flight[1] << 16) | (flight[2] << 8) | flight[3]);
        pair.Server.Inbound.Write(ProtectedWire.SealHandshake(secret, flight[..certificateLength]));
        pair.Server.Inbound.Write(new byte[] { 0x15, 3, 3, 0, 2, 2, (byte)TlsAlertDescription.HandshakeFailure });
        Assert.Equal(TlsStatus.Failed, pair.Server.Accept());
        Assert.Equal(TlsFailureReason.UnprotectedRecordUnderKeys, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, pair.Server.LastError.Alert);
    }
}
