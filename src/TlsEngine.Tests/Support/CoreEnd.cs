using TlsEngine;
using Xunit;

namespace TlsEngine.Tests.Support;

/// <summary>
/// One end of a link driven only through the caller-buffered core (Receive, Send, Transmit): the
/// test owns the receive buffer, as a host's socket loop would, and never touches Inbound or Outbound.
/// </summary>
public sealed class CoreEnd : IDisposable
{
    private readonly byte[] _rx = new byte[1 << 18];
    private int _rxLength;

    public CoreEnd(TlsConnection connection) => Connection = connection;

    public TlsConnection Connection { get; }

    /// <summary>Plaintext handed back by Receive, in order.</summary>
    public List<byte> Received { get; } = new();

    public TlsStatus LastStatus { get; private set; }

    /// <summary>Every plaintext slice Receive returned lay inside the receive buffer (decrypted in place).</summary>
    public bool AllPlaintextInPlace { get; private set; } = true;

    /// <summary>Appends bytes from the wire and lets the engine take every complete record.</summary>
    public TlsStatus Deliver(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_rx.AsSpan(_rxLength));
        _rxLength += bytes.Length;
        return Drain();
    }

    /// <summary>Calls Receive until it makes no progress, keeping the partial record at the front of the buffer.</summary>
    public TlsStatus Drain()
    {
        while (true)
        {
            Span<byte> received = _rx.AsSpan(0, _rxLength);
            LastStatus = Connection.Receive(received, out int consumed, out Span<byte> plaintext);
            if (plaintext.Length > 0)
            {
                AllPlaintextInPlace &= plaintext.Overlaps(received);
                Received.AddRange(plaintext.ToArray());
            }

            Buffer.BlockCopy(_rx, consumed, _rx, 0, _rxLength - consumed);
            _rxLength -= consumed;
            if (consumed == 0 && plaintext.Length == 0)
            {
                return LastStatus;
            }
        }
    }

    /// <summary>Everything the engine has to send, taken through Transmit in spans of <paramref name="spanSize"/> bytes.</summary>
    public byte[] TakeOutput(int spanSize = 1 << 16)
    {
        var all = new List<byte>();
        byte[] span = new byte[spanSize];
        do
        {
            LastStatus = Connection.Transmit(span, out int written);
            all.AddRange(span.AsSpan(0, written).ToArray());
        }
        while (LastStatus == TlsStatus.WantWrite);
        return all.ToArray();
    }

    /// <summary>Seals all of <paramref name="data"/> through Send in spans of <paramref name="spanSize"/> bytes.</summary>
    public byte[] SendAll(ReadOnlySpan<byte> data, int spanSize = 1 << 16)
    {
        var all = new List<byte>();
        byte[] span = new byte[spanSize];
        while (true)
        {
            LastStatus = Connection.Send(data, span, out int consumed, out int written);
            Assert.True(LastStatus is TlsStatus.Ok or TlsStatus.WantWrite, $"Send: {LastStatus} {Connection.LastError}");
            all.AddRange(span.AsSpan(0, written).ToArray());
            data = data.Slice(consumed);
            if (LastStatus == TlsStatus.Ok)
            {
                return all.ToArray();
            }

            Assert.True(consumed > 0 || written > 0, "Send made no progress with room for a record");
        }
    }

    /// <summary>Runs the handshake between two core ends, delivering <paramref name="chunk"/> bytes at a time.</summary>
    public static void Handshake(CoreEnd client, CoreEnd server, int chunk = int.MaxValue)
    {
        for (int round = 0; round < 50 && !(client.Connection.IsHandshakeComplete && server.Connection.IsHandshakeComplete && client.Connection.PendingTransmit == 0 && server.Connection.PendingTransmit == 0); round++)
        {
            Move(client, server, chunk);
            Move(server, client, chunk);
            Assert.False(client.LastStatus == TlsStatus.Failed, $"client: {client.Connection.LastError}");
            Assert.False(server.LastStatus == TlsStatus.Failed, $"server: {server.Connection.LastError}");
        }

        Assert.True(client.Connection.IsHandshakeComplete && server.Connection.IsHandshakeComplete, $"{client.Connection.LastError} / {server.Connection.LastError}");
    }

    /// <summary>Takes <paramref name="from"/>'s output and delivers it to <paramref name="to"/> in pieces.</summary>
    public static void Move(CoreEnd from, CoreEnd to, int chunk = int.MaxValue)
    {
        byte[] wire = from.TakeOutput();
        for (int at = 0; at < wire.Length; at += chunk)
        {
            to.Deliver(wire.AsSpan(at, Math.Min(chunk, wire.Length - at)));
        }

        if (wire.Length == 0)
        {
            to.Drain();
        }
    }

    public void Dispose() => Connection.Dispose();
}
