using System.Net;
using System.Net.Sockets;

namespace TlsEngine.Cli;

/// <summary>`tlsengine serve`: like openssl s_server, echoing what each read delivers in one write.</summary>
internal static class ServeCommand
{
    public static readonly CliCommand Spec = new("serve", "like openssl s_server: echoes what each read delivers, answers close_notify, issues tickets", Run)
    {
        CliOption.Int("port", "N", "port to listen on (0: any free port)", max: 65535),
        CliOption.Text("cert", "CHAIN.pem", "certificate chain (required unless --psk or --rpk)"),
        CliOption.Text("key", "KEY.pem", "private key (with --cert)"),
        CliOption.Text("host", "ADDRESS", "address to listen on (default 127.0.0.1)", v => System.Net.IPAddress.TryParse(v, out _) ? null : $"'{v}' is not an IP address"),
        CliOption.Int("count", "N", "exit after serving N connections", min: 1),
        CliOptions.Alpn,
        CliOptions.Groups,
        CliOptions.KeyLog,
        CliOptions.Versions,
        CliOption.Text("client-ca", "PEM", "require client certificates issued by this CA"),
        CliOption.Int("max-early-data", "N", "accept up to N bytes of 0-RTT data per connection"),
        CliOptions.AllowNoEms,
        CliOptions.CertificateFree,
        DatagramOptions.Options,
    };

    public static int Run(CliArgs args)
    {
        bool datagram = DatagramOptions.IsDatagram(args, Spec);
        int port = args.GetInt("port", 0);
        TlsExternalPsk? psk = args.GetPsk();
        string? cert = args.Get("cert") ?? (psk != null || args.Get("rpk") != null ? null : throw new CliException("serve needs --cert CHAIN.pem (or --psk HEX --psk-identity ID, or --rpk KEY.pem)"));
        string? key = cert == null ? null : args.Get("key") ?? throw new CliException("serve needs --key KEY.pem");
        int count = args.GetInt("count", int.MaxValue);
        var options = new TlsServerOptions { Certificate = cert == null ? null : TlsCertificateCredential.FromPemFiles(cert, key!) };
        if (psk != null)
        {
            options.ExternalPsks.Add(psk);
        }

        options.ClientCertificatePins = args.GetList("pin");
        foreach (string protocol in args.GetList("alpn"))
        {
            options.ApplicationProtocols.Add(protocol);
        }

        List<TlsNamedGroup> groups = CliArgs.ParseGroups(args.GetList("groups"));
        if (groups.Count > 0)
        {
            options.Groups = groups;
        }

        options.KeyLog = KeyLogFile.Open(args.Get("keylog"));
        if (datagram)
        {
            DatagramOptions.ApplyVersions(args, options);
        }
        else
        {
            args.ApplyVersions(options);
        }

        args.ApplyRawKeysAndRecordSize(options, server: true);
        CliOptions.ApplyExtendedMasterSecret(args, options);
        string? clientCa = args.Get("client-ca");
        if (clientCa != null)
        {
            options.ClientCertificateMode = TlsClientCertificateMode.Require;
            options.ClientCertificateTrustAnchors = TlsTrustAnchors.FromPemFile(clientCa);
        }

        IPAddress address = IPAddress.Parse(args.Get("host") ?? "127.0.0.1");
        if (datagram)
        {
            return DtlsServer.Run(options, DatagramOptions.Transport(args), new IPEndPoint(address, port), count);
        }

        // One keyring for every connection, so tickets from one resume the next.
        options.SessionTicketKeys = new TlsSessionTicketKeys();
        options.MaxEarlyDataSize = (uint)args.GetInt("max-early-data", 0);
        var listener = new TcpListener(address, port);
        listener.Start();
        Console.Error.WriteLine($"listening on {listener.LocalEndpoint}");
        Console.WriteLine("ACCEPT");
        int ended = 0;
        int started = 0;
        var sessions = new List<Task>();
        while (started < count)
        {
            TcpClient client = listener.AcceptTcpClient();
            started++;
            int id = started;
            sessions.Add(Task.Run(() =>
            {
                Serve(client, options, id);
                Interlocked.Increment(ref ended);
            }));
        }

        Task.WaitAll(sessions.ToArray());
        listener.Stop();
        Console.Error.WriteLine($"served {ended} connection(s)");
        return 0;
    }

    private static void Serve(TcpClient client, TlsServerOptions options, int id)
    {
        using (client)
        {
            client.NoDelay = true;
            client.ReceiveTimeout = 60000;
            try
            {
                using var tls = new TlsStream(client.GetStream(), TlsConnection.CreateServer(options));
                tls.Authenticate();
                TlsConnection c = tls.Connection;
                Console.Error.WriteLine($"[{id}] handshake: version={c.Version} suite={c.CipherSuite} group={c.Group?.ToString() ?? "(none)"} alpn={c.ApplicationProtocol ?? "(none)"} sni={c.ServerName ?? "(none)"} resumed={c.IsResumed.ToString().ToLowerInvariant()} client-certificates={c.PeerCertificates.Count} early-data={c.EarlyDataStatus} psk={(c.PskIdentity == null ? "(none)" : System.Text.Encoding.UTF8.GetString(c.PskIdentity))}");
                var buffer = new byte[16384];
                int n;
                while ((n = tls.Read(buffer, 0, buffer.Length)) > 0)
                {
                    tls.Write(buffer, 0, n);
                }

                // The peer's close_notify is answered by the stream's shutdown on dispose.
                Console.Error.WriteLine($"[{id}] closed by peer");
            }
            catch (Exception ex) when (ex is IOException or SocketException or TlsException)
            {
                Console.Error.WriteLine($"[{id}] connection failed: {ex.Message}");
                string? hint = CliOptions.Hint((ex as TlsException)?.Error);
                if (hint != null)
                {
                    Console.Error.WriteLine($"[{id}] {hint}");
                }
            }
        }
    }
}
