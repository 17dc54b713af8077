using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

public class LossyLinkTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly LinkProfile Rough = new()
    {
        DropRate = 0.1,
        DuplicateRate = 0.05,
        ReorderRate = 0.1,
        DelayRate = 0.2,
    };

    [Fact]
    public void Perfect_link_delivers_everything_in_order_after_the_latency()
    {
        var clock = new ManualTimeProvider(Start);
        var link = new LossyLink(1, LinkProfile.Perfect, clock);
        for (int i = 0; i < 10; i++)
        {
            link.Send(LinkEnd.A, new[] { (byte)i });
        }

        Assert.Empty(link.Receive(LinkEnd.B));
        Assert.Equal(TimeSpan.FromMilliseconds(10), link.NextArrival(LinkEnd.B));
        clock.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), link.Receive(LinkEnd.B).Select(d => d[0]));
        Assert.Empty(link.Receive(LinkEnd.A));
        Assert.Null(link.NextArrival(LinkEnd.B));
    }

    [Fact]
    public void Directions_are_independent()
    {
        var clock = new ManualTimeProvider(Start);
        var link = new LossyLink(1, LinkProfile.Perfect, clock);
        link.Send(LinkEnd.A, new byte[] { 1 });
        link.Send(LinkEnd.B, new byte[] { 2 });
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new byte[] { 1 }, Assert.Single(link.Receive(LinkEnd.B)));
        Assert.Equal(new byte[] { 2 }, Assert.Single(link.Receive(LinkEnd.A)));
    }

    [Fact]
    public void Same_seed_gives_the_same_deliveries_and_another_seed_does_not()
    {
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void Configured_rates_hold_over_many_datagrams()
    {
        var clock = new ManualTimeProvider(Start);
        var link = new LossyLink(12345, Rough, clock);
        const int n = 20000;
        for (int i = 0; i < n; i++)
        {
            link.Send(LinkEnd.A, BitConverter.GetBytes(i));
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        List<byte[]> arrived = link.Receive(LinkEnd.B);

        Assert.Equal(n, link.Stats.Sent);
        Assert.InRange(link.Stats.Dropped, n * 0.09, n * 0.11);
        Assert.InRange(link.Stats.Duplicated, n * 0.9 * 0.04, n * 0.9 * 0.06);
        Assert.InRange(link.Stats.Delayed, n * 0.9 * 0.18, n * 0.9 * 0.22);
        Assert.InRange(link.Stats.Reordered, n * 0.9 * 0.08, n * 0.9 * 0.11);
        Assert.Equal(n - link.Stats.Dropped + link.Stats.Duplicated, arrived.Count);
        Assert.Equal(arrived.Count, link.Stats.Delivered);

        int[] numbers = arrived.Select(d => BitConverter.ToInt32(d)).ToArray();
        Assert.Equal(n - link.Stats.Dropped, numbers.Distinct().Count());
        int inversions = numbers.Zip(numbers.Skip(1), (x, y) => x > y ? 1 : 0).Sum();
        Assert.True(inversions > n / 20, $"only {inversions} datagrams overtaken");
    }

    [Fact]
    public void Held_back_datagram_goes_out_after_its_successor_or_after_the_hold()
    {
        var clock = new ManualTimeProvider(Start);
        var link = new LossyLink(1, new LinkProfile { ReorderRate = 1 }, clock);

        // Every datagram is a candidate, but only one is held at a time: 0 waits, 1 overtakes it.
        link.Send(LinkEnd.A, new byte[] { 0 });
        link.Send(LinkEnd.A, new byte[] { 1 });
        link.Send(LinkEnd.A, new byte[] { 2 });
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(new byte[] { 1, 0 }, link.Receive(LinkEnd.B).Select(d => d[0]));

        // 2 is held with no successor: released after the hold.
        Assert.Equal(TimeSpan.FromMilliseconds(50), link.NextArrival(LinkEnd.B));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(new byte[] { 2 }, link.Receive(LinkEnd.B).Select(d => d[0]));
    }

    private static List<string> Run(int seed)
    {
        var clock = new ManualTimeProvider(Start);
        var link = new LossyLink(seed, Rough, clock);
        var log = new List<string>();
        for (int i = 0; i < 500; i++)
        {
            link.Send(i % 3 == 0 ? LinkEnd.B : LinkEnd.A, BitConverter.GetBytes(i));
            clock.Advance(TimeSpan.FromMilliseconds(3));
            foreach (LinkEnd end in new[] { LinkEnd.A, LinkEnd.B })
            {
                log.AddRange(link.Receive(end).Select(d => $"{clock.GetUtcNow().Ticks} {end} {BitConverter.ToInt32(d)}"));
            }
        }

        return log;
    }
}
