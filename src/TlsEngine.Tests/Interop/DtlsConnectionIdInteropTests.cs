using System.Net;
using System.Net.Sockets;
using System.Text;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Interop.DtlsConnectionInteropTests;

namespace TlsEngine.Tests.Interop;

/// <summary>DTLS 1.3 connection ids (RFC 9147 §9) against wolfSSL over UDP on 127.0.0.1, both roles; wolfSSL takes its id as ASCII (at most 2 bytes).</summary>
public class DtlsConnectionIdInteropTests
{
    private const int TimeoutMs = 20000;

    [PeerFact(Peer.WolfSslDtls13)]
    public void Client_negotiates_connection_ids_with_wolfssl_server_and_its_records_carry_the_servers_id()
    {
        (OpenSslProcess server, int port) = DtlsPeers.WolfSslServer(4, "-e --cid ab");
        using (server)
        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            udp.Connect(IPAddress.Loopback, port);
            var clock = new ShiftedClock();
            TlsClientOptions options = Engines.Client(seed: null);
            options.TimeProvider = clock;
            using DtlsConnection client = DtlsConnection.CreateClient(options, new TlsDatagramOptions { ConnectionIdLength = 4 });
            client.Connect();
            Pump(client, udp, () => client.IsHandshakeComplete, clock);

            Assert.Equal(TlsVersion.Tls13, client.NegotiatedVersion);
            Assert.True(client.ConnectionIdsNegotiated);
            Assert.Equal("ab"u8.ToArray(), client.PeerConnectionId);
            client.Send(Encoding.UTF8.GetBytes("echo with ids"));
            byte[] datagram = new byte[2048];
            Assert.True(client.TryTakeDatagram(datagram, out int length));
            Assert.Equal(0x10, datagram[0] & 0x10);
            Assert.Equal("ab"u8.ToArray(), datagram.AsSpan(1, 2).ToArray());
            udp.Send(datagram, length);

            var received = new StringBuilder();
            Pump(client, udp, () => received.Append(ReceiveText(client)).ToString().Contains("echo with ids", StringComparison.Ordinal), clock);
            Assert.True(client.LastDatagramAuthenticated);
            server.WaitFor(() => server.Stdout.Contains("CID extension was negotiated", StringComparison.Ordinal), "wolfssl-server to report the ids", TimeoutMs);
        }
    }

    [PeerFact(Peer.WolfSslDtls13)]
    public void Server_negotiates_connection_ids_with_wolfssl_client_and_routes_its_records_by_id()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        var clock = new ShiftedClock();
        TlsServerOptions options = Engines.Server(seed: null);
        options.TimeProvider = clock;
        using DtlsConnection server = DtlsConnection.CreateServer(options, new TlsDatagramOptions { ConnectionIdLength = 5 }, new byte[] { 127, 0, 0, 1 });
        server.Accept();
        using OpenSslProcess client = DtlsPeers.WolfSslClient(port, 4, "--cid cd");

        var received = new StringBuilder();
        Pump(server, udp, () => received.Append(ReceiveText(server)).ToString().Contains(DtlsPeers.WolfSslClientMessage, StringComparison.Ordinal), clock, from => udp.Connect(from));

        Assert.True(server.ConnectionIdsNegotiated);
        Assert.Equal("cd"u8.ToArray(), server.PeerConnectionId);
        server.Send(Encoding.UTF8.GetBytes(DtlsPeers.WolfSslClientMessage));
        byte[] datagram = new byte[2048];
        Assert.True(server.TryTakeDatagram(datagram, out int length));
        Assert.Equal("cd"u8.ToArray(), datagram.AsSpan(1, 2).ToArray());
        udp.Send(datagram, length);
        Pump(server, udp, () => true, clock);
        Assert.True(client.WaitForExit(TimeoutMs), "wolfssl-client did not finish");
        Assert.True(client.ExitCode == 0, client.Stdout + client.Stderr);
        Assert.Contains("CID extension was negotiated", client.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(DtlsPeers.WolfSslClientMessage, client.Stdout.TrimEnd(), StringComparison.Ordinal);
    }
}
