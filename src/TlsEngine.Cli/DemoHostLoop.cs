namespace TlsEngine.Cli;

/// <summary>
/// The host loop of the README, played for both ends in one thread and narrated: every status
/// the engine returns, every drain of Outbound and every delivery into Inbound is printed, so
/// each WantWrite → WantRead transition is visible (after the ClientHello is drained the client's
/// Connect() returns WantRead: it needs the server's flight).
/// </summary>
internal sealed class HostLoop
{
    private const int MaxSteps = 10000;
    private readonly TlsConnection _client;
    private readonly TlsConnection _server;
    private readonly int _chunk;
    private readonly List<byte> _toClient = new();
    private readonly List<byte> _toServer = new();
    private int _step;

    public HostLoop(TlsConnection client, TlsConnection server, int chunk)
    {
        _client = client;
        _server = server;
        _chunk = chunk;
    }

    public bool Run()
    {
        TlsConnection current = _client;
        while (_step < MaxSteps)
        {
            TlsStatus status = Call(current);
            if (status == TlsStatus.Failed)
            {
                return false;
            }

            if (current.Outbound.Length > 0)
            {
                // WantWrite (or Ok with a final flight queued): the host sends before anything else.
                Drain(current);
                continue;
            }

            if (Done())
            {
                return true;
            }

            // WantRead, or Ok with the peer still to finish: deliver whatever is on the wire,
            // to the peer first (it is the one waiting on this side's flight).
            TlsConnection other = current == _client ? _server : _client;
            if (Wire(other).Count > 0)
            {
                Deliver(other);
                current = other;
            }
            else if (Wire(current).Count > 0)
            {
                Deliver(current);
            }
            else
            {
                current = other;
            }
        }

        return false;
    }

    private bool Done() => _client.IsHandshakeComplete && _server.IsHandshakeComplete
        && _client.Outbound.Length == 0 && _server.Outbound.Length == 0 && _toClient.Count == 0 && _toServer.Count == 0;

    private TlsStatus Call(TlsConnection end)
    {
        bool isClient = end == _client;
        TlsStatus status = isClient ? end.Connect() : end.Accept();
        string call = isClient ? "client.Connect()" : "server.Accept() ";
        string meaning = status switch
        {
            TlsStatus.WantWrite => $"Outbound holds {end.Outbound.Length} bytes to send",
            TlsStatus.WantRead => $"needs the {(isClient ? "server" : "client")}'s bytes in Inbound",
            TlsStatus.Ok => end.Outbound.Length > 0 ? $"handshake complete; Outbound still holds {end.Outbound.Length} bytes to send" : "handshake complete",
            _ => end.LastError?.ToString() ?? string.Empty,
        };
        Console.WriteLine($"  {++_step,2}. {call} -> {status,-9} {meaning}");
        return status;
    }

    private void Drain(TlsConnection from)
    {
        List<byte> wire = Wire(from == _client ? _server : _client);
        var buffer = new byte[16384];
        int total = 0;
        while (from.Outbound.Length > 0)
        {
            int n = from.Outbound.Read(buffer);
            wire.AddRange(buffer.AsSpan(0, n).ToArray());
            total += n;
        }

        string name = from == _client ? "client" : "server";
        Console.WriteLine($"      host: drained {total} bytes from {name}.Outbound and sent them");
    }

    private void Deliver(TlsConnection to)
    {
        List<byte> wire = Wire(to);
        int n = Math.Min(Math.Min(_chunk > 0 ? _chunk : wire.Count, wire.Count), to.Inbound.Available);
        to.Inbound.Write(wire.GetRange(0, n).ToArray());
        wire.RemoveRange(0, n);
        string name = to == _client ? "client" : "server";
        string rest = wire.Count > 0 ? $" ({wire.Count} more on the wire)" : string.Empty;
        Console.WriteLine($"      host: received {n} bytes, wrote them into {name}.Inbound{rest}");
    }

    private List<byte> Wire(TlsConnection to) => to == _client ? _toClient : _toServer;
}
