using System;

namespace TlsEngine.Records;

/// <summary>One complete handshake message: its type, body, and the exact bytes for the transcript.</summary>
internal readonly struct HandshakeMessage
{
    public HandshakeMessage(byte type, byte[] encoded, byte[]? transcriptForm = null, byte[]? tls12TranscriptForm = null)
    {
        Type = type;
        Encoded = encoded;
        TranscriptForm = transcriptForm ?? encoded;
        Tls12TranscriptForm = tls12TranscriptForm ?? TranscriptForm;
    }

    public byte Type { get; }

    /// <summary>The 4-byte header and the body (TLS form).</summary>
    public byte[] Encoded { get; }

    /// <summary>
    /// The bytes the transcript hashes: <see cref="Encoded"/>, except in DTLS 1.2, which hashes the
    /// 12-byte-header form with the message_seq (RFC 6347 §4.2.6).
    /// </summary>
    public byte[] TranscriptForm { get; }

    /// <summary>
    /// The bytes the transcript hashes when this very message settles TLS 1.2 (the hellos, read
    /// before the version is known): DTLS 1.2's 12-byte-header form (RFC 6347 §4.2.6); otherwise
    /// <see cref="TranscriptForm"/>.
    /// </summary>
    public byte[] Tls12TranscriptForm { get; }

    public ReadOnlySpan<byte> Body => Encoded.AsSpan(4);
}

/// <summary>
/// Joins handshake records into messages and splits records that carry several messages,
/// refusing any message larger than the configured limit before buffering it.
/// </summary>
internal sealed class HandshakeReassembler
{
    private readonly TlsBuffer _pending = new(int.MaxValue);
    private readonly int _maxMessageSize;

    public HandshakeReassembler(int maxMessageSize)
    {
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>True while part of a message is buffered; keys must not change then (RFC 8446 §5.1).</summary>
    public bool HasPartialMessage => _pending.Length > 0;

    public void Add(ReadOnlySpan<byte> fragment)
    {
        if (fragment.Length == 0)
        {
            // RFC 8446 §5.1: zero-length handshake fragments are forbidden.
            throw TlsFailureException.Unexpected("A handshake record was empty.");
        }

        _pending.WriteUnbounded(fragment);
        if (_pending.Length >= 4)
        {
            CheckLength(_pending.Peek());
        }
    }

    /// <summary>Zeroes and drops the buffered bytes when no message is in progress (idle connections).</summary>
    public void ReleaseIfEmpty() => _pending.ReleaseIfEmpty();

    /// <summary>Zeroes and drops everything buffered, complete or not.</summary>
    public void Clear() => _pending.Clear();

    public bool TryTake(out HandshakeMessage message)
    {
        message = default;
        ReadOnlySpan<byte> data = _pending.Peek();
        if (data.Length < 4)
        {
            return false;
        }

        int length = CheckLength(data);
        if (data.Length < 4 + length)
        {
            return false;
        }

        message = new HandshakeMessage(data[0], data.Slice(0, 4 + length).ToArray());
        _pending.Skip(4 + length);
        return true;
    }

    private int CheckLength(ReadOnlySpan<byte> data)
    {
        int length = (data[1] << 16) | (data[2] << 8) | data[3];
        if (length > _maxMessageSize)
        {
            throw new TlsFailureException(TlsFailureReason.HandshakeMessageTooLarge, $"A handshake message of {length} bytes exceeds the limit of {_maxMessageSize}.");
        }

        return length;
    }
}
