using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TlsEngine.Samples;

/// <summary>
/// A game-style client and server over real UDP on 127.0.0.1, DTLS 1.3 with connection ids. The
/// client sends a state update every tick and the server answers with the world's; halfway the
/// client moves to a new socket (a new source port, as after a NAT rebinding) and the session goes
/// on. The server routes every datagram by the connection id it issued, not by address, and moves a
/// session's address only when a datagram from the new one authenticated as the newest record.
/// </summary>
internal static class DtlsConnectionIds
{
    private const int IdLength = 4;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    public static bool Run()
    {
        using var server = new GameServer();
        using var client = new GameClient(server.EndPoint);
        var watch = Stopwatch.StartNew();
        int rebindAt = -1;
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            client.Step();
            server.Step();
            if (client.Connection.IsHandshakeComplete && rebindAt < 0 && client.WorldUpdates >= 20)
            {
                rebindAt = client.WorldUpdates;
                Console.WriteLine($"client: rebinding from {client.LocalEndPoint} ...");
                client.Rebind();
                Console.WriteLine($"client: ... to {client.LocalEndPoint}");
            }

            if (rebindAt >= 0 && client.WorldUpdates >= rebindAt + 20 && server.AddressChanges > 0)
            {
                Console.WriteLine($"done: {client.WorldUpdates} world updates, server saw {server.AddressChanges} address change(s)");
                return true;
            }

            Thread.Sleep(Tick);
        }

        Console.Error.WriteLine($"timed out: handshake {client.Connection.IsHandshakeComplete}, {client.WorldUpdates} updates, {server.AddressChanges} address changes, {client.Connection.LastError}");
        return false;
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static void Flush(DtlsConnection connection, Socket socket, EndPoint to, byte[] buffer)
    {
        while (connection.TryTakeDatagram(buffer, out int length))
        {
            socket.SendTo(buffer, length, SocketFlags.None, to);
        }
    }

    private static void ServeTimer(DtlsConnection connection)
    {
        if (connection.NextTimeout <= DateTimeOffset.UtcNow)
        {
            connection.HandleTimeout();
        }
    }

    private sealed class GameClient : IDisposable
    {
        private readonly EndPoint _server;
        private readonly byte[] _buffer = new byte[DtlsConnection.MaxDatagramSize];
        private Socket _socket = Bind();
        private int _tick;

        public GameClient(EndPoint server)
        {
            _server = server;
            // Length 0: put the server's id on every record, ask for none (the server's address never changes).
            Connection = DtlsConnection.CreateClient(Credentials.Client(), new TlsDatagramOptions { ConnectionIdLength = 0 });
            Connection.Connect();
        }

        public DtlsConnection Connection { get; }

        public int WorldUpdates { get; private set; }

        public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

        /// <summary>A new socket, a new source port: what the server sees after a NAT rebinding.</summary>
        public void Rebind()
        {
            _socket.Dispose();
            _socket = Bind();
        }

        public void Step()
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            while (_socket.Available > 0)
            {
                int length = _socket.ReceiveFrom(_buffer, ref from);
                Connection.ReceiveDatagram(_buffer.AsSpan(0, length));
            }

            while (Connection.TryReceive(_buffer, out int length))
            {
                WorldUpdates++;
                if (WorldUpdates % 10 == 0)
                {
                    Console.WriteLine($"client: {Encoding.UTF8.GetString(_buffer, 0, length)}");
                }
            }

            ServeTimer(Connection);
            if (Connection.IsHandshakeComplete)
            {
                _tick++;
                Connection.Send(Encoding.UTF8.GetBytes($"player 1 at ({_tick % 100},{_tick / 100}) tick {_tick}"));
            }

            Flush(Connection, _socket, _server, _buffer);
        }

        public void Dispose()
        {
            Connection.Dispose();
            _socket.Dispose();
        }
    }

    private sealed class GameServer : IDisposable
    {
        private readonly Socket _socket = Bind();
        private readonly byte[] _buffer = new byte[DtlsConnection.MaxDatagramSize];
        private readonly TlsServerOptions _options = Credentials.Server();

        // One options instance for every connection: one cookie key, one id length.
        private readonly TlsDatagramOptions _datagram = new() { ConnectionIdLength = IdLength };
        private readonly Dictionary<string, Session> _byId = new();
        private readonly Dictionary<EndPoint, Session> _handshaking = new();
        private int _world;

        public EndPoint EndPoint => _socket.LocalEndPoint!;

        public int AddressChanges { get; private set; }

        public void Step()
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            while (_socket.Available > 0)
            {
                int length = _socket.ReceiveFrom(_buffer, ref from);
                Receive(_buffer.AsSpan(0, length), from);
            }

            _world++;
            foreach (Session session in _byId.Values.Distinct())
            {
                DtlsConnection connection = session.Connection;
                ServeTimer(connection);
                byte[] update = new byte[256];
                bool any = false;
                while (connection.TryReceive(update, out _))
                {
                    any = true;
                }

                if (any && connection.IsHandshakeComplete)
                {
                    connection.Send(Encoding.UTF8.GetBytes($"world tick {_world}, you are at {session.Peer}"));
                }

                Flush(connection, _socket, session.Peer, _buffer);
            }
        }

        public void Dispose()
        {
            foreach (Session session in _byId.Values)
            {
                session.Connection.Dispose();
            }

            _socket.Dispose();
        }

        private void Receive(ReadOnlySpan<byte> datagram, EndPoint from)
        {
            // Records after the handshake keys carry our id: route by it, whatever the source address.
            if (DtlsConnection.TryReadConnectionId(datagram, IdLength, out ReadOnlySpan<byte> id)
                && _byId.TryGetValue(Convert.ToHexString(id), out Session? session))
            {
                session.Connection.ReceiveDatagram(datagram);
                // RFC 9146 §6: only an authenticated, newest record may move the peer's address.
                if (session.Connection.LastDatagramAuthenticated && !session.Peer.Equals(from))
                {
                    Console.WriteLine($"server: peer moved from {session.Peer} to {from}");
                    session.Peer = from;
                    AddressChanges++;
                }

                return;
            }

            // A ClientHello (no id yet): a new session, keyed by its address until it has keys.
            if (!_handshaking.TryGetValue(from, out session))
            {
                var address = (IPEndPoint)from;
                byte[] addressBytes = address.Address.GetAddressBytes().Concat(BitConverter.GetBytes((ushort)address.Port)).ToArray();
                var connection = DtlsConnection.CreateServer(_options, _datagram, addressBytes);
                connection.Accept();
                session = new Session(connection, from);
                _handshaking[from] = session;
                _byId[Convert.ToHexString(connection.LocalConnectionId!)] = session;
            }

            session.Connection.ReceiveDatagram(datagram);
            if (session.Connection.IsHandshakeComplete)
            {
                _handshaking.Remove(from);
            }
        }
    }

    private sealed class Session
    {
        public Session(DtlsConnection connection, EndPoint peer)
        {
            Connection = connection;
            Peer = peer;
        }

        public DtlsConnection Connection { get; }

        public EndPoint Peer { get; set; }
    }
}
