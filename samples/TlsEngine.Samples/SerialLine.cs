using System.Text;

namespace TlsEngine.Samples;

/// <summary>
/// A serial line: one byte per tick in each direction, as a UART would deliver them. The engine
/// reassembles records and handshake messages from any split, so nothing else is needed. A device
/// at the other end of such a line has little memory: both ends announce a record size limit of
/// 256 bytes (RFC 8449), so neither ever has to buffer a larger record than that.
/// </summary>
internal static class SerialLine
{
    /// <summary>The largest record either end accepts, the inner content type byte included.</summary>
    public const int RecordSizeLimit = 256;

    public static bool Run()
    {
        TlsClientOptions clientOptions = Credentials.Client();
        clientOptions.RecordSizeLimit = RecordSizeLimit;
        TlsServerOptions serverOptions = Credentials.Server();
        serverOptions.RecordSizeLimit = RecordSizeLimit;
        using var client = TlsConnection.CreateClient(clientOptions);
        using var server = TlsConnection.CreateServer(serverOptions);
        var toServer = new Queue<byte>();
        var toClient = new Queue<byte>();
        var buffer = new byte[256];
        bool sent = false;
        string reply = string.Empty;
        for (int tick = 0; tick < 200_000 && reply.Length == 0; tick++)
        {
            client.Connect();
            server.Accept();
            Drain(client, toServer);
            Drain(server, toClient);
            if (toServer.Count > 0)
            {
                server.Inbound.Write(new[] { toServer.Dequeue() });
            }

            if (toClient.Count > 0)
            {
                client.Inbound.Write(new[] { toClient.Dequeue() });
            }

            if (client.IsHandshakeComplete && !sent)
            {
                client.Write(Encoding.ASCII.GetBytes("AT+HELLO"), out _);
                sent = true;
            }

            if (server.Read(buffer, out int n) == TlsStatus.Ok && n > 0)
            {
                server.Write(buffer.AsSpan(0, n), out _);
            }

            if (sent && client.Read(buffer, out int r) == TlsStatus.Ok && r > 0)
            {
                reply = Encoding.ASCII.GetString(buffer, 0, r);
            }
        }

        return reply == "AT+HELLO";
    }

    private static void Drain(TlsConnection connection, Queue<byte> line)
    {
        foreach (byte b in connection.Outbound.ReadAll())
        {
            line.Enqueue(b);
        }
    }
}
