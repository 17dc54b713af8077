namespace TlsEngine.Records;

/// <summary>
/// A record sequence number must never wrap (RFC 8446 §5.3, RFC 5246 §6.1): reusing one reuses an
/// AEAD nonce. The last value is never used, so the failure comes before the wrap, not after.
/// </summary>
internal static class SequenceGuard
{
    public static void Check(ulong sequence)
    {
        if (sequence == ulong.MaxValue)
        {
            throw new TlsFailureException(TlsFailureReason.LimitExceeded, "The record sequence number is exhausted; the connection must end.");
        }
    }

    public static ulong Next(ref ulong sequence)
    {
        Check(sequence);
        return sequence++;
    }
}
