using System.Text;

namespace TlsEngine.Cli;

/// <summary>A client and a server engine wired back to back in memory, narrated step by step.</summary>
internal static class DemoCommand
{
    public static readonly CliCommand Spec = new("demo", "an in-memory client and server handshake, step by step (no network, no files)", Run)
    {
        CliOption.Int("chunk", "N", "move bytes between the engines N at a time (default: all at once)"),
        CliOption.Text("seed", "S", "deterministic randomness from seed S (a whole number)", v => ulong.TryParse(v, out _) ? null : $"must be a whole number, not '{v}'"),
        CliOption.Flag("dtls", "DTLS 1.3 over a simulated lossy link on a simulated clock: loss, timers, retransmissions, ACKs"),
        CliOption.Int("loss", "PERCENT", "with --dtls: datagrams lost, in percent (default 30)", max: 90),
    };

    public static int Run(CliArgs args)
    {
        int chunk = args.GetInt("chunk", 0);
        string? seed = args.Get("seed");
        if (args.Has("dtls"))
        {
            if (args.GetInt("chunk", -1) >= 0)
            {
                throw new CliException("--chunk does not apply to --dtls: datagrams are delivered whole");
            }

            return DtlsDemo.Run(seed == null ? 7 : ulong.Parse(seed), args.GetInt("loss", 30));
        }

        if (args.GetInt("loss", -1) >= 0)
        {
            throw new CliException("--loss applies to --dtls");
        }

        (string certificatePem, string keyPem) = SelfSignedCertificate.Create("localhost");
        TlsRandom Random(ulong offset) => seed == null ? TlsRandom.System : TlsRandom.FromSeed(ulong.Parse(seed) + offset);

        var clientOptions = new TlsClientOptions
        {
            ServerName = "localhost",
            TrustAnchors = TlsTrustAnchors.FromPem(certificatePem),
            ApplicationProtocols = { "demo/1", "http/1.1" },
            Random = Random(0),
        };
        var serverOptions = new TlsServerOptions
        {
            Certificate = TlsCertificateCredential.FromPem(certificatePem, keyPem),
            ApplicationProtocols = { "demo/1" },
            Random = Random(1),
        };

        using var client = TlsConnection.CreateClient(clientOptions);
        using var server = TlsConnection.CreateServer(serverOptions);
        Console.WriteLine("TlsEngine demo: client and server engines in memory, no sockets.");
        Console.WriteLine("The host calls Connect()/Accept(); WantWrite: drain Outbound and send it; WantRead: deliver the peer's bytes into Inbound.");
        if (!new HostLoop(client, server, chunk).Run())
        {
            Console.Error.WriteLine($"handshake failed: client {client.LastError}, server {server.LastError}");
            return 1;
        }

        Console.WriteLine($"negotiated: version={client.Version} suite={client.CipherSuite} group={client.Group} alpn={client.ApplicationProtocol ?? "(none)"} signature={client.PeerSignatureScheme}");
        client.Write(Encoding.UTF8.GetBytes("hello from the client"), out _);
        Move(client, server, chunk);
        var buffer = new byte[256];
        server.Read(buffer, out int read);
        Console.WriteLine($"server read: \"{Encoding.UTF8.GetString(buffer, 0, read)}\"");
        client.Shutdown();
        Move(client, server, chunk);
        Console.WriteLine($"server.Read() after client's close_notify -> {server.Read(buffer, out _)}");
        return 0;
    }

    private static int Move(TlsConnection from, TlsConnection to, int chunk)
    {
        int total = 0;
        var buffer = new byte[chunk > 0 ? chunk : 65536];
        while (from.Outbound.Length > 0)
        {
            int n = from.Outbound.Read(buffer);
            to.Inbound.Write(buffer.AsSpan(0, n));
            total += n;
        }

        return total;
    }
}
