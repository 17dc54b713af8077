using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TlsEngine.Samples;

/// <summary>
/// TLS over UDP on loopback, through a small reliable channel: sequenced segments, cumulative
/// in-order delivery, acknowledgements and retransmission after a timeout. The sender drops
/// every fifth datagram on purpose, so retransmission is exercised. TLS needs an ordered byte
/// stream; this is the minimum a custom transport must provide.
/// </summary>
internal static class ReliableUdpTunnel
{
    public static bool Run()
    {
        using var a = new Channel();
        using var b = new Channel();
        a.Peer = b.LocalEndPoint;
        b.Peer = a.LocalEndPoint;
        using var client = TlsConnection.CreateClient(Credentials.Client());
        using var server = TlsConnection.CreateServer(Credentials.Server());
        var buffer = new byte[16384];
        bool sent = false;
        string reply = string.Empty;
        var watch = Stopwatch.StartNew();
        while (reply.Length == 0 && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            client.Connect();
            server.Accept();
            Shuttle(client, a);
            Shuttle(server, b);
            if (client.IsHandshakeComplete && !sent)
            {
                client.Write(Encoding.UTF8.GetBytes("hello over udp"), out _);
                sent = true;
            }

            if (server.Read(buffer, out int n) == TlsStatus.Ok && n > 0)
            {
                server.Write(buffer.AsSpan(0, n), out _);
            }

            if (sent && client.Read(buffer, out int r) == TlsStatus.Ok && r > 0)
            {
                reply = Encoding.UTF8.GetString(buffer, 0, r);
            }
        }

        return reply == "hello over udp" && a.Retransmissions + b.Retransmissions > 0;
    }

    private static void Shuttle(TlsConnection connection, Channel channel)
    {
        if (connection.Outbound.Length > 0)
        {
            channel.Send(connection.Outbound.ReadAll());
        }

        channel.Poll();
        byte[] received = channel.Receive(connection.Inbound.Available);
        connection.Inbound.Write(received);
    }

    /// <summary>Segments: [kind 1][seq 4][payload]; kind 0 = data, 1 = ack (seq = next expected).</summary>
    private sealed class Channel : IDisposable
    {
        private const int Mtu = 1000;
        private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly SortedDictionary<uint, (byte[] Segment, long SentAt)> _unacked = new();
        private readonly SortedDictionary<uint, byte[]> _early = new();
        private readonly List<byte> _delivered = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private uint _nextSend;
        private uint _nextExpected;
        private int _datagrams;

        public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

        public IPEndPoint? Peer { get; set; }

        public int Retransmissions { get; private set; }

        public void Send(byte[] data)
        {
            for (int offset = 0; offset < data.Length; offset += Mtu)
            {
                byte[] segment = Segment(0, _nextSend, data.AsSpan(offset, Math.Min(Mtu, data.Length - offset)));
                _unacked[_nextSend++] = (segment, _clock.ElapsedMilliseconds);
                Transmit(segment);
            }
        }

        public void Poll()
        {
            while (_socket.Available > 0)
            {
                IPEndPoint? from = null;
                byte[] datagram = _socket.Receive(ref from);
                uint seq = (uint)((datagram[1] << 24) | (datagram[2] << 16) | (datagram[3] << 8) | datagram[4]);
                if (datagram[0] == 1)
                {
                    foreach (uint acked in _unacked.Keys.Where(k => k < seq).ToList())
                    {
                        _unacked.Remove(acked);
                    }

                    continue;
                }

                if (seq >= _nextExpected)
                {
                    _early[seq] = datagram[5..];
                }

                while (_early.Remove(_nextExpected, out byte[]? payload))
                {
                    _delivered.AddRange(payload);
                    _nextExpected++;
                }

                Transmit(Segment(1, _nextExpected, ReadOnlySpan<byte>.Empty));
            }

            foreach ((uint seq, (byte[] segment, long sentAt)) in _unacked.ToList())
            {
                if (_clock.ElapsedMilliseconds - sentAt > 30)
                {
                    Retransmissions++;
                    _unacked[seq] = (segment, _clock.ElapsedMilliseconds);
                    Transmit(segment);
                }
            }

            Thread.Sleep(1);
        }

        public byte[] Receive(int max)
        {
            int take = Math.Min(max, _delivered.Count);
            byte[] bytes = _delivered.GetRange(0, take).ToArray();
            _delivered.RemoveRange(0, take);
            return bytes;
        }

        public void Dispose() => _socket.Dispose();

        private static byte[] Segment(byte kind, uint seq, ReadOnlySpan<byte> payload)
        {
            byte[] segment = new byte[5 + payload.Length];
            segment[0] = kind;
            segment[1] = (byte)(seq >> 24);
            segment[2] = (byte)(seq >> 16);
            segment[3] = (byte)(seq >> 8);
            segment[4] = (byte)seq;
            payload.CopyTo(segment.AsSpan(5));
            return segment;
        }

        private void Transmit(byte[] segment)
        {
            // A lossy link: every fifth datagram vanishes.
            if (++_datagrams % 5 != 0)
            {
                _socket.Send(segment, segment.Length, Peer);
            }
        }
    }
}
