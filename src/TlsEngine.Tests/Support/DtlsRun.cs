namespace TlsEngine.Tests.Support;

/// <summary>
/// A DTLS client (link end A) and server (end B) joined by a <see cref="LossyLink"/> on a manual
/// clock: datagrams move through the link, time jumps to the next arrival or timeout, and each side's
/// timer is served when due. Deterministic for a seed.
/// </summary>
internal sealed class DtlsRun : IDisposable
{
    private readonly byte[] _datagram = new byte[65535];

    public DtlsRun(int seed, LinkProfile profile, Func<ManualTimeProvider, TlsClientOptions>? client = null, Func<ManualTimeProvider, TlsServerOptions>? server = null,
        TlsDatagramOptions? clientDatagram = null, TlsDatagramOptions? serverDatagram = null)
    {
        Clock = new ManualTimeProvider(Engines.Now);
        Link = new LossyLink(seed, profile, Clock);
        ServerDatagram = serverDatagram ?? new TlsDatagramOptions();
        ServerOptions = (server ?? DefaultServer)(Clock);
        Client = DtlsConnection.CreateClient((client ?? DefaultClient)(Clock), clientDatagram);
        Server = DtlsConnection.CreateServer(ServerOptions, ServerDatagram, Address);
        Server.Accept();
    }

    public static byte[] Address { get; } = { 192, 0, 2, 1, 0x30, 0x39 };

    public ManualTimeProvider Clock { get; }

    public LossyLink Link { get; }

    public DtlsConnection Client { get; }

    public DtlsConnection Server { get; private set; }

    public TlsServerOptions ServerOptions { get; }

    public TlsDatagramOptions ServerDatagram { get; }

    /// <summary>Every datagram each side sent, in order (client's, server's).</summary>
    public List<byte[]> ClientSent { get; } = new();

    public List<byte[]> ServerSent { get; } = new();

    /// <summary>Rewrites (or drops, with null) a datagram on its way; applied before the link.</summary>
    public Func<LinkEnd, byte[], byte[]?>? Tamper { get; set; }

    /// <summary>Called with each datagram a side receives before it gets it; returning extra datagrams injects them after it.</summary>
    public Func<LinkEnd, byte[], IEnumerable<byte[]>>? Inject { get; set; }

    public static TlsClientOptions DefaultClient(ManualTimeProvider clock)
    {
        TlsClientOptions options = Engines.Client();
        options.TimeProvider = clock;
        return options;
    }

    public static TlsServerOptions DefaultServer(ManualTimeProvider clock)
    {
        TlsServerOptions options = Engines.Server();
        options.TimeProvider = clock;
        return options;
    }

    /// <summary>From now on the client talks to a fresh server connection with the same options (another connection of the same server).</summary>
    public void ReplaceServer()
    {
        Server.Dispose();
        Server = DtlsConnection.CreateServer(ServerOptions, ServerDatagram, Address);
        Server.Accept();
    }

    /// <summary>Runs until the handshake completes on both sides, one fails, or <paramref name="limit"/> of simulated time passes.</summary>
    public bool Handshake(TimeSpan? limit = null) => RunUntil(() => Client.IsHandshakeComplete && Server.IsHandshakeComplete && NothingPending(), limit);

    public bool RunUntil(Func<bool> done, TimeSpan? limit = null)
    {
        DateTimeOffset end = Clock.GetUtcNow() + (limit ?? TimeSpan.FromMinutes(10));
        Client.Connect();

        while (true)
        {
            Pump();
            if (done() || Failed)
            {
                return done() && !Failed;
            }

            if (!Advance(end))
            {
                return done() && !Failed;
            }
        }
    }

    public bool Failed => Client.LastError != null || Server.LastError != null;

    /// <summary>Moves queued datagrams onto the link and delivers what has arrived, until nothing moves at this instant.</summary>
    public void Pump()
    {
        bool moved = true;
        while (moved)
        {
            moved = Drain(Client, LinkEnd.A, ClientSent) | Drain(Server, LinkEnd.B, ServerSent);
            moved |= Deliver(LinkEnd.A, Client) | Deliver(LinkEnd.B, Server);
        }
    }

    /// <summary>Jumps to the next arrival or timeout and serves timers that are due; false when nothing is left to wait for or the limit passed.</summary>
    public bool Advance(DateTimeOffset end)
    {
        DateTimeOffset now = Clock.GetUtcNow();
        DateTimeOffset? next = Earliest(Earliest(Client.NextTimeout, Server.NextTimeout), Earliest(At(Link.NextArrival(LinkEnd.A)), At(Link.NextArrival(LinkEnd.B))));
        if (next == null || next.Value > end)
        {
            return false;
        }

        if (next.Value > now)
        {
            Clock.Advance(next.Value - now);
        }

        now = Clock.GetUtcNow();
        if (Client.NextTimeout <= now)
        {
            Client.HandleTimeout();
        }

        if (Server.NextTimeout <= now)
        {
            Server.HandleTimeout();
        }

        return true;
    }

    public bool NothingPending() => Client.PendingDatagrams == 0 && Server.PendingDatagrams == 0
        && Link.NextArrival(LinkEnd.A) == null && Link.NextArrival(LinkEnd.B) == null;

    /// <summary>Takes every datagram a side has queued without sending it (a lost flight).</summary>
    public int Discard(DtlsConnection side)
    {
        int count = 0;
        while (side.TryTakeDatagram(_datagram, out _))
        {
            count++;
        }

        return count;
    }

    public List<byte[]> Take(DtlsConnection side)
    {
        var taken = new List<byte[]>();
        while (side.TryTakeDatagram(_datagram, out int length))
        {
            taken.Add(_datagram.AsSpan(0, length).ToArray());
        }

        return taken;
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }

    private DateTimeOffset? At(TimeSpan? wait) => wait == null ? null : Clock.GetUtcNow() + wait.Value;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a == null ? b : b == null || a < b ? a : b;

    private bool Drain(DtlsConnection side, LinkEnd from, List<byte[]> log)
    {
        bool moved = false;
        while (side.TryTakeDatagram(_datagram, out int length))
        {
            moved = true;
            byte[] datagram = _datagram.AsSpan(0, length).ToArray();
            log.Add(datagram);
            byte[]? sent = Tamper == null ? datagram : Tamper(from, datagram);
            if (sent != null)
            {
                Link.Send(from, sent);
            }
        }

        return moved;
    }

    private bool Deliver(LinkEnd at, DtlsConnection side)
    {
        List<byte[]> arrived = Link.Receive(at);
        foreach (byte[] datagram in arrived)
        {
            side.ReceiveDatagram(datagram);
            if (Inject != null)
            {
                foreach (byte[] extra in Inject(at, datagram))
                {
                    side.ReceiveDatagram(extra);
                }
            }
        }

        return arrived.Count > 0;
    }
}
