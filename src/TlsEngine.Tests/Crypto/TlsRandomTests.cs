using TlsEngine.Crypto;
using Xunit;

namespace TlsEngine.Tests.Crypto;

/// <summary>
/// The system generator serves short requests from a per-thread pool: every byte the source gave is
/// handed out once, in order, and zeroed in the pool as it goes. The seeded generator is unchanged.
/// </summary>
public class TlsRandomTests
{
    [Fact]
    public void Pool_hands_out_each_source_byte_once_in_order()
    {
        byte next = 0;
        int refills = 0;
        var pool = new RandomPool(64, buffer =>
        {
            refills++;
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = next++;
            }
        });

        var drawn = new List<byte>();
        foreach (int length in new[] { 32, 1, 20, 17, 64, 3, 0, 50 })
        {
            byte[] part = new byte[length];
            pool.Fill(part);
            drawn.AddRange(part);
        }

        // 187 bytes: three refills of 64, no byte skipped or repeated across the refill boundaries.
        Assert.Equal(3, refills);
        Assert.Equal(Enumerable.Range(0, drawn.Count).Select(i => (byte)i), drawn);
    }

    [Fact]
    public void Pool_zeroes_what_it_hands_out_and_keeps_the_rest()
    {
        var pool = new RandomPool(64, buffer => buffer.AsSpan().Fill(0xA5));

        pool.Fill(new byte[40]);

        Assert.All(pool.Contents.Slice(0, 40).ToArray(), b => Assert.Equal(0, b));
        Assert.All(pool.Contents.Slice(40).ToArray(), b => Assert.Equal(0xA5, b));

        // Running dry mid-request: the old tail is used, then the refill, and both are zeroed as used.
        pool.Fill(new byte[30]);
        Assert.All(pool.Contents.Slice(0, 6).ToArray(), b => Assert.Equal(0, b));
        Assert.All(pool.Contents.Slice(6).ToArray(), b => Assert.Equal(0xA5, b));
    }

    [Fact]
    public void System_random_zeroes_pooled_bytes_it_handed_out()
    {
        byte[] value = new byte[32];
        TlsRandom.System.Fill(value);
        RandomPool pool = TlsRandom.SystemPoolOfCurrentThread;

        // The value is nowhere in the pool any more.
        Assert.False(pool.Contents.IndexOf(value) >= 0);
        Assert.Contains(value, b => b != 0);
    }

    [Fact]
    public void System_random_serves_long_requests_without_draining_the_pool()
    {
        TlsRandom.System.Fill(new byte[1]);
        byte[] before = TlsRandom.SystemPoolOfCurrentThread.Contents.ToArray();

        byte[] large = TlsRandom.System.GetBytes(RandomPool.MaxPooledRequest + 1);

        Assert.Equal(before, TlsRandom.SystemPoolOfCurrentThread.Contents.ToArray());
        Assert.Contains(large, b => b != 0);
    }

    [Fact]
    public void System_random_gives_distinct_values_across_threads()
    {
        const int threads = 8;
        const int perThread = 200;
        var values = new string[threads][];
        var pools = new RandomPool[threads];
        using var start = new Barrier(threads);
        Thread[] workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            values[t] = new string[perThread];
            for (int i = 0; i < perThread; i++)
            {
                values[t][i] = Convert.ToHexString(TlsRandom.System.GetBytes(32));
            }

            pools[t] = TlsRandom.SystemPoolOfCurrentThread;
        })).ToArray();

        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        // Each thread had its own pool, and no 32-byte value came out twice.
        Assert.Equal(threads, pools.Distinct().Count());
        Assert.Equal(threads * perThread, values.SelectMany(v => v).Distinct().Count());
    }

    [Fact]
    public void Seeded_random_is_hmac_sha256_in_counter_mode_one_block_run_per_call()
    {
        TlsRandom random = TlsRandom.FromSeed(42);

        byte[] first = new byte[40];
        random.Fill(first);
        byte[] second = random.GetBytes(8);

        // HMAC-SHA256(key = seed as 8 big-endian bytes, counter as 8 big-endian bytes); each call starts a new block.
        Assert.Equal("a4b398ef41899a3b11c1f6cb89ebdd2ba98784d94620910c5d34cb38c98215b603e2563fe5231d29", Convert.ToHexString(first).ToLowerInvariant());
        Assert.Equal("19ec00caec8d3120", Convert.ToHexString(second).ToLowerInvariant());
    }
}
