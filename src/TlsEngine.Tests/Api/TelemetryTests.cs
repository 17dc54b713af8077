using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>Telemetry is process-wide: these tests run alone so no other test's handshakes are counted.</summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection
{
}

/// <summary>The "TlsEngine" meter and event source, seen through MeterListener and EventListener.</summary>
[Collection(nameof(TelemetryCollection))]
public class TelemetryTests
{
    [Fact]
    public void Meter_counts_both_ends_of_a_handshake_and_records_its_duration()
    {
        using var metrics = new Metrics();
        using (TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server()))
        {
            Assert.True(pair.Handshake());
        }

        Assert.Equal(2, metrics.Sum("tlsengine.handshakes.started"));
        Assert.Equal(1, metrics.Sum("tlsengine.handshakes.completed", ("tls.role", "client"), ("tls.protocol.version", "Tls13")));
        Assert.Equal(1, metrics.Sum("tlsengine.handshakes.completed", ("tls.role", "server")));
        Assert.Equal(0, metrics.Sum("tlsengine.handshakes.failed"));
        Assert.Equal(0, metrics.Sum("tlsengine.handshakes.resumed"));
        List<Metrics.Measurement> durations = metrics.Of("tlsengine.handshake.duration");
        Assert.Equal(2, durations.Count);
        Assert.All(durations, d => Assert.InRange(d.Value, 1e-7, 60));
    }

    [Fact]
    public void Meter_counts_a_failed_handshake_by_reason_and_alert_on_each_side()
    {
        using var metrics = new Metrics();
        using (TlsPair pair = Engines.Pair(Engines.Client(serverName: "wrong.example"), Engines.Server()))
        {
            Assert.False(pair.Handshake());
            Assert.Equal(TlsFailureReason.CertificateNameMismatch, pair.Client.LastError!.Reason);
        }

        Assert.Equal(1, metrics.Sum("tlsengine.handshakes.failed", ("tls.role", "client"), ("tls.failure.reason", "CertificateNameMismatch"), ("tls.alert", "BadCertificate")));
        Assert.Equal(1, metrics.Sum("tlsengine.handshakes.failed", ("tls.role", "server"), ("tls.failure.reason", "PeerAlert"), ("tls.alert", "BadCertificate")));
        Assert.Equal(0, metrics.Sum("tlsengine.handshakes.completed"));
        Assert.Empty(metrics.Of("tlsengine.handshake.duration"));
    }

    [Fact]
    public void Meter_counts_resumption_and_accepted_early_data()
    {
        var cache = new TlsSessionCache();
        var keys = new TlsSessionTicketKeys(TlsRandom.FromSeed(99), new FixedTimeProvider(Engines.Now));
        TlsPair Connect(ulong seed, byte[]? early)
        {
            TlsClientOptions client = Engines.Client(seed);
            client.SessionCache = cache;
            client.EarlyData = early;
            TlsServerOptions server = Engines.Server(seed: seed + 1000);
            server.SessionTicketKeys = keys;
            server.MaxEarlyDataSize = 4096;
            TlsPair pair = Engines.Pair(client, server);
            Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
            pair.Client.Read(new byte[16], out _);
            return pair;
        }

        using (Connect(1, null))
        {
        }

        using var metrics = new Metrics();
        using (TlsPair second = Connect(2, Encoding.ASCII.GetBytes("early")))
        {
            Assert.Equal(TlsEarlyDataStatus.Accepted, second.Server.EarlyDataStatus);
        }

        Assert.Equal(2, metrics.Sum("tlsengine.handshakes.resumed"));
        Assert.Equal(1, metrics.Sum("tlsengine.early_data.accepted", ("tls.role", "server")));
        Assert.Equal(1, metrics.Sum("tlsengine.early_data.accepted", ("tls.role", "client")));
    }

    [Fact]
    public void Shutdown_during_the_handshake_counts_as_a_canceled_handshake()
    {
        using var metrics = new Metrics();
        using TlsConnection client = TlsConnection.CreateClient(Engines.Client());
        Assert.Equal(TlsStatus.WantWrite, client.Connect());
        client.Shutdown();
        Assert.Equal(1, metrics.Sum("tlsengine.handshakes.failed", ("tls.failure.reason", "HandshakeCanceled"), ("tls.alert", "UserCanceled")));
    }

    [Fact]
    public void Event_source_reports_start_stop_and_failure()
    {
        using var events = new Events();
        using (TlsPair ok = Engines.Pair(Engines.Client(), Engines.Server()))
        {
            Assert.True(ok.Handshake());
        }

        using (TlsPair bad = Engines.Pair(Engines.Client(serverName: "wrong.example"), Engines.Server()))
        {
            Assert.False(bad.Handshake());
        }

        List<EventWrittenEventArgs> seen = events.Seen.ToList();
        Assert.Equal(4, seen.Count(e => e.EventName == "HandshakeStart"));
        EventWrittenEventArgs stop = Assert.Single(seen, e => e.EventName == "HandshakeStop" && (string)e.Payload![0]! == "client");
        Assert.Equal("Tls13", stop.Payload![1]);
        Assert.Equal(false, stop.Payload[2]);
        Assert.Single(seen, e => e.EventName == "HandshakeStop" && (string)e.Payload![0]! == "server");
        EventWrittenEventArgs failed = Assert.Single(seen, e => e.EventName == "HandshakeFailed" && (string)e.Payload![0]! == "client");
        Assert.Equal("CertificateNameMismatch", failed.Payload![1]);
        Assert.Equal("BadCertificate", failed.Payload[2]);
    }

    [Fact]
    public void Telemetry_is_off_when_nobody_listens_and_listening_does_not_change_the_transcript()
    {
        Assert.False(TlsTelemetry.Enabled);
        byte[] quiet = Transcript();
        byte[] observed;
        using (new Metrics())
        using (new Events())
        {
            Assert.True(TlsTelemetry.Enabled);
            observed = Transcript();
        }

        Assert.False(TlsTelemetry.Enabled);
        Assert.Equal(quiet, observed);
    }

    private static byte[] Transcript()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        return pair.ClientToServer.Concat(pair.ServerToClient).ToArray();
    }

    private sealed class Metrics : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Measurement> _measurements = new();

        public Metrics()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "TlsEngine")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public List<Measurement> Of(string name) => _measurements.Where(m => m.Name == name).ToList();

        public double Sum(string name, params (string Key, string Value)[] tags) =>
            Of(name).Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out object? v) && Equals(v?.ToString(), t.Value))).Sum(m => m.Value);

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            _measurements.Enqueue(new Measurement(instrument.Name, value, map));
        }

        public sealed record Measurement(string Name, double Value, Dictionary<string, object?> Tags);
    }

    private sealed class Events : EventListener
    {
        public ConcurrentQueue<EventWrittenEventArgs> Seen { get; } = new();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "TlsEngine")
            {
                EnableEvents(eventSource, EventLevel.Informational);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData) => Seen.Enqueue(eventData);
    }
}
