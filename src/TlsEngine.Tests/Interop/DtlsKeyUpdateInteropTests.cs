using System.Net;
using System.Net.Sockets;
using System.Text;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Interop.DtlsConnectionInteropTests;

namespace TlsEngine.Tests.Interop;

/// <summary>DTLS 1.3 KeyUpdate against wolfSSL's example server over UDP on 127.0.0.1.</summary>
public class DtlsKeyUpdateInteropTests
{
    private static DtlsConnection Client(TimeProvider clock)
    {
        TlsClientOptions options = Engines.Client(seed: null);
        options.TimeProvider = clock;
        return DtlsConnection.CreateClient(options);
    }

    [PeerFact(Peer.WolfSslDtls13)]
    public void Key_updates_both_ways_with_wolfssl_server_that_updates_before_it_echoes()
    {
        (OpenSslProcess server, int port) = DtlsPeers.WolfSslServer(4, "-e -U");
        using (server)
        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            udp.Connect(IPAddress.Loopback, port);
            var clock = new ShiftedClock();
            using DtlsConnection client = Client(clock);
            client.Connect();
            Pump(client, udp, () => client.IsHandshakeComplete, clock);

            client.RequestKeyUpdate(requestPeerUpdate: true);
            Pump(client, udp, () => !client.Channel.WriteKeyUpdatePending && client.Channel.ReadEpoch >= 4, clock);
            Assert.Equal(4UL, client.Channel.WriteEpoch);

            client.Send(Encoding.UTF8.GetBytes("echo me"));
            var received = new StringBuilder();
            Pump(client, udp, () => received.Append(ReceiveText(client)).ToString().Contains("echo me", StringComparison.Ordinal), clock);
            Assert.True(client.Channel.ReadEpoch >= 4);
            Assert.Null(client.LastError);
        }
    }
}
