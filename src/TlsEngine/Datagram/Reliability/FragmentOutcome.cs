using System;

namespace TlsEngine.Datagram;

/// <summary>What the fragments of one handshake record did, as flags (a record may carry several fragments).</summary>
[Flags]
internal enum FragmentOutcome
{
    None = 0,

    /// <summary>A fragment brought new bytes of the next or a later message, which are kept.</summary>
    Buffered = 1,

    /// <summary>A fragment brought only bytes already held.</summary>
    Duplicate = 2,

    /// <summary>
    /// A fragment of a message already handed over (message_seq below the next expected): it is
    /// discarded (RFC 9147 §5.2), and it suggests the peer did not get this side's last flight, which
    /// should then be sent again (RFC 9147 §5.8.1, RFC 6347 §4.2.4).
    /// </summary>
    OldMessage = 4,

    /// <summary>
    /// A fragment of a later message was discarded because the buffer bound was reached; the record
    /// must not be acknowledged (RFC 9147 §7), and the peer will send it again.
    /// </summary>
    Dropped = 8,

    /// <summary>A fragment was not the next piece of the next message: a sign of loss on which an ACK is due (RFC 9147 §7.1).</summary>
    OutOfOrder = 16,
}

/// <summary>How the caller reads a <see cref="FragmentOutcome"/>.</summary>
internal static class FragmentOutcomes
{
    /// <summary>
    /// RFC 9147 §7: a record may be acknowledged only when every fragment in it was processed or
    /// buffered; one discarded for the bound would otherwise never be sent again.
    /// </summary>
    public static bool CanAcknowledge(this FragmentOutcome outcome) => (outcome & FragmentOutcome.Dropped) == 0;

    /// <summary>The peer sent again something already processed: retransmit the last flight (rate-limited by <see cref="OutgoingFlight"/>).</summary>
    public static bool SuggestsPeerRetransmission(this FragmentOutcome outcome) => (outcome & FragmentOutcome.OldMessage) != 0;
}
