using System.Net;
using System.Net.Sockets;

namespace TlsEngine.Cli;

/// <summary>
/// The datagram host loop of docs/api.md for one connection on a connected UDP socket: send every
/// pending datagram, wait for the next one no longer than <see cref="DtlsConnection.NextTimeout"/>
/// allows, hand it over, and call <see cref="DtlsConnection.HandleTimeout"/> once the time is due.
/// </summary>
internal sealed class UdpLink
{
    private readonly Socket _socket;
    private readonly DtlsConnection _connection;
    private readonly TimeProvider _clock;
    private readonly byte[] _buffer = new byte[DtlsConnection.MaxDatagramSize];
    private bool _refusedNoted;

    public UdpLink(Socket socket, DtlsConnection connection, TimeProvider clock)
    {
        _socket = socket;
        _connection = connection;
        _clock = clock;
    }

    /// <summary>Sends every datagram the connection has queued.</summary>
    public void Flush()
    {
        while (_connection.TryTakeDatagram(_buffer, out int length))
        {
            try
            {
                _socket.Send(_buffer, 0, length, SocketFlags.None);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                // UDP reports an earlier ICMP error on a later send; the datagram is simply lost.
                NoteUnreachable(ex);
            }
        }
    }

    /// <summary>
    /// One turn: flush, wait up to <paramref name="maxWaitMs"/> (less when the timer is due sooner),
    /// deliver what arrived, fire the timer when due, flush again. True when a datagram arrived.
    /// </summary>
    public bool Step(int maxWaitMs)
    {
        Flush();
        int wait = WaitMs(_connection.NextTimeout, _clock, maxWaitMs);
        bool received = false;
        if (_socket.Poll(wait * 1000, SelectMode.SelectRead))
        {
            try
            {
                int length = _socket.Receive(_buffer, SocketFlags.None);
                _connection.ReceiveDatagram(_buffer.AsSpan(0, length));
                received = true;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostUnreachable)
            {
                NoteUnreachable(ex);
            }
        }

        if (_connection.NextTimeout is { } due && due <= _clock.GetUtcNow())
        {
            _connection.HandleTimeout();
        }

        Flush();
        return received;
    }

    /// <summary>
    /// The connection's status without acting on it: an empty datagram is ignored and only reports
    /// it (Closed once either side sent close_notify and nothing is left to send).
    /// </summary>
    public static TlsStatus Status(DtlsConnection connection) => connection.ReceiveDatagram(ReadOnlySpan<byte>.Empty);

    /// <summary>Milliseconds to wait: up to <paramref name="maxWaitMs"/>, but not past <paramref name="due"/>.</summary>
    public static int WaitMs(DateTimeOffset? due, TimeProvider clock, int maxWaitMs)
    {
        if (due is not { } at)
        {
            return maxWaitMs;
        }

        double untilDue = Math.Ceiling((at - clock.GetUtcNow()).TotalMilliseconds);
        return (int)Math.Clamp(untilDue, 0, maxWaitMs);
    }

    /// <summary>A stable encoding of the peer's address and port, bound into the server's cookie.</summary>
    public static byte[] AddressBytes(EndPoint endPoint)
    {
        var ip = (IPEndPoint)endPoint;
        byte[] address = ip.Address.GetAddressBytes();
        return address.Concat(new[] { (byte)(ip.Port >> 8), (byte)ip.Port }).ToArray();
    }

    private void NoteUnreachable(SocketException ex)
    {
        if (!_refusedNoted)
        {
            _refusedNoted = true;
            Console.Error.WriteLine($"note: the peer's host reported {ex.SocketErrorCode} (nothing listening on that UDP port?); retrying on the timer");
        }
    }
}
