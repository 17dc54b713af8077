using System.Diagnostics;
using TlsEngine;
using TlsEngine.Crypto;
using Xunit;

namespace TlsEngine.Tests.Resumption;

/// <summary>
/// Rotation zeroes retired ticket keys in place; no ticket may ever be sealed under such a
/// zeroed key, however Seal, Open and Rotate interleave.
/// </summary>
public class TicketKeyRotationTests
{
    private static readonly ICryptoProvider Crypto = CryptoProviders.Default;

    private static bool SealedUnderZeroKey(byte[] ticket)
    {
        using IAead aead = Crypto.CreateAead(AeadAlgorithm.Aes256Gcm, new byte[32]);
        byte[] state = new byte[ticket.Length - 4 - 12 - 16];
        return aead.Open(ticket.AsSpan(4, 12), ticket.AsSpan(0, 4), ticket.AsSpan(16), state, out _);
    }

    /// <summary>Runs an action the first time a nonce-sized block is drawn after it is armed.</summary>
    private sealed class HookedRandom : TlsRandom
    {
        public Action? OnNextNonce { get; set; }

        public override void Fill(Span<byte> destination)
        {
            TlsRandom.System.Fill(destination);
            if (destination.Length == 12 && OnNextNonce is { } hook)
            {
                OnNextNonce = null;
                hook();
            }
        }
    }

    [Fact]
    public void Ticket_sealed_while_its_key_is_retired_is_not_sealed_under_a_zeroed_key()
    {
        var random = new HookedRandom();
        var keys = new TlsSessionTicketKeys(random) { RetiredKeysKept = 0 };
        byte[] state = { 1, 2, 3, 4, 5 };
        // Retire (and zero) the current key between Seal choosing it and Seal using it.
        random.OnNextNonce = keys.Rotate;
        byte[] ticket = keys.Seal(Crypto, state);
        Assert.False(SealedUnderZeroKey(ticket));
    }

    [Fact]
    public void Zero_key_check_recognises_a_ticket_sealed_under_a_zero_key()
    {
        // The detector itself: a ticket sealed under 32 zero bytes is recognised.
        byte[] ticket = new byte[4 + 12 + 3 + 16];
        using (IAead aead = Crypto.CreateAead(AeadAlgorithm.Aes256Gcm, new byte[32]))
        {
            aead.Seal(ticket.AsSpan(4, 12), ticket.AsSpan(0, 4), new byte[] { 9, 9, 9 }, ticket.AsSpan(16));
        }

        Assert.True(SealedUnderZeroKey(ticket));
    }

    [Fact]
    public void Concurrent_seal_open_and_rotate_never_seal_under_a_zeroed_key()
    {
        var keys = new TlsSessionTicketKeys { RetiredKeysKept = 0 };
        var stop = Stopwatch.StartNew();
        TimeSpan duration = TimeSpan.FromSeconds(1.5);
        int zeroKeyTickets = 0;
        int wrongStates = 0;
        long sealedCount = 0;
        long rotations = 0;

        // At least the duration and enough work on both sides, however loaded the machine; never past 20 s.
        bool Done() => stop.Elapsed > TimeSpan.FromSeconds(20)
            || (stop.Elapsed > duration && Interlocked.Read(ref sealedCount) >= 200 && Interlocked.Read(ref rotations) >= 200);

        void Sealer(int seed)
        {
            byte[] state = new byte[48];
            new Random(seed).NextBytes(state);
            while (!Done())
            {
                byte[] ticket = keys.Seal(Crypto, state);
                Interlocked.Increment(ref sealedCount);
                if (SealedUnderZeroKey(ticket))
                {
                    Interlocked.Increment(ref zeroKeyTickets);
                }

                byte[]? opened = keys.Open(Crypto, ticket);
                if (opened != null && !opened.AsSpan().SequenceEqual(state))
                {
                    Interlocked.Increment(ref wrongStates);
                }
            }
        }

        void Rotator()
        {
            while (!Done())
            {
                keys.Rotate();
                Interlocked.Increment(ref rotations);
            }
        }

        var threads = new[] { new Thread(() => Sealer(1)), new Thread(() => Sealer(2)), new Thread(Rotator) };
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        }

        Assert.True(sealedCount >= 200 && rotations >= 200, $"{sealedCount} tickets, {rotations} rotations");
        Assert.Equal(0, zeroKeyTickets);
        Assert.Equal(0, wrongStates);
    }
}
