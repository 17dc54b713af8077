using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Resumption;

/// <summary>The handshake keeps and takes sessions through the cache's public, overridable methods.</summary>
public class SessionCacheSubclassTests
{
    private sealed class RecordingCache : TlsSessionCache
    {
        public List<TlsSessionTicket> Added { get; } = new();

        public List<TlsSessionTicket?> Taken { get; } = new();

        public override void Add(string serverName, TlsSessionTicket ticket)
        {
            Added.Add(ticket);
            base.Add(serverName, ticket);
        }

        public override TlsSessionTicket? Take(string serverName, DateTimeOffset now)
        {
            TlsSessionTicket? ticket = base.Take(serverName, now);
            Taken.Add(ticket);
            return ticket;
        }
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void A_subclassed_cache_sees_the_same_session_objects_the_connection_lists(TlsVersion version)
    {
        var cache = new RecordingCache();
        var keys = new TlsSessionTicketKeys(TlsRandom.FromSeed(5), new FixedTimeProvider(Engines.Now));
        TlsPair Connect(ulong seed)
        {
            TlsClientOptions client = Engines.Client(seed);
            client.MaxVersion = version;
            client.SessionCache = cache;
            TlsServerOptions server = Engines.Server(seed: seed + 100);
            server.SessionTicketKeys = keys;
            TlsPair pair = Engines.Pair(client, server);
            Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
            pair.Client.Read(new byte[16], out _);
            return pair;
        }

        using (TlsPair first = Connect(1))
        {
            TlsSessionTicket kept = Assert.Single(first.Client.SessionTickets);
            Assert.Same(kept, Assert.Single(cache.Added));
            Assert.Equal(version, kept.Version);
        }

        using TlsPair second = Connect(2);
        Assert.True(second.Client.IsResumed);
        // The first connection found nothing to offer; the second took what the first kept.
        Assert.Equal(new[] { null, cache.Added[0] }, cache.Taken);
    }
}
