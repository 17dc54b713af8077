using System.Reflection;
using TlsEngine;
using TlsEngine.Handshake;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>
/// Storage that held plaintext or handshake messages is zeroed before ReleaseBuffers or Dispose
/// drops it: Inbound, Outbound, the received and pending-write queues, the handshake reassembler
/// (Inbound also holds the plaintext of records decrypted in place there).
/// </summary>
public class BufferZeroingTests
{
    private static T Field<T>(object target, string name) =>
        (T)(target.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{target.GetType().Name}.{name} not found")).GetValue(target)!;

    /// <summary>The storage arrays a connection holds now, by name.</summary>
    private static Dictionary<string, byte[]> Storage(TlsConnection connection)
    {
        HandshakeContext context = Field<HandshakeContext>(connection, "_context");
        return new Dictionary<string, byte[]>
        {
            ["Inbound"] = connection.Inbound.Storage,
            ["Outbound"] = connection.Outbound.Storage,
            ["received"] = Field<TlsBuffer>(connection, "_received").Storage,
            ["pendingWrites"] = Field<TlsBuffer>(connection, "_pendingWrites").Storage,
            ["reassembler"] = Field<TlsBuffer>(context.Reassembler, "_pending").Storage,
        };
    }

    /// <summary>A connection whose every buffer has carried bytes, all of them drained now.</summary>
    private static (TlsPair Pair, Dictionary<string, byte[]> Held) UsedClient()
    {
        TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        byte[] early = Enumerable.Repeat((byte)0x5A, 3000).ToArray();
        // Queued before the handshake completes: the pending-writes queue.
        Assert.NotEqual(TlsStatus.Failed, pair.Client.Write(early, out int queued));
        Assert.Equal(early.Length, queued);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError}");
        pair.Pump();
        byte[] data = Enumerable.Repeat((byte)0xC3, 20000).ToArray();
        Assert.Equal(TlsStatus.Ok, pair.Server.Write(data, out int written));
        Assert.Equal(data.Length, written);
        pair.Pump();
        // Small reads: whole records decrypt in place in Inbound and the rest waits in the received queue.
        var read = new List<byte>();
        byte[] chunk = new byte[100];
        while (read.Count < data.Length && pair.Client.Read(chunk, out int n) == TlsStatus.Ok)
        {
            read.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        Assert.Equal(data, read);
        Dictionary<string, byte[]> held = Storage(pair.Client);
        foreach ((string name, byte[] array) in held)
        {
            Assert.True(array.Length > 0, $"{name} never held storage");
        }

        Assert.Contains(held["received"], b => b != 0);
        Assert.Contains(held["Inbound"], b => b == 0xC3);
        Assert.Contains(held["reassembler"], b => b != 0);
        return (pair, held);
    }

    private static void AssertZeroed(Dictionary<string, byte[]> held)
    {
        foreach ((string name, byte[] array) in held)
        {
            Assert.True(array.All(b => b == 0), $"{name} still holds data");
        }
    }

    [Fact]
    public void Release_buffers_zeroes_the_storage_it_drops()
    {
        (TlsPair pair, Dictionary<string, byte[]> held) = UsedClient();
        using (pair)
        {
            pair.Client.ReleaseBuffers();
            AssertZeroed(held);
            Assert.All(Storage(pair.Client).Values, array => Assert.Empty(array));
        }
    }

    [Fact]
    public void Held_flight_buffer_is_wiped_and_dropped_once_the_handshake_completes()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        var channel = (TlsEngine.Handshake.StreamHandshakeChannel)Field<HandshakeContext>(pair.Server, "_context").Channel;
        pair.Client.Connect();
        pair.Pump();
        pair.Server.Accept();
        // The server's encrypted flight went out through the held-flight buffer.
        TlsEngine.Buffers.TlsWriter? held = Field<TlsEngine.Buffers.TlsWriter?>(channel, "_held");
        Assert.NotNull(held);
        byte[] storage = Field<byte[]>(held!, "_buffer");

        Assert.True(pair.Handshake());

        Assert.Null(Field<TlsEngine.Buffers.TlsWriter?>(channel, "_held"));
        Assert.All(storage, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Dispose_zeroes_every_buffer()
    {
        (TlsPair pair, Dictionary<string, byte[]> held) = UsedClient();
        pair.Client.Dispose();
        AssertZeroed(held);
        pair.Dispose();
    }

    [Fact]
    public void Connection_keeps_working_after_release_buffers()
    {
        (TlsPair pair, _) = UsedClient();
        using (pair)
        {
            pair.Client.ReleaseBuffers();
            pair.Server.ReleaseBuffers();
            Assert.Equal(TlsStatus.Ok, pair.Client.Write(new byte[] { 1, 2, 3 }, out _));
            pair.Pump();
            // The server still holds the 3000 bytes queued before the handshake, then these three.
            var received = new List<byte>();
            byte[] buffer = new byte[4096];
            while (pair.Server.Read(buffer, out int n) == TlsStatus.Ok && n > 0)
            {
                received.AddRange(buffer[..n]);
            }

            Assert.Equal(3003, received.Count);
            Assert.Equal(new byte[] { 1, 2, 3 }, received.Skip(3000).ToArray());
        }
    }
}
