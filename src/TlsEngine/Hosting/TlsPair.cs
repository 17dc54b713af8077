using System;
using System.Collections.Generic;

namespace TlsEngine;

/// <summary>
/// Two engines wired back to back in memory, like OpenSSL's BIO pair: the deterministic
/// harness for tests, simulations and demos. Bytes can be delivered in chunks of any size.
/// </summary>
public sealed class TlsPair : IDisposable
{
    /// <summary>Wires <paramref name="client"/> and <paramref name="server"/> together.</summary>
    public TlsPair(TlsConnection client, TlsConnection server)
    {
        Client = client ?? throw new ArgumentNullException(nameof(client));
        Server = server ?? throw new ArgumentNullException(nameof(server));
        if (client.IsServer || !server.IsServer)
        {
            throw new ArgumentException("A pair needs one client and one server.");
        }
    }

    /// <summary>The client end.</summary>
    public TlsConnection Client { get; }

    /// <summary>The server end.</summary>
    public TlsConnection Server { get; }

    /// <summary>Deliver at most this many bytes per transfer (1 simulates a serial line). 0: everything at once.</summary>
    public int ChunkSize { get; set; }

    /// <summary>Every step: which side was driven, the status it returned, and bytes moved.</summary>
    public List<string> Log { get; } = new();

    /// <summary>Every byte the client sent, in order.</summary>
    public List<byte> ClientToServer { get; } = new();

    /// <summary>Every byte the server sent, in order.</summary>
    public List<byte> ServerToClient { get; } = new();

    /// <summary>While true, the client's bytes stay in its Outbound (a stalled direction).</summary>
    public bool HoldClientToServer { get; set; }

    /// <summary>While true, the server's bytes stay in its Outbound.</summary>
    public bool HoldServerToClient { get; set; }

    /// <summary>Called with each chunk before delivery; may change it (fault injection).</summary>
    public Func<bool, byte[], byte[]>? Tamper { get; set; }

    /// <summary>
    /// Drives both handshakes until both return Ok, either fails, or no progress is possible.
    /// Returns true when both completed.
    /// </summary>
    public bool Handshake(int maxSteps = 100000)
    {
        for (int step = 0; step < maxSteps; step++)
        {
            TlsStatus client = Client.Connect();
            Log.Add($"client: {client}");
            bool moved = Transfer(Client, Server, ClientToServer, fromClient: true);
            TlsStatus server = Server.Accept();
            Log.Add($"server: {server}");
            moved |= Transfer(Server, Client, ServerToClient, fromClient: false);
            if (client == TlsStatus.Failed || server == TlsStatus.Failed)
            {
                // Deliver the alert so both sides know.
                Client.Connect();
                Server.Accept();
                return false;
            }

            if (client == TlsStatus.Ok && server == TlsStatus.Ok && !moved)
            {
                return true;
            }

            if (!moved && client == TlsStatus.WantRead && server == TlsStatus.WantRead)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Moves pending output of both ends to the other end. True when anything moved.</summary>
    public bool Pump()
    {
        bool moved = Transfer(Client, Server, ClientToServer, fromClient: true);
        moved |= Transfer(Server, Client, ServerToClient, fromClient: false);
        return moved;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }

    /// <summary>Flips bits of the byte at <paramref name="offset"/> of one direction's stream (counted from the first byte ever sent).</summary>
    public void CorruptAt(bool fromClient, long offset, byte xor = 0x01)
    {
        Func<bool, byte[], byte[]>? previous = Tamper;
        Tamper = (client, chunk) =>
        {
            chunk = previous?.Invoke(client, chunk) ?? chunk;
            long start = client ? ClientToServer.Count : ServerToClient.Count;
            if (client == fromClient && offset >= start && offset < start + chunk.Length)
            {
                chunk[offset - start] ^= xor;
            }

            return chunk;
        };
    }

    /// <summary>Drops every byte of one direction from <paramref name="offset"/> on (a truncated stream).</summary>
    public void TruncateAt(bool fromClient, long offset)
    {
        Func<bool, byte[], byte[]>? previous = Tamper;
        Tamper = (client, chunk) =>
        {
            chunk = previous?.Invoke(client, chunk) ?? chunk;
            long start = client ? ClientToServer.Count : ServerToClient.Count;
            return client == fromClient && offset < start + chunk.Length ? chunk.AsSpan(0, (int)Math.Max(0, offset - start)).ToArray() : chunk;
        };
    }

    private bool Transfer(TlsConnection from, TlsConnection to, List<byte> record, bool fromClient)
    {
        if (fromClient ? HoldClientToServer : HoldServerToClient)
        {
            return false;
        }

        int pending = from.Outbound.Length;
        if (pending == 0)
        {
            return false;
        }

        int size = ChunkSize > 0 ? Math.Min(ChunkSize, pending) : pending;
        size = Math.Min(size, to.Inbound.Available);
        if (size == 0)
        {
            return false;
        }

        byte[] chunk = new byte[size];
        from.Outbound.Read(chunk);
        if (Tamper != null)
        {
            chunk = Tamper(fromClient, chunk);
        }

        record.AddRange(chunk);
        to.Inbound.Write(chunk);
        Log.Add($"{(fromClient ? "client -> server" : "server -> client")}: {chunk.Length} bytes");
        return true;
    }
}
