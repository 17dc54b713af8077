namespace TlsEngine.Fuzz;

/// <summary>
/// DtlsConnection as a whole, client and server: datagrams from the input, with timer calls
/// interleaved, must never throw, and a failure must carry a typed reason other than Internal.
/// </summary>
public static class DtlsConnectionTargets
{
    /// <summary>The server's cookie key, fixed so that recorded second ClientHellos carry valid cookies.</summary>
    private static readonly byte[] CookieKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    public static TlsClientOptions ClientOptions() => FuzzSetup.Client();

    /// <summary>The fuzz server without what datagram connections refuse (tickets, 0-RTT).</summary>
    public static TlsServerOptions ServerOptions()
    {
        TlsServerOptions options = FuzzSetup.Server();
        options.SessionTicketKeys = null;
        options.MaxEarlyDataSize = 0;
        return options;
    }

    public static TlsDatagramOptions Transport() => new() { CookieKey = CookieKey };

    public static DtlsConnection Create(bool server) => server
        ? DtlsConnection.CreateServer(ServerOptions(), Transport(), PeerAddress)
        : DtlsConnection.CreateClient(ClientOptions(), Transport());

    /// <summary>The address the recorded client had, bound into its cookie.</summary>
    public static byte[] PeerAddress { get; } = { 192, 0, 2, 7, 0x12, 0x34 };

    /// <summary>Datagrams as [2-byte length, bytes]...; an empty one stands for a HandleTimeout call.</summary>
    public static void Client(ReadOnlySpan<byte> data) => Run(server: false, data).Dispose();

    public static void Server(ReadOnlySpan<byte> data) => Run(server: true, data).Dispose();

    /// <summary>What the targets do with an input, returning the connection so its outcome can be inspected.</summary>
    public static DtlsConnection Run(bool server, ReadOnlySpan<byte> data)
    {
        DtlsConnection connection = Create(server);
        try
        {
            Drive(connection, server, data);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Drive(DtlsConnection connection, bool server, ReadOnlySpan<byte> data)
    {
        var sink = new byte[DtlsConnection.MaxDatagramSize];
        Check(connection, server ? connection.Accept() : connection.Connect(), sink);
        int at = 0;
        while (at + 2 <= data.Length)
        {
            int length = Math.Min((data[at] << 8) | data[at + 1], data.Length - at - 2);
            ReadOnlySpan<byte> datagram = data.Slice(at + 2, length);
            at += 2 + length;
            TlsStatus status = length == 0 ? connection.HandleTimeout() : connection.ReceiveDatagram(datagram);
            Check(connection, status, sink);
            while (connection.TryReceive(sink, out _))
            {
            }

            if (status == TlsStatus.Failed)
            {
                return;
            }
        }
    }

    private static void Check(DtlsConnection connection, TlsStatus status, byte[] sink)
    {
        FuzzTargets.Check(Enum.IsDefined(status), "invalid status");
        FuzzTargets.Check((status == TlsStatus.Failed) == (connection.LastError != null), "Failed and LastError disagree");
        FuzzTargets.Check(connection.LastError?.Reason != TlsFailureReason.Internal, $"internal error: {connection.LastError?.Message}");
        int datagrams = 0;
        while (connection.TryTakeDatagram(sink, out int length))
        {
            FuzzTargets.Check(length > 0, "an empty datagram was produced");
            FuzzTargets.Check(++datagrams <= 1000, "too many datagrams for one input datagram");
        }
    }

    /// <summary>Seeds: the datagrams each side received in lossless DTLS 1.3 and 1.2 handshakes with data and close_notify.</summary>
    internal static IEnumerable<(string Target, string Name, byte[] Data)> Seeds()
    {
        foreach ((string name, TlsVersion version) in new[] { ("dtls13", TlsVersion.Tls13), ("dtls12", TlsVersion.Tls12) })
        {
            // Each side's seeds come from a handshake where only the other side was limited to the
            // version, so the fuzzed side's options (and first flight) are those of the target.
            (List<byte[]> toClient, _) = Record(version, limitClient: false);
            (_, List<byte[]> toServer) = Record(version, limitClient: true);
            yield return ("dtls-client", name, Join(toClient));
            yield return ("dtls-server", name, Join(toServer));
            yield return ("dtls-client", name + "-timer", Join(toClient.SelectMany(d => new[] { d, Array.Empty<byte>() })));
            yield return ("dtls-server", name + "-timer", Join(toServer.SelectMany(d => new[] { Array.Empty<byte>(), d })));
        }
    }

    private static (List<byte[]> ToClient, List<byte[]> ToServer) Record(TlsVersion version, bool limitClient)
    {
        TlsClientOptions clientOptions = ClientOptions();
        TlsServerOptions serverOptions = ServerOptions();
        (limitClient ? (TlsOptions)clientOptions : serverOptions).MaxVersion = version;
        using DtlsConnection client = DtlsConnection.CreateClient(clientOptions, Transport());
        using DtlsConnection server = DtlsConnection.CreateServer(serverOptions, Transport(), PeerAddress);
        var toClient = new List<byte[]>();
        var toServer = new List<byte[]>();
        var buffer = new byte[DtlsConnection.MaxDatagramSize];
        void Pump()
        {
            for (int round = 0; round < 100 && (client.PendingDatagrams > 0 || server.PendingDatagrams > 0); round++)
            {
                while (client.TryTakeDatagram(buffer, out int n))
                {
                    toServer.Add(buffer[..n]);
                    server.ReceiveDatagram(buffer.AsSpan(0, n));
                }

                while (server.TryTakeDatagram(buffer, out int n))
                {
                    toClient.Add(buffer[..n]);
                    client.ReceiveDatagram(buffer.AsSpan(0, n));
                }
            }
        }

        client.Connect();
        server.Accept();
        Pump();
        if (!client.IsHandshakeComplete || !server.IsHandshakeComplete)
        {
            throw new InvalidOperationException($"DTLS corpus handshake failed: {client.LastError} / {server.LastError}");
        }

        client.Send("GET / HTTP/1.1\r\n\r\n"u8);
        server.Send("HTTP/1.1 200 OK\r\n\r\n"u8);
        Pump();
        client.Close();
        server.Close();
        Pump();
        return (toClient, toServer);
    }

    private static byte[] Join(IEnumerable<byte[]> datagrams) =>
        datagrams.SelectMany(d => new byte[] { (byte)(d.Length >> 8), (byte)d.Length }.Concat(d)).ToArray();
}
