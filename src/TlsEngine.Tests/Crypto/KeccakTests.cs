using System.Security.Cryptography;
using TlsEngine.Crypto.MlKem;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Crypto;

public class KeccakTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(71)]
    [InlineData(72)]
    [InlineData(135)]
    [InlineData(136)]
    [InlineData(137)]
    [InlineData(500)]
    public void Sponge_matches_the_platform_SHA3_and_SHAKE(int length)
    {
        byte[] input = new byte[length];
        new Random(length).NextBytes(input);

        byte[] sha256 = new byte[32];
        Keccak.Sha3_256(input, sha256);
        Assert.Equal(Hex.Of(SHA3_256.HashData(input)), Hex.Of(sha256));

        byte[] sha512 = new byte[64];
        Keccak.Sha3_512(input.AsSpan(0, length / 2), input.AsSpan(length / 2), sha512);
        Assert.Equal(Hex.Of(SHA3_512.HashData(input)), Hex.Of(sha512));

        byte[] shake = new byte[400];
        Keccak.Shake256(input, default, shake);
        Assert.Equal(Hex.Of(Shake256.HashData(input, 400)), Hex.Of(shake));

        // SHAKE128 squeezed in uneven pieces across block boundaries.
        Keccak xof = Keccak.Shake128();
        xof.Absorb(input);
        byte[] squeezed = new byte[500];
        xof.Squeeze(squeezed.AsSpan(0, 7));
        xof.Squeeze(squeezed.AsSpan(7, 200));
        xof.Squeeze(squeezed.AsSpan(207));
        Assert.Equal(Hex.Of(Shake128.HashData(input, 500)), Hex.Of(squeezed));
    }

    public static IEnumerable<object[]> BoundaryLengths()
    {
        var lengths = new SortedSet<int> { 0, 1, 3, 7, 8, 9, 15, 16, 17 };
        foreach (int rate in new[] { Keccak.Sha3_512Rate, Keccak.Sha3_256Rate, Keccak.Shake128Rate })
        {
            foreach (int delta in new[] { -9, -8, -7, -1, 0, 1, 7, 8, 9 })
            {
                lengths.Add(rate + delta);
                lengths.Add((2 * rate) + delta);
            }
        }

        return lengths.Select(length => new object[] { length });
    }

    /// <summary>
    /// Lengths on both sides of every rate and of twice the rate, and splits at every offset mod 8,
    /// so absorb's lane path and byte path meet at each alignment.
    /// </summary>
    [Theory]
    [MemberData(nameof(BoundaryLengths))]
    public void One_shot_hashes_split_anywhere_match_the_platform_at_rate_boundaries(int length)
    {
        byte[] input = new byte[length];
        new Random(length + 1000).NextBytes(input);
        byte[] sha256 = new byte[32];
        Keccak.Sha3_256(input, sha256);
        Assert.Equal(Hex.Of(SHA3_256.HashData(input)), Hex.Of(sha256));

        string sha512Expected = Hex.Of(SHA3_512.HashData(input));
        string shakeExpected = Hex.Of(Shake256.HashData(input, 2 * Keccak.Shake256Rate + 5));
        foreach (int split in new[] { 0, 1, 3, 8, 9, length / 2, length - 1, length - 8, length }.Where(s => s >= 0 && s <= length).Distinct())
        {
            byte[] sha512 = new byte[64];
            Keccak.Sha3_512(input.AsSpan(0, split), input.AsSpan(split), sha512);
            Assert.Equal(sha512Expected, Hex.Of(sha512));

            byte[] shake = new byte[(2 * Keccak.Shake256Rate) + 5];
            Keccak.Shake256(input.AsSpan(0, split), input.AsSpan(split), shake);
            Assert.Equal(shakeExpected, Hex.Of(shake));
        }
    }

    /// <summary>The incremental sponge fed and drained in odd-sized pieces gives the one-shot stream.</summary>
    [Theory]
    [MemberData(nameof(BoundaryLengths))]
    public void Incremental_absorb_and_squeeze_in_odd_pieces_match_the_platform(int length)
    {
        byte[] input = new byte[length];
        new Random(length + 2000).NextBytes(input);
        int outputLength = (3 * Keccak.Shake128Rate) + 11;
        foreach (int piece in new[] { 1, 3, 5, 7, 8, 13, 64, 167, 169 })
        {
            foreach (bool is128 in new[] { true, false })
            {
                Keccak xof = is128 ? Keccak.Shake128() : Keccak.Shake256();
                for (int at = 0; at < length; at += piece)
                {
                    xof.Absorb(input.AsSpan(at, Math.Min(piece, length - at)));
                }

                byte[] output = new byte[outputLength];
                for (int at = 0; at < outputLength; at += piece)
                {
                    xof.Squeeze(output.AsSpan(at, Math.Min(piece, outputLength - at)));
                }

                byte[] expected = is128 ? Shake128.HashData(input, outputLength) : Shake256.HashData(input, outputLength);
                Assert.Equal(Hex.Of(expected), Hex.Of(output));

                // Reset starts a fresh stream on the same instance.
                if (is128)
                {
                    xof.ResetShake128();
                }
                else
                {
                    xof.ResetShake256();
                }

                xof.Absorb(input);
                byte[] again = new byte[outputLength];
                xof.Squeeze(again);
                Assert.Equal(Hex.Of(expected), Hex.Of(again));
            }
        }
    }
}
