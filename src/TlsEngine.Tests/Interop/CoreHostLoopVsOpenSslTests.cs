using System.Net;
using System.Net.Sockets;
using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>
/// The host loop docs/api.md gives for the caller-buffered core, over a real socket to
/// `openssl s_server -rev`: the host owns both buffers, records are decrypted in its receive buffer.
/// </summary>
public class CoreHostLoopVsOpenSslTests
{
    [PeerTheory(Peer.OpenSsl)]
    [InlineData("-tls1_3", TlsVersion.Tls13)]
    [InlineData("-tls1_2", TlsVersion.Tls12)]
    public void Documented_core_host_loop_exchanges_data_with_openssl(string versionFlag, TlsVersion expected)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"{versionFlag} -rev -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10000, SendTimeout = 10000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        using var tls = TlsConnection.CreateClient(Engines.Client(seed: null));

        string reply = HostLoop(tls, socket, "hello core\n");

        Assert.Equal("eroc olleh\n", reply);
        Assert.Equal(expected, tls.Version);
    }

    /// <summary>The loop of docs/api.md, ending when a whole line has come back.</summary>
    private static string HostLoop(TlsConnection tls, Socket socket, string line)
    {
        byte[] rx = new byte[64 * 1024];
        byte[] tx = new byte[64 * 1024];
        int rxLength = 0;
        byte[] request = Encoding.ASCII.GetBytes(line);
        int requestSent = 0;
        var text = new StringBuilder();

        while (!text.ToString().EndsWith("\n", StringComparison.Ordinal))
        {
            TlsStatus sent;
            do
            {
                sent = tls.Transmit(tx, out int n);
                socket.Send(tx, 0, n, SocketFlags.None);
            }
            while (sent == TlsStatus.WantWrite);
            Assert.NotEqual(TlsStatus.Failed, sent);

            if (tls.IsHandshakeComplete && requestSent < request.Length)
            {
                tls.Send(request.AsSpan(requestSent), tx, out int taken, out int written);
                socket.Send(tx, 0, written, SocketFlags.None);
                requestSent += taken;
                continue;
            }

            TlsStatus status = tls.Receive(rx.AsSpan(0, rxLength), out int consumed, out Span<byte> plaintext);
            text.Append(Encoding.ASCII.GetString(plaintext));
            Buffer.BlockCopy(rx, consumed, rx, 0, rxLength - consumed);
            rxLength -= consumed;
            Assert.True(status is not (TlsStatus.Failed or TlsStatus.Closed), $"{status}: {tls.LastError}");
            if (status == TlsStatus.WantRead)
            {
                int got = socket.Receive(rx, rxLength, rx.Length - rxLength, SocketFlags.None);
                Assert.True(got > 0, "transport closed before the reply");
                rxLength += got;
            }
        }

        return text.ToString();
    }
}
