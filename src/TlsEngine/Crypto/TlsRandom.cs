using System;
using System.Security.Cryptography;
using TlsEngine.Crypto;

namespace TlsEngine;

/// <summary>
/// The engine's only source of randomness. Inject a seeded instance to make every transcript
/// reproducible (tests, fuzzing, simulations); the default draws from the operating system.
/// </summary>
public abstract class TlsRandom
{
    /// <summary>
    /// The operating system's cryptographic generator. Short requests are served from a per-thread
    /// pool filled in one call, and each byte is zeroed in the pool as it is handed out.
    /// </summary>
    public static TlsRandom System { get; } = new SystemRandom();

    /// <summary>The pool <see cref="System"/> serves the calling thread from.</summary>
    internal static RandomPool SystemPoolOfCurrentThread => SystemRandom.CurrentPool;

    /// <summary>
    /// A deterministic generator (HMAC-SHA256 in counter mode over the seed). Never use it for
    /// real traffic: anyone who knows the seed knows every key.
    /// </summary>
    public static TlsRandom FromSeed(ulong seed)
    {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(seed >> (56 - (8 * i)));
        }

        return new SeededRandom(bytes);
    }

    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    public abstract void Fill(Span<byte> destination);

    /// <summary>Returns <paramref name="count"/> random bytes.</summary>
    public byte[] GetBytes(int count)
    {
        byte[] bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    private sealed class SystemRandom : TlsRandom
    {
        private const int PoolSize = 512;

#if !NET8_0_OR_GREATER
        private static readonly RandomNumberGenerator Generator = RandomNumberGenerator.Create();
#endif

        // One pool per thread: no two threads ever read the same pool, so no byte can reach two
        // callers and no lock is needed; a pool is only touched inside Fill, which never yields or
        // calls back out, so a thread cannot re-enter it.
        [ThreadStatic]
        private static RandomPool? t_pool;

        public override void Fill(Span<byte> destination)
        {
            if (destination.Length > RandomPool.MaxPooledRequest)
            {
                FillFromSystem(destination);
                return;
            }

            CurrentPool.Fill(destination);
        }

        /// <summary>The current thread's pool, created on first use.</summary>
        internal static RandomPool CurrentPool => t_pool ??= new RandomPool(PoolSize, pool => FillFromSystem(pool));

        private static void FillFromSystem(Span<byte> destination)
        {
#if NET8_0_OR_GREATER
            RandomNumberGenerator.Fill(destination);
#else
            byte[] tmp = new byte[destination.Length];
            lock (Generator)
            {
                Generator.GetBytes(tmp);
            }

            tmp.CopyTo(destination);
            Array.Clear(tmp, 0, tmp.Length);
#endif
        }
    }

    private sealed class SeededRandom : TlsRandom
    {
        private readonly HMACSHA256 _hmac;
        private ulong _counter;

        public SeededRandom(byte[] seed)
        {
            _hmac = new HMACSHA256(seed);
        }

        public override void Fill(Span<byte> destination)
        {
            int offset = 0;
            byte[] block = new byte[8];
            while (offset < destination.Length)
            {
                for (int i = 0; i < 8; i++)
                {
                    block[i] = (byte)(_counter >> (56 - (8 * i)));
                }

                _counter++;
                byte[] output = _hmac.ComputeHash(block);
                int take = Math.Min(output.Length, destination.Length - offset);
                output.AsSpan(0, take).CopyTo(destination.Slice(offset));
                offset += take;
            }
        }
    }
}
