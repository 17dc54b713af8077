using System;
using System.Security.Cryptography;

namespace TlsEngine;

/// <summary>
/// The engine's only source of randomness. Inject a seeded instance to make every transcript
/// reproducible (tests, fuzzing, simulations); the default draws from the operating system.
/// </summary>
public abstract class TlsRandom
{
    /// <summary>The operating system's cryptographic generator.</summary>
    public static TlsRandom System { get; } = new SystemRandom();

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
        private readonly RandomNumberGenerator _rng = RandomNumberGenerator.Create();

        public override void Fill(Span<byte> destination)
        {
            byte[] tmp = new byte[destination.Length];
            lock (_rng)
            {
                _rng.GetBytes(tmp);
            }

            tmp.CopyTo(destination);
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
