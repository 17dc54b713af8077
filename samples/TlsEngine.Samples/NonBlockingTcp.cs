using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TlsEngine.Samples;

/// <summary>
/// A non-blocking TCP client and server in one thread, driven by Socket.Poll: the shape of a
/// select()-based C server. TCP_NODELAY is set because a TLS flight is several small records
/// written together; with Nagle's algorithm the second write of a flight can wait for the
/// peer's delayed ACK (about 40 ms) and every handshake round trip pays it.
/// </summary>
internal static class NonBlockingTcp
{
    public static bool Run()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        clientSocket.Connect(listener.LocalEndPoint!);
        using Socket serverSocket = listener.Accept();
        serverSocket.NoDelay = true;
        clientSocket.Blocking = false;
        serverSocket.Blocking = false;

        using var client = TlsConnection.CreateClient(Credentials.Client());
        using var server = TlsConnection.CreateServer(Credentials.Server());
        var buffer = new byte[16384];
        bool sent = false;
        string reply = string.Empty;
        for (int tick = 0; tick < 2000 && reply.Length == 0; tick++)
        {
            Pump(client, clientSocket, buffer);
            Pump(server, serverSocket, buffer);
            if (client.Connect() == TlsStatus.Ok && !sent)
            {
                client.Write(Encoding.UTF8.GetBytes("hello over tcp"), out _);
                sent = true;
            }

            if (server.Accept() == TlsStatus.Ok && server.Read(buffer, out int n) == TlsStatus.Ok && n > 0)
            {
                server.Write(buffer.AsSpan(0, n), out _);
            }

            if (sent && client.Read(buffer, out int r) == TlsStatus.Ok && r > 0)
            {
                reply = Encoding.UTF8.GetString(buffer, 0, r);
            }
        }

        return reply == "hello over tcp";
    }

    /// <summary>Send whatever the engine queued, then take whatever the socket has, without blocking.</summary>
    private static void Pump(TlsConnection connection, Socket socket, byte[] buffer)
    {
        while (connection.Outbound.Length > 0 && socket.Poll(0, SelectMode.SelectWrite))
        {
            int n = connection.Outbound.Read(buffer);
            socket.Send(buffer, 0, n, SocketFlags.None);
        }

        if (socket.Poll(1000, SelectMode.SelectRead) && socket.Available > 0)
        {
            int n = socket.Receive(buffer, 0, Math.Min(buffer.Length, connection.Inbound.Available), SocketFlags.None);
            connection.Inbound.Write(buffer.AsSpan(0, n));
        }
    }
}
