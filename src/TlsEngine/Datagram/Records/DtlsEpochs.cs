using System;

namespace TlsEngine.Datagram;

/// <summary>
/// What a receiver keeps per epoch: the keys (none for epoch 0), the anti-replay window
/// (RFC 9147 §4.5.1: one per epoch, since each epoch restarts its sequence numbers) and the count
/// of records that failed authentication under these keys (§4.5.3).
/// </summary>
internal sealed class DtlsReadEpoch
{
    public DtlsReadEpoch(ulong epoch, DtlsRecordProtection? protection)
    {
        Epoch = epoch;
        Protection = protection;
    }

    public ulong Epoch { get; }

    public DtlsRecordProtection? Protection { get; }

    public ReplayWindow Window { get; } = new();

    public ulong FailedAuthentications { get; set; }
}

/// <summary>
/// What a sender keeps per epoch: the keys and the next 48-bit sequence number. Retransmissions go
/// out in the epoch of the original (RFC 9147 §4.2.1), so several write epochs live at once.
/// </summary>
internal sealed class DtlsWriteEpoch
{
    private ulong _next;

    public DtlsWriteEpoch(ulong epoch, DtlsRecordProtection? protection)
    {
        Epoch = epoch;
        Protection = protection;
    }

    public ulong Epoch { get; }

    public DtlsRecordProtection? Protection { get; }

    /// <summary>The sequence number the next record in this epoch will carry.</summary>
    public ulong NextSequence
    {
        get => _next;
        set => _next = value <= ReplayWindow.MaxSequence + 1 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>
    /// RFC 9147 §4.2.1, RFC 6347 §4.1: the sequence number must never wrap (that would repeat a nonce);
    /// the connection must rekey or end first.
    /// </summary>
    public ulong Take()
    {
        if (_next > ReplayWindow.MaxSequence)
        {
            throw new TlsFailureException(TlsFailureReason.LimitExceeded, "The epoch's 48-bit record sequence number is exhausted; the connection must rekey or end.");
        }

        return _next++;
    }
}
