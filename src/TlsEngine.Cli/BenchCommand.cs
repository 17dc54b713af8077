using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TlsEngine.Cli;

/// <summary>
/// `tlsengine bench`: a quick side-by-side of the engine (platform and managed providers), .NET's
/// SslStream in memory and, when it can be built, OpenSSL over a BIO pair. bench/ holds the
/// thorough BenchmarkDotNet version.
/// </summary>
internal static class BenchCommand
{
    public static readonly CliCommand Spec = new("bench", "engine vs SslStream vs OpenSSL over a BIO pair, in one run", Run)
    {
        CliOption.Int("seconds", "N", "seconds per measurement (default 2)", min: 1),
        CliOption.Int("connections", "N", "idle connections for the memory row (default 10000)", min: 1),
    };

    internal const int Chunk = 16384;

    public static int Run(CliArgs args)
    {
        double seconds = args.GetInt("seconds", 2);
        int idle = args.GetInt("connections", 10000);
        (string certPem, string keyPem) = SelfSignedCertificate.Create("localhost");
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        using X509Certificate2 serverCertificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        var credential = TlsCertificateCredential.FromPem(certPem, keyPem);
        var anchors = TlsTrustAnchors.FromPem(certPem);

        Console.WriteLine($"TlsEngine quick bench: TLS 1.3, ECDSA P-256 (chain verified), X25519, AES-128-GCM; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var rows = new List<(string Name, double Platform, double Managed, double SslStream, double OpenSsl)>();
        (double openSslHandshakes, double openSslBulk) = BenchAnchors.OpenSslPair(certPem, keyPem, seconds);
        // Every column builds its configuration once and a connection pair per handshake, as the
        // OpenSSL pair does with its SSL_CTX: what is timed is the connection, not the setup.
        rows.Add(("full handshakes/s", EngineHandshakes(credential, anchors, TlsCryptoProvider.Platform, seconds),
            EngineHandshakes(credential, anchors, TlsCryptoProvider.Managed, seconds),
            BenchAnchors.SslStreamHandshakes(serverCertificate, certificate, seconds), openSslHandshakes));
        rows.Add(("  with X25519MLKEM768 (the default)", EngineHandshakes(credential, anchors, TlsCryptoProvider.Platform, seconds, postQuantum: true),
            EngineHandshakes(credential, anchors, TlsCryptoProvider.Managed, seconds, postQuantum: true), double.NaN, double.NaN));
        rows.Add(("bulk MB/s (16 KiB writes)", EngineBulk(credential, anchors, TlsCryptoProvider.Platform, seconds),
            EngineBulk(credential, anchors, TlsCryptoProvider.Managed, seconds), BenchAnchors.SslStreamBulk(serverCertificate, certificate, seconds), openSslBulk));
        rows.Add(("bulk MB/s, caller-buffered core", EngineCoreBulk(credential, anchors, TlsCryptoProvider.Platform, seconds),
            EngineCoreBulk(credential, anchors, TlsCryptoProvider.Managed, seconds), double.NaN, openSslBulk));
        rows.Add(("allocated bytes per 16 KiB record (steady)", AllocatedPerRecord(credential, anchors, TlsCryptoProvider.Platform), AllocatedPerRecord(credential, anchors, TlsCryptoProvider.Managed), double.NaN, double.NaN));
        rows.Add(("  same through the core", AllocatedPerRecord(credential, anchors, TlsCryptoProvider.Platform, core: true), AllocatedPerRecord(credential, anchors, TlsCryptoProvider.Managed, core: true), double.NaN, double.NaN));
        (double platformClient, double platformServer) = AllocatedPerHandshake(credential, anchors, TlsCryptoProvider.Platform);
        (double managedClient, double managedServer) = AllocatedPerHandshake(credential, anchors, TlsCryptoProvider.Managed);
        rows.Add(("allocated bytes per handshake, client", platformClient, managedClient, double.NaN, double.NaN));
        rows.Add(("allocated bytes per handshake, server", platformServer, managedServer, double.NaN, double.NaN));
        rows.Add(("retained bytes per idle connection", IdleBytes(credential, anchors, idle, release: true), IdleBytes(credential, anchors, idle, release: false), double.NaN, double.NaN));

        Console.WriteLine();
        Console.WriteLine($"{"measurement",-38}{"engine/platform",16}{"engine/managed",16}{"SslStream",12}{"openssl-pair",14}{"platform/SslStream",20}{"platform/openssl",18}");
        foreach ((string name, double platform, double managed, double ssl, double openssl) in rows)
        {
            Console.WriteLine($"{name,-38}{Format(platform),16}{Format(managed),16}{Format(ssl),12}{Format(openssl),14}{Ratio(platform, ssl),20}{Ratio(platform, openssl),18}");
        }

        Console.WriteLine("(retained bytes: 'platform' column with ReleaseBuffers(), 'managed' column without; both sides of each pair counted)");

        // The floor: the public-key operations a full handshake cannot avoid (two X25519 key pairs and
        // agreements, one ECDSA signature and its verification), timed alone on the same providers.
        // The chain adds none here: the server's certificate is itself the client's trust anchor, so
        // path building ends at the byte-identical anchor and verifies no certificate signature (a
        // CA-issued leaf would add one ECDSA verification with the issuer's key to both).
        double floorRate = Rate(seconds, () => BenchFloors.PublicKey(credential));
        double protocolFloorRate = Rate(seconds, () => BenchFloors.Handshake(credential));
        double handshakeRate = rows[0].Platform;
        double aeadFloor = BenchFloors.Aead(seconds, recordShaped: false);
        double recordFloor = BenchFloors.Aead(seconds, recordShaped: true);
        Console.WriteLine($"AEAD floor: {aeadFloor:F0} MB/s to seal and open 16 KiB with AES-128-GCM in one thread; {recordFloor:F0} MB/s as a TLS 1.3 record needs it (the content type byte added, the 5-byte header as additional data)");
        Console.WriteLine($"bulk against the AEAD floor: buffer pair {rows[2].Platform / aeadFloor:F2}x, caller-buffered core {rows[3].Platform / aeadFloor:F2}x, openssl-pair {openSslBulk / aeadFloor:F2}x");
        Console.WriteLine($"bulk against the record floor: buffer pair {rows[2].Platform / recordFloor:F2}x, caller-buffered core {rows[3].Platform / recordFloor:F2}x, openssl-pair {openSslBulk / recordFloor:F2}x");
        Console.WriteLine($"crypto floor: {1e6 / floorRate:F0} us per handshake ({floorRate:F0}/s); engine handshake {1e6 / handshakeRate:F0} us; engine overhead above the floor {100 * (1 - (handshakeRate / floorRate)):F0}% of handshake time");
        Console.WriteLine($"whole crypto floor (the public-key operations plus the key schedule, transcript, record AEAD and randomness of both sides): {1e6 / protocolFloorRate:F0} us; engine overhead above it {100 * (1 - (handshakeRate / protocolFloorRate)):F0}% of handshake time");
        return 0;
    }

    /// <summary>The setup every row measures, like the OpenSSL pair: X25519 alone, not the post-quantum default.</summary>
    private static TlsClientOptions ClientOptions(TlsTrustAnchors anchors, TlsCryptoProvider provider, bool postQuantum = false) => new()
    {
        ServerName = "localhost",
        TrustAnchors = anchors,
        CryptoProvider = provider,
        Groups = postQuantum ? new List<TlsNamedGroup> { TlsNamedGroup.X25519MLKEM768, TlsNamedGroup.X25519 } : new List<TlsNamedGroup> { TlsNamedGroup.X25519 },
        KeyShareGroups = postQuantum ? new List<TlsNamedGroup> { TlsNamedGroup.X25519MLKEM768 } : new List<TlsNamedGroup> { TlsNamedGroup.X25519 },
    };

    private static TlsServerOptions ServerOptions(TlsCertificateCredential credential, TlsCryptoProvider provider) =>
        new() { Certificate = credential, CryptoProvider = provider };

    private static string Format(double value) => double.IsNaN(value) ? "-" : value.ToString("F0");

    private static string Ratio(double value, double baseline) => double.IsNaN(value) || double.IsNaN(baseline) || baseline == 0 ? "-" : (value / baseline).ToString("F2") + "x";

    internal static double Rate(double seconds, Action action)
    {
        WarmUp(seconds, action);

        var watch = Stopwatch.StartNew();
        int count = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            action();
            count++;
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>MB/s of <paramref name="step"/> (which returns the bytes it moved), timed like <see cref="Rate"/>: after a warm-up, for the given time.</summary>
    internal static double Throughput(double seconds, Func<long> step)
    {
        WarmUp(seconds, () => step());
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            bytes += step();
        }

        return bytes / 1048576.0 / watch.Elapsed.TotalSeconds;
    }

    internal static void WarmUp(double seconds, Action action)
    {
        // Until tiered compilation has settled, or the first figures measure the JIT.
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < Math.Max(1.0, seconds / 2))
        {
            action();
        }
    }

    private static (TlsConnection Client, TlsConnection Server) Pair(TlsCertificateCredential credential, TlsTrustAnchors anchors, TlsCryptoProvider provider) =>
        Pair(ClientOptions(anchors, provider), ServerOptions(credential, provider));

    private static (TlsConnection Client, TlsConnection Server) Pair(TlsClientOptions clientOptions, TlsServerOptions serverOptions)
    {
        var client = TlsConnection.CreateClient(clientOptions);
        var server = TlsConnection.CreateServer(serverOptions);
        byte[] buffer = PairBuffer;
        for (int i = 0; i < 100 && !(client.IsHandshakeComplete && server.IsHandshakeComplete && client.Outbound.Length == 0); i++)
        {
            client.Connect();
            Move(client, server, buffer);
            server.Accept();
            Move(server, client, buffer);
        }

        if (!client.IsHandshakeComplete || !server.IsHandshakeComplete)
        {
            throw new InvalidOperationException($"bench handshake failed: {client.LastError} {server.LastError}");
        }

        return (client, server);
    }

    // The bench runs on one thread: one transfer buffer for every pair.
    private static readonly byte[] PairBuffer = new byte[65536];

    private static void Move(TlsConnection from, TlsConnection to, byte[] buffer)
    {
        while (from.Outbound.Length > 0)
        {
            int n = from.Outbound.Read(buffer);
            to.Inbound.Write(buffer.AsSpan(0, n));
        }
    }

    private static double EngineHandshakes(TlsCertificateCredential credential, TlsTrustAnchors anchors, TlsCryptoProvider provider, double seconds, bool postQuantum = false)
    {
        TlsClientOptions clientOptions = ClientOptions(anchors, provider, postQuantum);
        TlsServerOptions serverOptions = ServerOptions(credential, provider);
        return Rate(seconds, () =>
        {
            (TlsConnection client, TlsConnection server) = Pair(clientOptions, serverOptions);
            client.Dispose();
            server.Dispose();
        });
    }

    /// <summary>16 KiB writes through the buffer pair, read back on the other end, on one connection pair.</summary>
    private static double EngineBulk(TlsCertificateCredential credential, TlsTrustAnchors anchors, TlsCryptoProvider provider, double seconds)
    {
        (TlsConnection client, TlsConnection server) = Pair(credential, anchors, provider);
        byte[] data = new byte[Chunk];
        byte[] move = new byte[65536];
        byte[] sink = new byte[65536];
        double rate = Throughput(seconds, () =>
        {
            long received = 0;
            client.Write(data, out _);
            Move(client, server, move);
            while (server.Read(sink, out int n) == TlsStatus.Ok && n > 0)
            {
                received += n;
            }

            return received;
        });
        client.Dispose();
        server.Dispose();
        return rate;
    }

    /// <summary>Send seals into the "network" buffer and Receive decrypts in place there: no engine-owned copy.</summary>
    private static double EngineCoreBulk(TlsCertificateCredential credential, TlsTrustAnchors anchors, TlsCryptoProvider provider, double seconds)
    {
        (TlsConnection client, TlsConnection server) = Pair(credential, anchors, provider);
        byte[] data = new byte[Chunk];
        byte[] wire = new byte[client.GetSendSize(Chunk)];
        double rate = Throughput(seconds, () =>
        {
            client.Send(data, wire, out _, out int written);
            server.Receive(wire.AsSpan(0, written), out _, out Span<byte> plaintext);
            return plaintext.Length;
        });
        client.Dispose();
        server.Dispose();
        return rate;
    }

    /// <summary>Bytes each side allocates for one full handshake (creation included), after a warm-up.</summary>
    private static (double Client, double Server) AllocatedPerHandshake(TlsCertificateCredential credential, TlsTrustAnchors anchors, TlsCryptoProvider provider)
    {
        long clientBytes = 0, serverBytes = 0;
        var buffer = new byte[65536];
        long Measure(Action action)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        const int warmup = 20, count = 50;
        for (int i = 0; i < warmup + count; i++)
        {
            TlsConnection? client = null, server = null;
            long c = Measure(() => client = TlsConnection.CreateClient(ClientOptions(anchors, provider)));
            long s = Measure(() => server = TlsConnection.CreateServer(ServerOptions(credential, provider)));
            for (int round = 0; round < 10 && !(client!.IsHandshakeComplete && server!.IsHandshakeComplete && client.Outbound.Length == 0); round++)
            {
                c += Measure(() => client.Connect());
                Move(client, server!, buffer);
                s += Measure(() => server!.Accept());
                Move(server!, client, buffer);
            }

            if (i >= warmup)
            {
                clientBytes += c;
                serverBytes += s;
            }

            client!.Dispose();
            server!.Dispose();
        }

        return (clientBytes / (double)count, serverBytes / (double)count);
    }

    /// <summary>Bytes allocated per 16 KiB record in the steady state, through the buffer pair or the caller-buffered core.</summary>
    private static double AllocatedPerRecord(TlsCertificateCredential credential, TlsTrustAnchors anchors, TlsCryptoProvider provider, bool core = false)
    {
        (TlsConnection client, TlsConnection server) = Pair(credential, anchors, provider);
        byte[] data = new byte[Chunk];
        byte[] move = new byte[65536];
        void OneRecord()
        {
            if (core)
            {
                client.Send(data, move, out _, out int written);
                server.Receive(move.AsSpan(0, written), out _, out _);
                return;
            }

            client.Write(data, out _);
            Move(client, server, move);
            while (server.Read(move, out int n) == TlsStatus.Ok && n > 0)
            {
            }
        }

        for (int i = 0; i < 100; i++)
        {
            OneRecord();
        }

        const int records = 1000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < records; i++)
        {
            OneRecord();
        }

        double perRecord = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)records;
        client.Dispose();
        server.Dispose();
        return perRecord;
    }

    private static double IdleBytes(TlsCertificateCredential credential, TlsTrustAnchors anchors, int count, bool release)
    {
        var keep = new List<TlsConnection>(count * 2);
        // A host shares one options object across its connections; only what each connection holds is counted.
        var clientOptions = ClientOptions(anchors, TlsCryptoProvider.Platform);
        var serverOptions = ServerOptions(credential, TlsCryptoProvider.Platform);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < count; i++)
        {
            (TlsConnection client, TlsConnection server) = Pair(clientOptions, serverOptions);
            if (release)
            {
                client.ReleaseBuffers();
                server.ReleaseBuffers();
            }

            keep.Add(client);
            keep.Add(server);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        double perConnection = (after - before) / (double)keep.Count;
        GC.KeepAlive(keep);
        keep.ForEach(c => c.Dispose());
        return perConnection;
    }
}
