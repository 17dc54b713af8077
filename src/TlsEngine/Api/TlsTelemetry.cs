using System.Diagnostics;
#if NET8_0_OR_GREATER
using System.Collections.Generic;
using System.Diagnostics.Metrics;
#endif

namespace TlsEngine;

/// <summary>
/// Handshake telemetry: the <see cref="TlsEventSource"/> on every target and, on net8.0, the
/// "TlsEngine" <c>System.Diagnostics.Metrics</c> meter that <c>dotnet-counters</c> shows. A connection
/// asks <see cref="Enabled"/> first, so nobody listening costs one check per handshake event.
/// Timing uses <see cref="Stopwatch"/>, never the injected clock or randomness: observing a
/// connection cannot change its transcript.
/// </summary>
internal static class TlsTelemetry
{
    public const string MeterName = "TlsEngine";

#if NET8_0_OR_GREATER
    private static readonly Meter Meter = new(MeterName, "0.1.0");
    private static readonly Counter<long> Started = Meter.CreateCounter<long>("tlsengine.handshakes.started", "{handshake}", "Handshakes started");
    private static readonly Counter<long> Completed = Meter.CreateCounter<long>("tlsengine.handshakes.completed", "{handshake}", "Handshakes completed");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("tlsengine.handshakes.failed", "{handshake}", "Handshakes failed, by reason and alert");
    private static readonly Counter<long> Resumed = Meter.CreateCounter<long>("tlsengine.handshakes.resumed", "{handshake}", "Handshakes that resumed a session");
    private static readonly Counter<long> EarlyDataAccepted = Meter.CreateCounter<long>("tlsengine.early_data.accepted", "{handshake}", "Handshakes whose 0-RTT data the server accepted");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("tlsengine.handshake.duration", "s", "Handshake duration, from the first Connect/Accept to completion");

    public static bool Enabled => TlsEventSource.Log.IsEnabled() || Started.Enabled || Completed.Enabled || Failed.Enabled
        || Resumed.Enabled || EarlyDataAccepted.Enabled || Duration.Enabled;
#else
    public static bool Enabled => TlsEventSource.Log.IsEnabled();
#endif

    public static long Timestamp() => Stopwatch.GetTimestamp();

    public static void HandshakeStarted(bool isServer)
    {
        string role = Role(isServer);
        TlsEventSource.Log.HandshakeStart(role);
#if NET8_0_OR_GREATER
        Started.Add(1, new KeyValuePair<string, object?>("tls.role", role));
#endif
    }

    public static void HandshakeCompleted(bool isServer, TlsVersion? version, bool resumed, TlsEarlyDataStatus earlyData, long startTimestamp)
    {
        string role = Role(isServer);
        double seconds = startTimestamp == 0 ? 0 : (Stopwatch.GetTimestamp() - startTimestamp) / (double)Stopwatch.Frequency;
        string versionName = version?.ToString() ?? "unknown";
        TlsEventSource.Log.HandshakeStop(role, versionName, resumed, earlyData.ToString(), seconds * 1000);
#if NET8_0_OR_GREATER
        var roleTag = new KeyValuePair<string, object?>("tls.role", role);
        var versionTag = new KeyValuePair<string, object?>("tls.protocol.version", versionName);
        Completed.Add(1, roleTag, versionTag);
        if (resumed)
        {
            Resumed.Add(1, roleTag, versionTag);
        }

        if (earlyData == TlsEarlyDataStatus.Accepted)
        {
            EarlyDataAccepted.Add(1, roleTag);
        }

        if (startTimestamp != 0)
        {
            Duration.Record(seconds, roleTag, versionTag, new KeyValuePair<string, object?>("tls.resumed", resumed));
        }
#endif
    }

    public static void HandshakeFailed(bool isServer, TlsFailureReason reason, TlsAlertDescription alert)
    {
        string role = Role(isServer);
        TlsEventSource.Log.HandshakeFailed(role, reason.ToString(), alert.ToString());
#if NET8_0_OR_GREATER
        Failed.Add(
            1,
            new KeyValuePair<string, object?>("tls.role", role),
            new KeyValuePair<string, object?>("tls.failure.reason", reason.ToString()),
            new KeyValuePair<string, object?>("tls.alert", alert.ToString()));
#endif
    }

    private static string Role(bool isServer) => isServer ? "server" : "client";
}
