using System.Text;

namespace TlsEngine.Cli;

/// <summary>
/// `tlsengine demo --dtls`: a DTLS 1.3 client and server in memory over a simulated link that loses
/// datagrams at random (from the seed), on a simulated clock, narrated: every datagram sent, lost or
/// delivered (named with the key log, as Wireshark would), every timer that fires and what it resent.
/// </summary>
internal sealed class DtlsDemo
{
    private const int MaxSteps = 400;
    private const TlsCipherSuite Suite = TlsCipherSuite.TLS_AES_128_GCM_SHA256;
    private readonly SimulatedClock _clock = new(DateTimeOffset.UtcNow);
    private readonly DateTimeOffset _start;
    private readonly Random _link;
    private readonly double _loss;
    private readonly Dictionary<string, byte[]> _secrets = new();
    private readonly Queue<(DtlsConnection To, byte[] Datagram, int Number)> _wire = new();
    private DtlsConnection _client = null!;
    private DtlsConnection _server = null!;
    private WireObserver _fromClient = null!;
    private WireObserver _fromServer = null!;
    private int _sent;
    private int _lost;

    private DtlsDemo(ulong seed, int lossPercent)
    {
        _start = _clock.GetUtcNow();
        _link = new Random((int)(seed % int.MaxValue));
        _loss = lossPercent / 100.0;
    }

    public static int Run(ulong seed, int lossPercent)
    {
        var demo = new DtlsDemo(seed, lossPercent);
        return demo.Play(seed);
    }

    private int Play(ulong seed)
    {
        (string certificatePem, string keyPem) = SelfSignedCertificate.Create("localhost");
        Action<string> keyLog = line =>
        {
            string[] fields = line.Split(' ');
            _secrets[fields[0]] = Convert.FromHexString(fields[2]);
        };
        var groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519 };
        var clientOptions = new TlsClientOptions
        {
            ServerName = "localhost",
            TrustAnchors = TlsTrustAnchors.FromPem(certificatePem),
            ApplicationProtocols = { "demo/1" },
            Random = TlsRandom.FromSeed(seed),
            TimeProvider = _clock,
            CipherSuites = new List<TlsCipherSuite> { Suite },
            Groups = groups,
            KeyShareGroups = groups,
            MinVersion = TlsVersion.Tls13,
            KeyLog = keyLog,
        };
        var serverOptions = new TlsServerOptions
        {
            Certificate = TlsCertificateCredential.FromPem(certificatePem, keyPem),
            ApplicationProtocols = { "demo/1" },
            Random = TlsRandom.FromSeed(seed + 1),
            TimeProvider = _clock,
            CipherSuites = new List<TlsCipherSuite> { Suite },
            Groups = groups,
            MinVersion = TlsVersion.Tls13,
            KeyLog = keyLog,
        };
        var transport = new TlsDatagramOptions { MaxRetransmissions = 10 };
        using (_client = DtlsConnection.CreateClient(clientOptions, transport))
        using (_server = DtlsConnection.CreateServer(serverOptions, transport, new byte[] { 192, 0, 2, 1, 0x30, 0x39 }))
        using (_fromClient = new WireObserver(true, Suite, _secrets))
        using (_fromServer = new WireObserver(false, Suite, _secrets))
        {
            Console.WriteLine($"TlsEngine DTLS demo: a DTLS 1.3 client and server in memory, over a simulated link losing {_loss:P0} of datagrams (seed {seed}), on a simulated clock.");
            Console.WriteLine("The host sends every datagram TryTakeDatagram() gives, hands every datagram received to ReceiveDatagram(), and calls HandleTimeout() when NextTimeout passes.");
            Console.WriteLine("Datagrams are named from the engines' key log, as Wireshark would show them.");
            Say($"client.Connect() -> {_client.Connect()}");
            _server.Accept();
            if (!Handshake())
            {
                Console.Error.WriteLine($"handshake failed: client {_client.LastError?.ToString() ?? "(no error)"}, server {_server.LastError?.ToString() ?? "(no error)"}");
                return 1;
            }

            Console.WriteLine($"negotiated: version=Dtls13 suite={_client.CipherSuite} group={_client.NegotiatedGroup} alpn={_client.ApplicationProtocol ?? "(none)"} signature={_client.PeerSignatureScheme}");
            Console.WriteLine($"datagrams: {_sent} sent, {_lost} lost; retransmissions: client {_client.Retransmissions}, server {_server.Retransmissions}");
            Say($"client.Send(\"hello over DTLS\") -> {_client.Send(Encoding.UTF8.GetBytes("hello over DTLS"))}");
            Move();
            var buffer = new byte[256];
            Console.WriteLine(_server.TryReceive(buffer, out int read)
                ? $"server received: \"{Encoding.UTF8.GetString(buffer, 0, read)}\""
                : "server received nothing: application data is not retransmitted, like UDP itself");
            Say($"client.Close() -> {_client.Close()}");
            Move();
            return 0;
        }
    }

    /// <summary>Delivers datagrams one at a time; when none is in flight, moves the clock to the next timer.</summary>
    private bool Handshake()
    {
        for (int step = 0; step < MaxSteps; step++)
        {
            Collect(_client, _server);
            Collect(_server, _client);
            if (_wire.Count > 0)
            {
                Deliver();
                continue;
            }

            if (_client.LastError != null || _server.LastError != null)
            {
                return false;
            }

            if (_client.IsHandshakeComplete && _server.IsHandshakeComplete && _client.NextTimeout == null && _server.NextTimeout == null)
            {
                return true;
            }

            DateTimeOffset? next = new[] { _client.NextTimeout, _server.NextTimeout }.Where(t => t != null).Min();
            if (next == null)
            {
                return _client.IsHandshakeComplete && _server.IsHandshakeComplete;
            }

            _clock.Set(next.Value);
            foreach ((DtlsConnection side, string name) in new[] { (_client, "client"), (_server, "server") })
            {
                if (side.NextTimeout <= _clock.GetUtcNow())
                {
                    int before = side.Retransmissions;
                    TlsStatus status = side.HandleTimeout();
                    string what = side.Retransmissions > before ? "retransmits its flight" : side.PendingDatagrams > 0 ? "sends its delayed ACK" : "nothing to do";
                    Say($"{name} timer fires: {name}.HandleTimeout() -> {status}: {what}");
                }
            }
        }

        return false;
    }

    /// <summary>Moves the final datagrams (data, close_notify) without a timer.</summary>
    private void Move()
    {
        Collect(_client, _server);
        Collect(_server, _client);
        while (_wire.Count > 0)
        {
            Deliver();
            Collect(_client, _server);
            Collect(_server, _client);
        }
    }

    private void Collect(DtlsConnection from, DtlsConnection to)
    {
        var buffer = new byte[DtlsConnection.MaxDatagramSize];
        string name = from == _client ? "client -> server" : "server -> client";
        WireObserver observer = from == _client ? _fromClient : _fromServer;
        while (from.TryTakeDatagram(buffer, out int length))
        {
            byte[] datagram = buffer[..length];
            int number = ++_sent;
            bool lost = _link.NextDouble() < _loss;
            Say($"  #{number,-2} {name} {length,5} bytes  {observer.Describe(datagram)}{(lost ? "  -- LOST" : string.Empty)}");
            if (lost)
            {
                _lost++;
            }
            else
            {
                _wire.Enqueue((to, datagram, number));
            }
        }
    }

    private void Deliver()
    {
        (DtlsConnection to, byte[] datagram, int number) = _wire.Dequeue();
        string name = to == _client ? "client" : "server";
        long dropsBefore = to.DroppedRecords;
        bool completeBefore = to.IsHandshakeComplete;
        TlsStatus status = to.ReceiveDatagram(datagram);
        string dropped = to.DroppedRecords > dropsBefore ? $" ({to.DroppedRecords - dropsBefore} record(s) dropped)" : string.Empty;
        Say($"{name}.ReceiveDatagram(#{number}) -> {status}{dropped}{(!completeBefore && to.IsHandshakeComplete ? $", {name} handshake complete" : string.Empty)}");
    }

    private void Say(string line) => Console.WriteLine($"t={(_clock.GetUtcNow() - _start).TotalSeconds,6:0.000}s {line}");

    /// <summary>Time that moves only when the demo moves it: a timer "fires" without any waiting.</summary>
    private sealed class SimulatedClock : TimeProvider
    {
        private DateTimeOffset _now;

        public SimulatedClock(DateTimeOffset start) => _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Set(DateTimeOffset now) => _now = now > _now ? now : _now;
    }
}
