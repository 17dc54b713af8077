using System.Text;
using Xunit;

namespace TlsEngine.Tests.Adversary;

internal abstract partial class AdversaryPeer
{
    /// <summary>
    /// The engine failed for <paramref name="reason"/>, reported <paramref name="alert"/>, and put
    /// exactly that fatal alert on the wire as its last record (decrypted when it was protected).
    /// </summary>
    public void ExpectFailure(TlsFailureReason reason, TlsAlertDescription alert)
    {
        TlsStatus status = Settle();
        Assert.True(
            Describe(reason, alert, sent: true) == Actual(),
            $"expected {Describe(reason, alert, sent: true)}, got {Actual()}; {Context(status)}");
        Assert.Equal(TlsStatus.Failed, status);
        AssertAlertOnWire(alert);
    }

    /// <summary>The engine took the peer's fatal alert: failed, sent nothing back.</summary>
    public void ExpectPeerAlert(TlsAlertDescription alert) => ExpectSilentFailure(TlsFailureReason.PeerAlert, alert);

    /// <summary>A failure the peer caused by an alert of its own (close_notify, fatal alerts): no alert goes back.</summary>
    public void ExpectSilentFailure(TlsFailureReason reason, TlsAlertDescription alert)
    {
        TlsStatus status = Settle();
        Assert.True(
            Describe(reason, alert, sent: false) == Actual(),
            $"expected {Describe(reason, alert, sent: false)}, got {Actual()}; {Context(status)}");
        Assert.Equal(TlsStatus.Failed, status);
        Assert.True(!Wire.Alerts().Any(), $"the engine must not answer an alert with an alert; {Context(status)}");
    }

    /// <summary>The misbehaviour was tolerated: the handshake completed on both sides with no error.</summary>
    public void ExpectCompleted()
    {
        TlsStatus status = Settle();
        Assert.True(
            Engine.LastError == null && Engine.IsHandshakeComplete && HandshakeDone && status != TlsStatus.Failed,
            $"expected a completed handshake; {Context(status)}");
        Assert.True(!Wire.Alerts().Any(), $"the engine sent an alert; {Context(status)}");
    }

    /// <summary>Completed, and application data still flows both ways under the current keys.</summary>
    public void ExpectWorkingConnection()
    {
        ExpectCompleted();
        int before = EngineReceived.Count;
        Then(p => p.SendApplicationData("ping from the adversary"u8));
        Assert.True(
            Encoding.ASCII.GetString(EngineReceived.Skip(before).ToArray()) == "ping from the adversary",
            $"the engine did not read the adversary's data; {Context(LastStatus)}");
        int received = Wire.ApplicationData.Count;
        EngineWrite("pong from the engine"u8);
        Assert.True(
            Encoding.ASCII.GetString(Wire.ApplicationData.Skip(received).ToArray()) == "pong from the engine",
            $"the adversary could not read the engine's data; {Context(LastStatus)}");
    }

    /// <summary>The peer's close_notify after the handshake: Read reports Closed, no error.</summary>
    public void ExpectClosed()
    {
        TlsStatus status = Settle();
        Assert.True(Engine.LastError == null && Engine.IsPeerClosed && status == TlsStatus.Closed, $"expected Closed; {Context(status)}");
        Assert.True(!Wire.Alerts().Any(a => a.Level == 2), $"the engine sent a fatal alert; {Context(status)}");
    }

    private static string Describe(TlsFailureReason reason, TlsAlertDescription alert, bool sent) =>
        $"{reason}/{alert}/{(sent ? "sent" : "received")}";

    private string Actual() =>
        Engine.LastError is { } error ? Describe(error.Reason, error.Alert, error.AlertSent) : "no error";

    /// <summary>Delivers what is queued, lets the engine finish, and parses all it sent.</summary>
    private TlsStatus Settle()
    {
        Flush();
        TlsStatus status = Engine.IsHandshakeComplete && !EngineFailed ? LastStatus : Engine.DoHandshake();
        if (EngineFailed)
        {
            status = TlsStatus.Failed;
        }

        Wire.Append(Engine.Outbound.ReadAll());
        Wire.ParseAll();
        return status;
    }

    private void AssertAlertOnWire(TlsAlertDescription alert)
    {
        Assert.True(!Wire.Stuck && Wire.UnparsedBytes == 0, $"the engine's last {Wire.UnparsedBytes} bytes could not be read; {Context(TlsStatus.Failed)}");
        var alerts = Wire.Alerts().ToList();
        Assert.True(alerts.Count == 1, $"expected one alert on the wire, found {alerts.Count}; {Context(TlsStatus.Failed)}");
        Assert.Equal((2, (byte)alert), (alerts[0].Level, alerts[0].Description));
        Assert.Equal(21, Wire.Records[^1].Type);
    }

    private string Context(TlsStatus status) =>
        $"status {status}, error: {Engine.LastError?.ToString() ?? "none"}, adversary: {StopReason ?? (HandshakeDone ? "handshake done" : "script ended")}, "
        + $"wire: {string.Join(" ", Wire.Records.Select(r => $"{r.Type}{(r.WasProtected ? "*" : string.Empty)}:{r.Content.Length}"))}";
}
