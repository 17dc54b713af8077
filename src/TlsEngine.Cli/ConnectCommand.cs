using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TlsEngine.Cli;

/// <summary>`tlsengine connect`: like openssl s_client, over a TCP socket driven through the engine.</summary>
internal static class ConnectCommand
{
    public static readonly CliCommand Spec = new("connect", "like openssl s_client: negotiated parameters to stderr, received data to stdout; without --send, stdin lines are sent", Run, "HOST:PORT")
    {
        CliOption.Text("servername", "NAME", "server name to send (SNI) and verify (default: HOST)"),
        CliOption.Text("cafile", "PEM", "trust anchors (default: the machine's roots)"),
        CliOption.Flag("insecure", "accept any server certificate (no verification)"),
        CliOptions.Alpn,
        CliOptions.Groups,
        CliOption.Text("send", "TEXT", "send TEXT and a newline, print the reply, close"),
        CliOption.Int("idle-ms", "N", "close after N ms of silence once the input is sent (default 1500)"),
        CliOption.Int("timeout-ms", "N", "give up after N ms without a reply (default 30000)"),
        CliOption.Flag("verbose", "print the peer's certificates and more"),
        CliOptions.KeyLog,
        CliOptions.Versions,
        CliOption.Text("cert", "PEM", "client certificate chain (with --key)"),
        CliOption.Text("key", "PEM", "client private key (with --cert)"),
        CliOption.Int("reconnect", "N", "resume N more times with the previous connection's ticket (needs --send)"),
        CliOption.Text("early-data", "TEXT", "send TEXT as 0-RTT data on each resumption"),
        CliOptions.AllowNoEms,
        CliOptions.CertificateFree,
        DatagramOptions.Options,
    };

    public static int Run(CliArgs args)
    {
        if (args.Positional.Count != 1 || !TrySplitHostPort(args.Positional[0], out string host, out int port))
        {
            throw new CliException("connect needs HOST:PORT");
        }

        bool datagram = DatagramOptions.IsDatagram(args, Spec);

        var options = new TlsClientOptions
        {
            ServerName = args.Get("servername") ?? host,
            DangerousAcceptAnyServerCertificate = args.Has("insecure"),
        };
        string? caFile = args.Get("cafile");
        if (caFile != null)
        {
            options.TrustAnchors = TlsTrustAnchors.FromPemFile(caFile);
        }

        foreach (string protocol in args.GetList("alpn"))
        {
            options.ApplicationProtocols.Add(protocol);
        }

        List<TlsNamedGroup> groups = CliArgs.ParseGroups(args.GetList("groups"));
        if (groups.Count > 0)
        {
            options.Groups = groups;
            options.KeyShareGroups = new List<TlsNamedGroup> { groups[0] };
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

        args.ApplyRawKeysAndRecordSize(options, server: false);
        CliOptions.ApplyExtendedMasterSecret(args, options);
        string? cert = args.Get("cert");
        string? key = args.Get("key");
        if ((cert == null) != (key == null))
        {
            throw new CliException("--cert and --key go together");
        }

        if (cert != null)
        {
            options.ClientCertificate = TlsCertificateCredential.FromPemFiles(cert, key!);
        }

        TlsExternalPsk? psk = args.GetPsk();
        if (psk != null)
        {
            options.ExternalPsks.Add(psk);
        }

        options.CertificatePins = args.GetList("pin");
        int reconnect = args.GetInt("reconnect", 0);
        string? send = args.Get("send");
        if (reconnect > 0 && send == null)
        {
            throw new CliException("--reconnect needs --send");
        }

        if (datagram)
        {
            return DtlsClient.Run(host, port, options, args, send);
        }

        options.SessionCache = new TlsSessionCache();
        string? early = args.Get("early-data");
        int exit = 0;
        for (int i = 0; i <= reconnect && exit == 0; i++)
        {
            // 0-RTT needs a ticket, so it can only go out on a reconnection.
            options.EarlyData = i > 0 && early != null ? System.Text.Encoding.UTF8.GetBytes(early + "\n") : null;
            exit = RunOnce(host, port, options, args, send);
        }

        return exit;
    }

    private static int RunOnce(string host, int port, TlsClientOptions options, CliArgs args, string? send)
    {
        bool verbose = args.Has("verbose");
        int idleMs = args.GetInt("idle-ms", 1500);
        int timeoutMs = args.GetInt("timeout-ms", 30000);
        using var tcp = new TcpClient();
        tcp.NoDelay = true;
        tcp.Connect(host, port);
        tcp.ReceiveTimeout = timeoutMs;
        using var tls = new TlsStream(tcp.GetStream(), TlsConnection.CreateClient(options));
        try
        {
            tls.Authenticate();
        }
        catch (TlsException ex)
        {
            Console.Error.WriteLine($"handshake failed: {ex.Error}");
            string? hint = CliOptions.Hint(ex.Error);
            if (hint != null)
            {
                Console.Error.WriteLine(hint);
            }

            return 1;
        }

        TlsConnection c = tls.Connection;
        Console.Error.WriteLine($"connected: version={c.Version} suite={c.CipherSuite} group={c.Group?.ToString() ?? "(none)"} alpn={c.ApplicationProtocol ?? "(none)"} signature={c.PeerSignatureScheme?.ToString() ?? "(none)"} hrr={c.HelloRetryRequested} resumed={c.IsResumed.ToString().ToLowerInvariant()} early-data={c.EarlyDataStatus} psk={(c.PskIdentity == null ? "(none)" : Encoding.UTF8.GetString(c.PskIdentity))}");
        if (verbose)
        {
            Console.Error.WriteLine($"server certificates: {c.PeerCertificates.Count}, server name: {c.ServerName}");
        }

        LineInput input = LineInput.Start(send);
        return Pump(tcp, tls, input, idleMs, timeoutMs);
    }

    /// <summary>
    /// Forwards queued lines and prints what arrives. Once the input is done (the --send text is
    /// out, or stdin ended), the connection is closed after --idle-ms of silence, so replies to the
    /// last lines still arrive; with --send it first waits (up to --timeout-ms) for some data.
    /// </summary>
    private static int Pump(TcpClient tcp, TlsStream tls, LineInput input, int idleMs, int timeoutMs)
    {
        // Reads go through the engine directly, so a pending line is never stuck behind a read
        // that waits for the network: the socket is only polled when the engine wants bytes.
        TlsConnection connection = tls.Connection;
        var buffer = new byte[16384];
        var silence = Stopwatch.StartNew();
        bool gotData = false;
        using Stream stdout = Console.OpenStandardOutput();
        while (true)
        {
            while (input.Lines.TryDequeue(out string? line))
            {
                tls.Write(Encoding.UTF8.GetBytes(line + "\n"));
                silence.Restart();
            }

            TlsStatus status = connection.Read(buffer, out int n);
            tls.Flush();
            switch (status)
            {
                case TlsStatus.Ok when n > 0:
                    stdout.Write(buffer, 0, n);
                    stdout.Flush();
                    gotData = true;
                    silence.Restart();
                    continue;
                case TlsStatus.Closed:
                    tls.Shutdown();
                    return 0;
                case TlsStatus.Failed:
                    Console.Error.WriteLine($"connection failed: {connection.LastError}");
                    return 1;
            }

            if (tcp.Client.Poll(50_000, SelectMode.SelectRead))
            {
                int received = tcp.Client.Receive(buffer, 0, Math.Min(buffer.Length, connection.Inbound.Available), SocketFlags.None);
                if (received == 0)
                {
                    Console.Error.WriteLine("the server closed the connection without close_notify");
                    return gotData ? 0 : 1;
                }

                connection.Inbound.Write(buffer.AsSpan(0, received));
                continue;
            }

            switch (input.AfterTurn(gotData, silence.ElapsedMilliseconds, idleMs, timeoutMs))
            {
                case LineInput.Turn.TimedOut:
                    Console.Error.WriteLine("timed out waiting for the server");
                    return 1;
                case LineInput.Turn.Close:
                    tls.Shutdown();
                    return 0;
            }
        }
    }

    internal static bool TrySplitHostPort(string value, out string host, out int port)
    {
        int colon = value.LastIndexOf(':');
        host = colon > 0 ? value[..colon].Trim('[', ']') : value;
        port = 0;
        return colon > 0 && int.TryParse(value[(colon + 1)..], out port) && port is > 0 and < 65536;
    }
}
