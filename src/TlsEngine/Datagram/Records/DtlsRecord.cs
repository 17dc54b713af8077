using System;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>
/// One record read from a datagram: its real content type (for DTLS 1.3 the inner one), its full
/// epoch and sequence number, and where its content now lies, decrypted in place, in the datagram.
/// </summary>
internal readonly struct DtlsRecord
{
    public DtlsRecord(ContentType type, ulong epoch, ulong sequence, bool isProtected, int contentOffset, int contentLength)
    {
        Type = type;
        Epoch = epoch;
        Sequence = sequence;
        IsProtected = isProtected;
        ContentOffset = contentOffset;
        ContentLength = contentLength;
    }

    public ContentType Type { get; }

    public ulong Epoch { get; }

    public ulong Sequence { get; }

    /// <summary>False for a DTLSPlaintext record of epoch 0: its content came unauthenticated.</summary>
    public bool IsProtected { get; }

    /// <summary>Where the content starts, relative to the datagram passed to the read.</summary>
    public int ContentOffset { get; }

    public int ContentLength { get; }

    public Span<byte> Content(Span<byte> datagram) => datagram.Slice(ContentOffset, ContentLength);
}

/// <summary>How many records were dropped for each <see cref="RecordDrop"/> reason (RFC 9147 §4.5.2 allows logging them).</summary>
internal sealed class RecordDropCounters
{
    private readonly long[] _counts = new long[(int)RecordDrop.ReceiveQueueFull + 1];

    public long this[RecordDrop reason] => (int)reason < _counts.Length ? _counts[(int)reason] : 0;

    /// <summary>Every dropped record, whatever the reason.</summary>
    public long Total { get; private set; }

    public void Count(RecordDrop reason)
    {
        if (reason == RecordDrop.None)
        {
            return;
        }

        _counts[(int)reason]++;
        Total++;
    }
}
