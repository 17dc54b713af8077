using System;

namespace TlsEngine.Buffers;

/// <summary>
/// A growable big-endian writer. Length-prefixed vectors are written through scopes that
/// reserve the prefix and back-patch it on dispose, so callers never compute lengths by hand.
/// A value or a vector that does not fit its field throws <see cref="InvalidOperationException"/>
/// instead of being truncated: an oversized length must never reach the wire as a wrapped, valid
/// looking one. Callers validate what they encode (options at creation, peer values on receipt),
/// so a throw here is an internal invariant violation, which the engine reports as an internal error.
/// </summary>
internal sealed class TlsWriter
{
    private byte[] _buffer;
    private int _length;

    public TlsWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => new ReadOnlySpan<byte>(_buffer, 0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Clear() => _length = 0;

    /// <summary>Zeroes everything written (the writer held secrets) and empties the writer.</summary>
    public void Wipe()
    {
        Array.Clear(_buffer, 0, _buffer.Length);
        _length = 0;
    }

    public void WriteU8(int value)
    {
        CheckFits(value, 0xFF);
        Ensure(1);
        _buffer[_length++] = (byte)value;
    }

    public void WriteU16(int value)
    {
        CheckFits(value, 0xFFFF);
        Ensure(2);
        _buffer[_length++] = (byte)(value >> 8);
        _buffer[_length++] = (byte)value;
    }

    public void WriteU24(int value)
    {
        CheckFits(value, 0xFFFFFF);
        Ensure(3);
        _buffer[_length++] = (byte)(value >> 16);
        _buffer[_length++] = (byte)(value >> 8);
        _buffer[_length++] = (byte)value;
    }

    public void WriteU32(uint value)
    {
        Ensure(4);
        _buffer[_length++] = (byte)(value >> 24);
        _buffer[_length++] = (byte)(value >> 16);
        _buffer[_length++] = (byte)(value >> 8);
        _buffer[_length++] = (byte)value;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(new Span<byte>(_buffer, _length, value.Length));
        _length += value.Length;
    }

    public void WriteVector8(ReadOnlySpan<byte> value)
    {
        WriteU8(value.Length);
        WriteBytes(value);
    }

    public void WriteVector16(ReadOnlySpan<byte> value)
    {
        WriteU16(value.Length);
        WriteBytes(value);
    }

    public void WriteVector24(ReadOnlySpan<byte> value)
    {
        WriteU24(value.Length);
        WriteBytes(value);
    }

    /// <summary>Starts a vector whose length prefix of <paramref name="prefixBytes"/> is patched on dispose.</summary>
    public LengthScope PushLength(int prefixBytes)
    {
        if (prefixBytes < 1 || prefixBytes > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixBytes));
        }

        Ensure(prefixBytes);
        int start = _length;
        _length += prefixBytes;
        return new LengthScope(this, start, prefixBytes);
    }

    private void Patch(int start, int prefixBytes)
    {
        int length = _length - start - prefixBytes;
        CheckFits(length, MaxFor(prefixBytes));

        for (int i = prefixBytes - 1; i >= 0; i--)
        {
            _buffer[start + i] = (byte)length;
            length >>= 8;
        }
    }

    private static int MaxFor(int prefixBytes) => prefixBytes == 1 ? 0xFF : prefixBytes == 2 ? 0xFFFF : 0xFFFFFF;

    private static void CheckFits(int value, int max)
    {
        if (value < 0 || value > max)
        {
            throw new InvalidOperationException($"A value of {value} does not fit a field whose maximum is {max}.");
        }
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        // The old storage may hold secrets (ticket state, key schedule input): zero it when it is dropped.
        byte[] next = new byte[Math.Max(_buffer.Length * 2, _length + extra)];
        Buffer.BlockCopy(_buffer, 0, next, 0, _length);
        Array.Clear(_buffer, 0, _buffer.Length);
        _buffer = next;
    }

    /// <summary>Back-patches a length prefix when disposed.</summary>
    internal readonly struct LengthScope : IDisposable
    {
        private readonly TlsWriter _writer;
        private readonly int _start;
        private readonly int _prefixBytes;

        public LengthScope(TlsWriter writer, int start, int prefixBytes)
        {
            _writer = writer;
            _start = start;
            _prefixBytes = prefixBytes;
        }

        public void Dispose() => _writer.Patch(_start, _prefixBytes);
    }
}
