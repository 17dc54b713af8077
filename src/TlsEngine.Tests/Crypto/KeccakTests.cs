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
}
