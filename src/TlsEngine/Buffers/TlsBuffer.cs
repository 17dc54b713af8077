using System;

namespace TlsEngine;

/// <summary>
/// A bounded byte queue: the engine's "memory BIO". The host writes peer bytes into
/// the connection's <c>Inbound</c> and drains bytes for the peer from its <c>Outbound</c>.
/// </summary>
public sealed class TlsBuffer
{
    private byte[] _buffer;
    private int _start;
    private int _length;

    /// <summary>Creates a queue that holds at most <paramref name="capacity"/> bytes.</summary>
    public TlsBuffer(int capacity)
    {
        if (capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }

        Capacity = capacity;
        _buffer = Array.Empty<byte>();
    }

    /// <summary>The most bytes the queue holds; <see cref="Write"/> accepts no more.</summary>
    public int Capacity { get; }

    /// <summary>Bytes ever taken out of the queue (a position in the stream).</summary>
    public long TotalRead { get; private set; }

    /// <summary>Bytes ever put into the queue.</summary>
    public long TotalWritten => TotalRead + _length;

    /// <summary>Bytes queued and not yet read.</summary>
    public int Length => _length;

    /// <summary>Free space left before <see cref="Capacity"/> is reached.</summary>
    public int Available => Capacity - _length;

    /// <summary>
    /// Appends as many bytes as fit and returns how many were taken, like <c>BIO_write</c>.
    /// </summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        int count = Math.Min(data.Length, Available);
        if (count == 0)
        {
            return 0;
        }

        EnsureTail(count);
        data.Slice(0, count).CopyTo(new Span<byte>(_buffer, _start + _length, count));
        _length += count;
        return count;
    }

    /// <summary>Moves up to <c>destination.Length</c> bytes out of the queue and returns how many.</summary>
    public int Read(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _length);
        Peek().Slice(0, count).CopyTo(destination);
        Skip(count);
        return count;
    }

    /// <summary>Moves every queued byte out in one array.</summary>
    public byte[] ReadAll()
    {
        byte[] all = Peek().ToArray();
        Skip(_length);
        return all;
    }

    /// <summary>The queued bytes, without removing them.</summary>
    public ReadOnlySpan<byte> Peek() => new ReadOnlySpan<byte>(_buffer, _start, _length);

    /// <summary>The queued bytes, writable: the engine decrypts received records in place.</summary>
    internal Span<byte> PeekWritable() => new Span<byte>(_buffer, _start, _length);

    /// <summary>Drops <paramref name="count"/> bytes from the front.</summary>
    public void Skip(int count)
    {
        if (count < 0 || count > _length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _start += count;
        _length -= count;
        TotalRead += count;
        if (_length == 0)
        {
            _start = 0;
        }
    }

    /// <summary>Drops everything and releases the backing storage.</summary>
    public void Clear()
    {
        Array.Clear(_buffer, 0, _buffer.Length);
        _buffer = Array.Empty<byte>();
        _start = 0;
        _length = 0;
    }

    /// <summary>Gives the backing storage back, zeroed, when nothing is queued (idle connections hold no buffers).</summary>
    public void ReleaseIfEmpty()
    {
        if (_length == 0)
        {
            // Bytes already read stay in the storage until overwritten; they may be plaintext.
            Array.Clear(_buffer, 0, _buffer.Length);
            _buffer = Array.Empty<byte>();
            _start = 0;
        }
    }

    /// <summary>Room for <paramref name="size"/> bytes at the tail, to be filled in place and then <see cref="Commit"/>ted.</summary>
    internal Span<byte> Reserve(int size)
    {
        EnsureTail(size);
        return new Span<byte>(_buffer, _start + _length, size);
    }

    internal void Commit(int size) => _length += size;

    /// <summary>The current backing storage (tests check that released storage was zeroed).</summary>
    internal byte[] Storage => _buffer;

    internal void WriteUnbounded(ReadOnlySpan<byte> data)
    {
        EnsureTail(data.Length);
        data.CopyTo(new Span<byte>(_buffer, _start + _length, data.Length));
        _length += data.Length;
    }

    private void EnsureTail(int extra)
    {
        if (_start + _length + extra <= _buffer.Length)
        {
            return;
        }

        if (_length + extra <= _buffer.Length && _start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _length);
            _start = 0;
            return;
        }

        int size = Math.Max(Math.Max(_buffer.Length * 2, 1024), _length + extra);
        byte[] next = new byte[size];
        Buffer.BlockCopy(_buffer, _start, next, 0, _length);
        Array.Clear(_buffer, 0, _buffer.Length);
        _buffer = next;
        _start = 0;
    }
}
