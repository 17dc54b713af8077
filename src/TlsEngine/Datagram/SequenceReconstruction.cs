namespace TlsEngine.Datagram;

/// <summary>
/// Recovers a full sequence number from the 8 or 16 low bits a DTLS 1.3 header carries
/// (RFC 9147 §4.2.2): the value with those low bits numerically closest to the next expected one
/// (one plus the highest record deprotected in the epoch).
/// </summary>
internal static class SequenceReconstruction
{
    public static ulong Reconstruct(ulong nextExpected, ushort lowBits, int bitCount)
    {
        ulong window = 1UL << bitCount;
        ulong half = window / 2;
        ulong candidate = (nextExpected & ~(window - 1)) | (lowBits & (window - 1));

        // At exactly half a window either way, the later value wins: records overtake each other
        // rarely, while the sender always moves forward. Nothing is ever reconstructed past the
        // 48-bit space; the replay window would drop it anyway.
        if (candidate + half <= nextExpected && candidate + window <= ReplayWindow.MaxSequence)
        {
            return candidate + window;
        }

        if (candidate > nextExpected + half && candidate >= window)
        {
            return candidate - window;
        }

        return candidate;
    }
}
