using System;

namespace TlsEngine.Buffers;

/// <summary>
/// Reads TLS presentation-language values from a span. Every method reports failure instead of
/// throwing, so a truncated or malformed peer message turns into a decode_error at the caller.
/// </summary>
internal ref struct TlsReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public TlsReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public int Remaining => _data.Length - _position;

    public bool IsEmpty => _position >= _data.Length;

    public bool TryReadU8(out byte value)
    {
        if (Remaining < 1) { value = 0; return false; }
        value = _data[_position++];
        return true;
    }

    public bool TryReadU16(out ushort value)
    {
        if (Remaining < 2) { value = 0; return false; }
        value = (ushort)((_data[_position] << 8) | _data[_position + 1]);
        _position += 2;
        return true;
    }

    public bool TryReadU24(out int value)
    {
        if (Remaining < 3) { value = 0; return false; }
        value = (_data[_position] << 16) | (_data[_position + 1] << 8) | _data[_position + 2];
        _position += 3;
        return true;
    }

    public bool TryReadU32(out uint value)
    {
        if (Remaining < 4) { value = 0; return false; }
        value = ((uint)_data[_position] << 24) | ((uint)_data[_position + 1] << 16)
            | ((uint)_data[_position + 2] << 8) | _data[_position + 3];
        _position += 4;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        if (count < 0 || Remaining < count) { value = default; return false; }
        value = _data.Slice(_position, count);
        _position += count;
        return true;
    }

    /// <summary>Reads an opaque vector with an 8-bit length prefix.</summary>
    public bool TryReadVector8(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadU8(out byte length) && TryReadBytes(length, out value);
    }

    /// <summary>Reads an opaque vector with a 16-bit length prefix.</summary>
    public bool TryReadVector16(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadU16(out ushort length) && TryReadBytes(length, out value);
    }

    /// <summary>Reads an opaque vector with a 24-bit length prefix.</summary>
    public bool TryReadVector24(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadU24(out int length) && TryReadBytes(length, out value);
    }
}
