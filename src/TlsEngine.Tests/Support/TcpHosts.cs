using System.Net;
using System.Net.Sockets;
using System.Text;
using TlsEngine;

namespace TlsEngine.Tests.Support;

/// <summary>Drives engines over real loopback sockets with bounded timeouts.</summary>
public static class TcpHosts
{
    public const int TimeoutMs = 10000;

    public static TlsStream ConnectClient(int port, TlsClientOptions options)
    {
        var tcp = new TcpClient();
        tcp.Connect(IPAddress.Loopback, port);
        tcp.NoDelay = true;
        tcp.ReceiveTimeout = TimeoutMs;
        tcp.SendTimeout = TimeoutMs;
        return new TlsStream(tcp.GetStream(), TlsConnection.CreateClient(options));
    }

    /// <summary>Reads until a newline (included) or the end of the stream.</summary>
    public static string ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (stream.Read(one, 0, 1) == 1)
        {
            bytes.Add(one[0]);
            if (one[0] == (byte)'\n')
            {
                break;
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>
    /// Accepts one connection on a background thread, runs <paramref name="session"/> on it and
    /// reports any exception through the returned task.
    /// </summary>
    public static (int Port, Task Done) ServeOnce(Func<Stream, Task> session)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task done = Task.Run(async () =>
        {
            try
            {
                using TcpClient client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
                client.NoDelay = true;
                client.ReceiveTimeout = TimeoutMs;
                client.SendTimeout = TimeoutMs;
                await session(client.GetStream());
            }
            finally
            {
                listener.Stop();
            }
        });
        return (port, done);
    }
}
