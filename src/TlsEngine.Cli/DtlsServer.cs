using System.Net;
using System.Net.Sockets;

namespace TlsEngine.Cli;

/// <summary>
/// `tlsengine serve --dtls`: one UDP socket, one <see cref="DtlsConnection"/> per client address,
/// all driven from a single thread; each message received is echoed back as one message.
/// </summary>
internal static class DtlsServer
{
    /// <summary>Clients served at once; a ClientHello beyond this is not answered.</summary>
    private const int MaxSessions = 64;

    /// <summary>A session that hears nothing for this long is dropped.</summary>
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(60);

    public static int Run(TlsServerOptions options, TlsDatagramOptions transport, IPEndPoint local, int count)
    {
        using var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(local);
        Console.Error.WriteLine($"listening on udp {socket.LocalEndPoint}");
        Console.WriteLine("ACCEPT");
        TimeProvider clock = options.TimeProvider;
        var sessions = new Dictionary<EndPoint, Session>();
        var buffer = new byte[DtlsConnection.MaxDatagramSize];
        int started = 0;
        int ended = 0;
        while (ended < count)
        {
            DateTimeOffset? due = sessions.Values.Select(s => s.Connection.NextTimeout).Where(t => t != null).Min();
            if (socket.Poll(UdpLink.WaitMs(due, clock, 1000) * 1000, SelectMode.SelectRead))
            {
                EndPoint from = new IPEndPoint(local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
                int length;
                try
                {
                    length = socket.ReceiveFrom(buffer, ref from);
                }
                catch (SocketException)
                {
                    // An ICMP error for an earlier datagram to some client: nothing to receive.
                    continue;
                }

                if (!sessions.TryGetValue(from, out Session? session) && started < count && sessions.Count < MaxSessions && IsClientHello(buffer.AsSpan(0, length)))
                {
                    session = new Session(++started, from, DtlsConnection.CreateServer(options, transport, UdpLink.AddressBytes(from)), clock);
                    session.Connection.Accept();
                    sessions[from] = session;
                }

                if (session != null)
                {
                    session.LastHeard = clock.GetUtcNow();
                    session.Connection.ReceiveDatagram(buffer.AsSpan(0, length));
                }
            }

            foreach (Session session in sessions.Values.ToList())
            {
                if (session.Turn(socket, buffer))
                {
                    session.Connection.Dispose();
                    sessions.Remove(session.Peer);
                    ended++;
                }
            }
        }

        Console.Error.WriteLine($"served {ended} connection(s)");
        return 0;
    }

    /// <summary>
    /// Only a plaintext ClientHello opens a session (DTLSPlaintext header, then msg_type 1), so a
    /// late retransmission from a finished client does not start a new one.
    /// </summary>
    private static bool IsClientHello(ReadOnlySpan<byte> datagram) =>
        datagram.Length > 13 && datagram[0] == 22 && datagram[13] == 1;

    private sealed class Session
    {
        private readonly int _id;
        private readonly TimeProvider _clock;
        private bool _announced;

        public Session(int id, EndPoint peer, DtlsConnection connection, TimeProvider clock)
        {
            _id = id;
            Peer = peer;
            Connection = connection;
            _clock = clock;
            LastHeard = clock.GetUtcNow();
        }

        public EndPoint Peer { get; }

        public DtlsConnection Connection { get; }

        public DateTimeOffset LastHeard { get; set; }

        /// <summary>Timer, echo, output; true when the session is over.</summary>
        public bool Turn(Socket socket, byte[] buffer)
        {
            DtlsConnection c = Connection;
            if (c.NextTimeout is { } due && due <= _clock.GetUtcNow())
            {
                c.HandleTimeout();
            }

            if (c.IsHandshakeComplete && !_announced)
            {
                _announced = true;
                Console.Error.WriteLine($"[{_id}] handshake: version={DatagramOptions.VersionName(c.NegotiatedVersion)} suite={c.CipherSuite} group={c.NegotiatedGroup?.ToString() ?? "(none)"} alpn={c.ApplicationProtocol ?? "(none)"} sni={c.ServerName ?? "(none)"} client-certificates={c.PeerCertificates.Count} psk={(c.PskIdentity == null ? "(none)" : System.Text.Encoding.UTF8.GetString(c.PskIdentity))} peer={Peer} retransmissions={c.Retransmissions}");
            }

            while (c.TryReceive(buffer, out int n))
            {
                c.Send(buffer.AsSpan(0, n));
            }

            bool closed = c.LastError == null && UdpLink.Status(c) == TlsStatus.Closed;
            if (closed)
            {
                c.Close();
            }

            Flush(socket, buffer);
            if (c.LastError != null)
            {
                Console.Error.WriteLine($"[{_id}] connection failed: {c.LastError}");
                string? hint = CliOptions.Hint(c.LastError);
                if (hint != null)
                {
                    Console.Error.WriteLine($"[{_id}] {hint}");
                }

                return true;
            }

            if (closed)
            {
                Console.Error.WriteLine($"[{_id}] closed by peer");
                return true;
            }

            if (_clock.GetUtcNow() - LastHeard > IdleLimit)
            {
                Console.Error.WriteLine($"[{_id}] dropped after {IdleLimit.TotalSeconds:0} s of silence");
                return true;
            }

            return false;
        }

        private void Flush(Socket socket, byte[] buffer)
        {
            while (Connection.TryTakeDatagram(buffer, out int length))
            {
                try
                {
                    socket.SendTo(buffer, 0, length, SocketFlags.None, Peer);
                }
                catch (SocketException)
                {
                    // Lost like any datagram; the retransmission timer covers the handshake.
                }
            }
        }
    }
}
