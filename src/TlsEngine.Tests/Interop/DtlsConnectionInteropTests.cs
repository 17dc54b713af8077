using System.Net;
using System.Net.Sockets;
using System.Text;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>DtlsConnection against wolfSSL (DTLS 1.3) and OpenSSL (DTLS 1.2) over real UDP on 127.0.0.1, both roles.</summary>
public class DtlsConnectionInteropTests
{
    private const int TimeoutMs = 20000;

    /// <summary>Real time moving from the test PKI's fixed instant, so certificates verify and timers run.</summary>
    internal sealed class ShiftedClock : TimeProvider
    {
        private readonly DateTime _start = DateTime.UtcNow;

        public override DateTimeOffset GetUtcNow() => Engines.Now + (DateTime.UtcNow - _start);
    }

    /// <summary>Moves datagrams between the connection and a UDP socket until <paramref name="done"/> or the time limit.</summary>
    internal static void Pump(DtlsConnection connection, UdpClient udp, Func<bool> done, TimeProvider clock, Action<IPEndPoint>? firstPeer = null)
    {
        byte[] buffer = new byte[65535];
        DateTime deadline = DateTime.UtcNow.AddMilliseconds(TimeoutMs);
        while (!done() && connection.LastError == null && DateTime.UtcNow < deadline)
        {
            while (connection.TryTakeDatagram(buffer, out int length))
            {
                udp.Send(buffer, length);
            }

            if (udp.Client.Poll(20_000, SelectMode.SelectRead))
            {
                IPEndPoint? from = null;
                byte[] datagram = udp.Receive(ref from);
                if (firstPeer != null)
                {
                    firstPeer(from);
                    firstPeer = null;
                }

                connection.ReceiveDatagram(datagram);
            }

            if (connection.NextTimeout <= clock.GetUtcNow())
            {
                connection.HandleTimeout();
            }
        }

        while (connection.TryTakeDatagram(buffer, out int rest))
        {
            udp.Send(buffer, rest);
        }

        Assert.True(done(), $"Not done: {connection.LastError}");
    }

    private static DtlsConnection Client(TimeProvider clock, TlsVersion max)
    {
        TlsClientOptions options = Engines.Client(seed: null);
        options.TimeProvider = clock;
        options.MaxVersion = max;
        return DtlsConnection.CreateClient(options);
    }

    internal static string ReceiveText(DtlsConnection connection)
    {
        byte[] buffer = new byte[2048];
        var text = new StringBuilder();
        while (connection.TryReceive(buffer, out int length))
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, length));
        }

        return text.ToString();
    }

    [PeerFact(Peer.OpenSsl)]
    public void Client_completes_dtls12_with_openssl_s_server_and_exchanges_lines()
    {
        (OpenSslProcess server, int port) = DtlsPeers.OpenSslServer();
        using (server)
        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            udp.Connect(IPAddress.Loopback, port);
            var clock = new ShiftedClock();
            using DtlsConnection client = Client(clock, TlsVersion.Tls13);
            client.Connect();
            Pump(client, udp, () => client.IsHandshakeComplete, clock);
            Assert.Equal(TlsVersion.Tls12, client.NegotiatedVersion);

            client.Send(Encoding.UTF8.GetBytes("ping from DtlsConnection\n"));
            Pump(client, udp, () => true, clock);
            server.WaitFor(() => server.Stdout.Contains("ping from DtlsConnection", StringComparison.Ordinal), "s_server to print the line", TimeoutMs);
            server.Stdin.WriteLine("pong from s_server");
            server.Stdin.Flush();
            var received = new StringBuilder();
            Pump(client, udp, () => received.Append(ReceiveText(client)).ToString().Contains("pong from s_server", StringComparison.Ordinal), clock);
        }
    }

    [PeerFact(Peer.WolfSslDtls13)]
    public void Client_completes_dtls13_with_wolfssl_server_through_its_cookie_retry_and_gets_an_echo()
    {
        (OpenSslProcess server, int port) = DtlsPeers.WolfSslServer(4, "-e");
        using (server)
        {
            ConnectAndGetEcho(port, TlsVersion.Tls13, "echo me");
        }
    }

    /// <summary>Our client against an echoing server on <paramref name="port"/>: the handshake, the version, one message and its echo.</summary>
    internal static void ConnectAndGetEcho(int port, TlsVersion expected, string message)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        udp.Connect(IPAddress.Loopback, port);
        var clock = new ShiftedClock();
        using DtlsConnection client = Client(clock, TlsVersion.Tls13);
        client.Connect();
        Pump(client, udp, () => client.IsHandshakeComplete, clock);
        Assert.Equal(expected, client.NegotiatedVersion);

        client.Send(Encoding.UTF8.GetBytes(message));
        var received = new StringBuilder();
        Pump(client, udp, () => received.Append(ReceiveText(client)).ToString().Contains(message, StringComparison.Ordinal), clock);
    }

    [PeerFact(Peer.WolfSslDtls13)]
    public void Server_completes_dtls13_with_wolfssl_client_and_echoes_its_message()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        var clock = new ShiftedClock();
        TlsServerOptions options = Engines.Server(seed: null);
        options.TimeProvider = clock;
        using DtlsConnection server = DtlsConnection.CreateServer(options, new TlsDatagramOptions { ValidatePeerAddress = true }, new byte[] { 127, 0, 0, 1 });
        server.Accept();
        using OpenSslProcess client = DtlsPeers.WolfSslClient(port, 4);

        var received = new StringBuilder();
        Pump(server, udp, () => received.Append(ReceiveText(server)).ToString().Contains(DtlsPeers.WolfSslClientMessage, StringComparison.Ordinal), clock, from => udp.Connect(from));
        Assert.Equal(TlsVersion.Tls13, server.NegotiatedVersion);
        server.Send(Encoding.UTF8.GetBytes(DtlsPeers.WolfSslClientMessage));
        Pump(server, udp, () => true, clock);
        Assert.True(client.WaitForExit(TimeoutMs), "wolfssl-client did not finish");
        Assert.True(client.ExitCode == 0, client.Stdout + client.Stderr);
        Assert.EndsWith(DtlsPeers.WolfSslClientMessage, client.Stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Server_completes_dtls12_with_openssl_s_client_through_hello_verify_request()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        var clock = new ShiftedClock();
        TlsServerOptions options = Engines.Server(seed: null);
        options.TimeProvider = clock;
        using DtlsConnection server = DtlsConnection.CreateServer(options, null, new byte[] { 127, 0, 0, 1 });
        server.Accept();
        using OpenSslProcess client = DtlsPeers.OpenSslClient(port, "-groups X25519:P-256");

        Pump(server, udp, () => server.IsHandshakeComplete, clock, from => udp.Connect(from));
        Assert.Equal(TlsVersion.Tls12, server.NegotiatedVersion);
        client.Stdin.WriteLine("ping from s_client");
        client.Stdin.Flush();
        var received = new StringBuilder();
        Pump(server, udp, () => received.Append(ReceiveText(server)).ToString().Contains("ping from s_client", StringComparison.Ordinal), clock);
    }
}
