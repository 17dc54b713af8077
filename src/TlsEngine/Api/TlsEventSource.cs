using System.Diagnostics.Tracing;

namespace TlsEngine;

/// <summary>
/// The "TlsEngine" event source: one event when a handshake starts, completes or fails, for
/// <c>dotnet-trace</c>, PerfView or an in-process <see cref="EventListener"/>. Nothing is formatted
/// unless a listener enabled the source.
/// </summary>
[EventSource(Name = SourceName)]
internal sealed class TlsEventSource : EventSource
{
    public const string SourceName = "TlsEngine";

    public static readonly TlsEventSource Log = new();

    private TlsEventSource()
    {
    }

    /// <summary>A connection started its handshake.</summary>
    [Event(1, Level = EventLevel.Informational, Message = "{0} handshake started")]
    public void HandshakeStart(string role) => WriteEvent(1, role);

    /// <summary>A handshake completed.</summary>
    [Event(2, Level = EventLevel.Informational, Message = "{0} handshake completed: {1}, resumed {2}, early data {3}, {4} ms")]
    public void HandshakeStop(string role, string version, bool resumed, string earlyData, double durationMs) =>
        WriteEvent(2, role, version, resumed, earlyData, durationMs);

    /// <summary>A handshake failed: the reason and the alert sent or received.</summary>
    [Event(3, Level = EventLevel.Warning, Message = "{0} handshake failed: {1} ({2})")]
    public void HandshakeFailed(string role, string reason, string alert) => WriteEvent(3, role, reason, alert);
}
