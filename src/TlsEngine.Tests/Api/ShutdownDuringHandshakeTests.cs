using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>RFC 8446 §6.1: canceling a handshake is user_canceled then close_notify, and nothing follows a close_notify.</summary>
public class ShutdownDuringHandshakeTests
{
    [Fact]
    public void Shutdown_during_the_handshake_cancels_it_and_nothing_follows_the_close_notify()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.Client.Connect();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        pair.Server.Accept();
        pair.Client.Write("queued"u8, out _);

        Assert.Equal(TlsStatus.WantWrite, pair.Client.Shutdown());
        var records = Wire.Records(pair.Client.Outbound.ReadAll());
        Assert.Equal(new[] { (byte)TlsAlertDescription.UserCanceled, (byte)TlsAlertDescription.CloseNotify }, records.Select(r => r.Payload[1]));
        Assert.All(records, r => Assert.Equal(0x15, r.Type));
        Assert.Equal(TlsStatus.Ok, pair.Client.Shutdown());

        pair.Client.Inbound.Write(pair.Server.Outbound.ReadAll());
        Assert.Equal(TlsStatus.Failed, pair.Client.Connect());
        Assert.Equal(TlsFailureReason.HandshakeCanceled, pair.Client.LastError!.Reason);
        Assert.Equal(TlsErrorKind.Closed, pair.Client.LastError.Kind);
        Assert.Equal(0, pair.Client.Outbound.Length);
    }

    [Fact]
    public void Server_reading_a_plaintext_cancel_before_any_protected_record_reports_the_peer_closed()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.Client.Connect();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        pair.Server.Accept();
        pair.Server.Outbound.ReadAll();
        pair.Client.Shutdown();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        Assert.Equal(TlsStatus.Failed, pair.Server.Accept());
        Assert.Equal(TlsFailureReason.PeerClosedDuringHandshake, pair.Server.LastError!.Reason);
        Assert.False(pair.Server.LastError.AlertSent);
    }
}

