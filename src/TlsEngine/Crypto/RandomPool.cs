using System;

namespace TlsEngine.Crypto;

/// <summary>
/// A buffer of random bytes drawn from a source in one call and handed out in order, each byte at
/// most once. The operating system's generator costs about the same per call whatever the length
/// (a fixed cost of locking and fork detection dominates up to a kilobyte), and a handshake asks for
/// five or so short values, so one draw serves several handshakes.
/// </summary>
/// <remarks>
/// Not thread-safe: each thread owns its pool (see <see cref="TlsRandom.System"/>). Every byte is
/// zeroed in the pool as it is handed out, so the pool never holds a copy of a value that became a
/// key or a nonce; the bytes not yet handed out are not a secret of anything until they are.
/// </remarks>
internal sealed class RandomPool
{
    /// <summary>Requests longer than this bypass the pool: they would empty it for no saving.</summary>
    public const int MaxPooledRequest = 128;

    private readonly byte[] _pool;
    private readonly Action<byte[]> _refill;

    // Bytes before _next were handed out and are zero; bytes from _next on are unused.
    private int _next;

    /// <param name="size">The pool's length in bytes.</param>
    /// <param name="refill">Fills the whole array with fresh random bytes.</param>
    public RandomPool(int size, Action<byte[]> refill)
    {
        _pool = new byte[size];
        _refill = refill;
        _next = size;
    }

    /// <summary>The pool itself, for tests that check what it still holds.</summary>
    internal ReadOnlySpan<byte> Contents => _pool;

    /// <summary>Fills <paramref name="destination"/> with the next unused bytes, refilling the pool when it runs out.</summary>
    public void Fill(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_next == _pool.Length)
            {
                _refill(_pool);
                _next = 0;
            }

            int take = Math.Min(destination.Length, _pool.Length - _next);
            Span<byte> source = _pool.AsSpan(_next, take);
            source.CopyTo(destination);
            source.Clear();
            _next += take;
            destination = destination.Slice(take);
        }
    }
}
