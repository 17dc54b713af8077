namespace TlsEngine.Tests.Support;

/// <summary>A clock that moves only when the test says so.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "Time does not go back.");
        }

        _now += by;
    }
}

/// <summary>What the link does to datagrams; rates are fractions in [0, 1], each decided independently per datagram.</summary>
public sealed record LinkProfile
{
    public double DropRate { get; init; }

    public double DuplicateRate { get; init; }

    /// <summary>The datagram is held back and delivered after the next one sent the same way.</summary>
    public double ReorderRate { get; init; }

    /// <summary>The datagram takes an extra delay drawn uniformly from [0, <see cref="MaxExtraDelay"/>].</summary>
    public double DelayRate { get; init; }

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MaxExtraDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a held-back datagram waits for a successor before it goes out anyway.</summary>
    public TimeSpan ReorderHold { get; init; } = TimeSpan.FromMilliseconds(50);

    public static LinkProfile Perfect { get; } = new();
}

public enum LinkEnd
{
    A,
    B,
}

/// <summary>Counts of what the link decided, over both directions.</summary>
public sealed class LinkStats
{
    public int Sent { get; internal set; }

    public int Dropped { get; internal set; }

    public int Duplicated { get; internal set; }

    public int Reordered { get; internal set; }

    public int Delayed { get; internal set; }

    public int Delivered { get; internal set; }
}

/// <summary>
/// A deterministic datagram link between two endpoints for DTLS tests: a seeded random source
/// decides drops, duplicates, reordering and delays; a <see cref="ManualTimeProvider"/> decides
/// when datagrams arrive. The same seed, profile and sequence of calls give the same deliveries.
/// </summary>
public sealed class LossyLink
{
    private readonly Random _random;
    private readonly LinkProfile _profile;
    private readonly ManualTimeProvider _clock;
    private readonly Direction[] _directions = { new(), new() };
    private long _order;

    public LossyLink(int seed, LinkProfile profile, ManualTimeProvider clock)
    {
        _random = new Random(seed);
        _profile = profile;
        _clock = clock;
    }

    public LinkStats Stats { get; } = new();

    /// <summary>Sends a datagram from <paramref name="from"/> to the other end.</summary>
    public void Send(LinkEnd from, ReadOnlySpan<byte> datagram)
    {
        Stats.Sent++;
        Direction direction = _directions[(int)Other(from)];

        // Every decision draws, whatever the earlier ones said, so one rate never shifts another's stream.
        bool drop = _random.NextDouble() < _profile.DropRate;
        bool duplicate = _random.NextDouble() < _profile.DuplicateRate;
        bool reorder = _random.NextDouble() < _profile.ReorderRate;
        bool delay = _random.NextDouble() < _profile.DelayRate;
        double extra = _random.NextDouble();
        if (drop)
        {
            Stats.Dropped++;
            return;
        }

        DateTimeOffset due = _clock.GetUtcNow() + _profile.Latency;
        if (delay)
        {
            Stats.Delayed++;
            due += TimeSpan.FromTicks((long)(extra * _profile.MaxExtraDelay.Ticks));
        }

        byte[] bytes = datagram.ToArray();
        InFlight? held = direction.Held;
        direction.Held = null;
        if (reorder && held == null)
        {
            Stats.Reordered++;
            direction.Held = new InFlight(bytes, due, 0);
        }
        else
        {
            Schedule(direction, bytes, due);
        }

        if (duplicate)
        {
            Stats.Duplicated++;
            Schedule(direction, bytes.ToArray(), due);
        }

        if (held != null)
        {
            // After this datagram, whichever is later.
            Schedule(direction, held.Bytes, held.Due > due ? held.Due : due);
        }
    }

    /// <summary>The datagrams that have reached <paramref name="at"/> by now, in arrival order.</summary>
    public List<byte[]> Receive(LinkEnd at)
    {
        Direction direction = _directions[(int)at];
        DateTimeOffset now = _clock.GetUtcNow();
        if (direction.Held is { } held && now >= held.Due + _profile.ReorderHold)
        {
            direction.Held = null;
            Schedule(direction, held.Bytes, held.Due + _profile.ReorderHold);
        }

        var arrived = new List<byte[]>();
        direction.Queue.Sort((x, y) => x.Due != y.Due ? x.Due.CompareTo(y.Due) : x.Order.CompareTo(y.Order));
        while (direction.Queue.Count > 0 && direction.Queue[0].Due <= now)
        {
            arrived.Add(direction.Queue[0].Bytes);
            direction.Queue.RemoveAt(0);
        }

        Stats.Delivered += arrived.Count;
        return arrived;
    }

    /// <summary>How long until the next datagram arrives at <paramref name="at"/>; null when none is in flight.</summary>
    public TimeSpan? NextArrival(LinkEnd at)
    {
        Direction direction = _directions[(int)at];
        DateTimeOffset? next = direction.Held == null ? null : direction.Held.Due + _profile.ReorderHold;
        foreach (InFlight item in direction.Queue)
        {
            next = next == null || item.Due < next ? item.Due : next;
        }

        if (next == null)
        {
            return null;
        }

        TimeSpan wait = next.Value - _clock.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static LinkEnd Other(LinkEnd end) => end == LinkEnd.A ? LinkEnd.B : LinkEnd.A;

    private void Schedule(Direction direction, byte[] bytes, DateTimeOffset due) => direction.Queue.Add(new InFlight(bytes, due, _order++));

    private sealed record InFlight(byte[] Bytes, DateTimeOffset Due, long Order);

    private sealed class Direction
    {
        public List<InFlight> Queue { get; } = new();

        public InFlight? Held { get; set; }
    }
}
