using System.Net;
using System.Net.Sockets;
using System.Text;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Interop.DtlsConnectionInteropTests;

namespace TlsEngine.Tests.Interop;

/// <summary>DtlsConnection against GnuTLS's DTLS 1.2 (gnutls-serv -u / gnutls-cli -u) over real UDP, both roles.</summary>
public class DtlsGnuTlsInteropTests
{
    [PeerFact(Peer.GnuTls)]
    public void Client_completes_dtls12_with_gnutls_serv_and_gets_its_echo()
    {
        (OpenSslProcess server, int port) = DtlsPeers.GnuTlsServer();
        using (server)
        {
            ConnectAndGetEcho(port, TlsVersion.Tls12, "echo from DtlsConnection");
        }
    }

    [PeerFact(Peer.GnuTls)]
    public void Server_completes_dtls12_with_gnutls_cli_and_reads_its_line()
    {
        // gnutls-cli resolves localhost itself and may pick ::1, so the socket takes both families.
        using var udp = new UdpClient(AddressFamily.InterNetworkV6);
        udp.Client.DualMode = true;
        udp.Client.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        var clock = new ShiftedClock();
        TlsServerOptions options = Engines.Server(seed: null);
        options.TimeProvider = clock;
        using DtlsConnection server = DtlsConnection.CreateServer(options, null, new byte[] { 127, 0, 0, 1 });
        server.Accept();
        using OpenSslProcess client = DtlsPeers.GnuTlsClient(port);

        Pump(server, udp, () => server.IsHandshakeComplete, clock, from => udp.Connect(from));
        Assert.Equal(TlsVersion.Tls12, server.NegotiatedVersion);
        client.Stdin.WriteLine("line from gnutls-cli");
        client.Stdin.Flush();
        var received = new StringBuilder();
        Pump(server, udp, () => received.Append(ReceiveText(server)).ToString().Contains("line from gnutls-cli", StringComparison.Ordinal), clock);
    }
}
