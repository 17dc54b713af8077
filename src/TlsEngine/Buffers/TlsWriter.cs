using System;

namespace TlsEngine.Buffers;

/// <summary>
/// A growable big-endian writer. Length-prefixed vectors are written through scopes that
/// reserve the prefix and back-patch it on dispose, so callers never compute lengths by hand.
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

    public void WriteU8(int value)
    {
        Ensure(1);
        _buffer[_length++] = (byte)value;
    }

    public void WriteU16(int value)
    {
        Ensure(2);
        _buffer[_length++] = (byte)(value >> 8);
        _buffer[_length++] = (byte)value;
    }

    public void WriteU24(int value)
    {
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
        Ensure(prefixBytes);
        int start = _length;
        _length += prefixBytes;
        return new LengthScope(this, start, prefixBytes);
    }

    private void Patch(int start, int prefixBytes)
    {
        int length = _length - start - prefixBytes;
        int max = prefixBytes == 1 ? 0xFF : prefixBytes == 2 ? 0xFFFF : 0xFFFFFF;
        if (length > max)
        {
            throw new InvalidOperationException("Vector exceeds its length prefix.");
        }

        for (int i = prefixBytes - 1; i >= 0; i--)
        {
            _buffer[start + i] = (byte)length;
            length >>= 8;
        }
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        int size = Math.Max(_buffer.Length * 2, _length + extra);
        Array.Resize(ref _buffer, size);
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
