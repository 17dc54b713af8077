using TlsEngine.Crypto;
using TlsEngine.Crypto.BouncyCastle;
using TlsEngine.Crypto.Curve25519;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Crypto;

/// <summary>The managed X25519 (RFC 7748) against the RFC's vectors and against BouncyCastle's.</summary>
public class X25519Tests
{
    private static byte[] Compute(string scalar, string u)
    {
        byte[] output = new byte[32];
        X25519.ScalarMult(Hex.Parse(scalar), Hex.Parse(u), output);
        return output;
    }

    private static byte[] Compute(byte[] scalar, byte[] u)
    {
        byte[] output = new byte[32];
        X25519.ScalarMult(scalar, u, output);
        return output;
    }

    // RFC 7748 §5.2. The second u-coordinate has its top bit set, which §5 says to mask.
    [Theory]
    [InlineData(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData(
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void Rfc7748_section_5_2_vectors(string scalar, string u, string expected)
    {
        Assert.Equal(Hex.Parse(expected), Compute(scalar, u));
    }

    [Fact]
    public void Rfc7748_iterated_vector_after_1_and_1000_iterations()
    {
        byte[] k = new byte[32];
        k[0] = 9;
        byte[] u = (byte[])k.Clone();
        for (int i = 1; i <= 1000; i++)
        {
            byte[] next = Compute(k, u);
            u = k;
            k = next;
            if (i == 1)
            {
                Assert.Equal(Hex.Parse("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"), k);
            }
        }

        Assert.Equal(Hex.Parse("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"), k);
    }

    [Fact]
    public void Rfc7748_section_6_1_diffie_hellman()
    {
        byte[] alicePrivate = Hex.Parse("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPrivate = Hex.Parse("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePublic = new byte[32];
        byte[] bobPublic = new byte[32];
        X25519.ScalarMultBase(alicePrivate, alicePublic);
        X25519.ScalarMultBase(bobPrivate, bobPublic);

        Assert.Equal(Hex.Parse("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alicePublic);
        Assert.Equal(Hex.Parse("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), bobPublic);
        byte[] shared = Hex.Parse("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        Assert.Equal(shared, Compute(alicePrivate, bobPublic));
        Assert.Equal(shared, Compute(bobPrivate, alicePublic));
    }

    // u-coordinates of small order (0, 1, the two points of order 8, p - 1 of order 4) and the
    // non-canonical encodings of 0 and 1 (p, p + 1), with and without the masked top bit.
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]
    [InlineData("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157")]
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000080")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Low_order_point_gives_all_zero_secret_which_the_key_share_refuses(string u)
    {
        byte[] output = new byte[32];
        Assert.False(X25519.ScalarMult(Hex.Parse("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), Hex.Parse(u), output));
        Assert.All(output, b => Assert.Equal(0, b));

        using var share = new X25519KeyShare(TlsRandom.FromSeed(7));
        Assert.Null(share.DeriveSharedSecret(Hex.Parse(u)));
    }

    [Fact]
    public void Non_canonical_u_coordinates_reduce_and_the_top_bit_is_masked()
    {
        byte[] scalar = Hex.Parse("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
        var random = new Random(5);
        for (int v = 0; v < 19; v++)
        {
            // p + v (below 2^255) is v; with bit 255 set as well it is still v (RFC 7748 §5).
            byte[] canonical = new byte[32];
            canonical[0] = (byte)v;
            byte[] aboveP = Hex.Parse("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
            aboveP[0] += (byte)v;
            byte[] aboveWithTopBit = (byte[])aboveP.Clone();
            aboveWithTopBit[31] |= 0x80;

            byte[] expected = Compute(scalar, canonical);
            Assert.Equal(expected, Compute(scalar, aboveP));
            Assert.Equal(expected, Compute(scalar, aboveWithTopBit));
        }

        for (int i = 0; i < 20; i++)
        {
            byte[] u = new byte[32];
            random.NextBytes(u);
            u[31] &= 0x7F;
            byte[] withTopBit = (byte[])u.Clone();
            withTopBit[31] |= 0x80;
            Assert.Equal(Compute(scalar, u), Compute(scalar, withTopBit));
        }
    }

    [Fact]
    public void Agrees_with_BouncyCastle_on_random_keys_and_peers()
    {
        var random = new Random(3);
        for (ulong seed = 0; seed < 300; seed++)
        {
            using var ours = new X25519KeyShare(TlsRandom.FromSeed(seed));
            using var theirs = new BcX25519KeyShare(TlsRandom.FromSeed(seed));
            Assert.Equal(theirs.PublicKey, ours.PublicKey);

            byte[] peer = new byte[32];
            random.NextBytes(peer);
            peer[31] &= 0x7F;
            Assert.Equal(theirs.DeriveSharedSecret(peer), ours.DeriveSharedSecret(peer));
        }
    }

    [Fact]
    public void Provider_key_share_public_key_matches_the_ladder()
    {
        using IKeyShare provider = BcCryptoProvider.Instance.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.FromSeed(42));
        using var ladder = new X25519KeyShare(TlsRandom.FromSeed(42));
        Assert.Equal(ladder.PublicKey, provider.PublicKey);

        using var peer = new X25519KeyShare(TlsRandom.FromSeed(43));
        Assert.Equal(peer.DeriveSharedSecret(provider.PublicKey), provider.DeriveSharedSecret(peer.PublicKey));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(65)]
    public void Key_share_refuses_a_peer_key_of_the_wrong_length(int length)
    {
        using var share = new X25519KeyShare(TlsRandom.FromSeed(1));
        Assert.Null(share.DeriveSharedSecret(new byte[length]));
    }

    [Fact]
    public void Dispose_zeroes_the_private_key()
    {
        var share = new X25519KeyShare(TlsRandom.FromSeed(9));
        byte[] key = (byte[])typeof(X25519KeyShare)
            .GetField("_privateKey", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(share)!;
        Assert.Contains(key, b => b != 0);
        share.Dispose();
        Assert.All(key, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Portable_wide_multiply_matches_the_runtime_one()
    {
        var random = new Random(13);
        byte[] buffer = new byte[16];
        // The last three are the largest factors the field multiplication gives it: a limb below 2^54
        // shifted left by 10, and 38 times such a limb.
        ulong[] edges =
        {
            0, 1, uint.MaxValue, (ulong)uint.MaxValue + 1, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63,
            ((1UL << 54) - 1) << 10, ((1UL << 54) - 1) * 38, ((1UL << 51) + (1UL << 13) - 1) * 19,
        };
        foreach (ulong a in edges)
        {
            foreach (ulong b in edges)
            {
                Check(a, b);
            }
        }

        for (int i = 0; i < 2000; i++)
        {
            random.NextBytes(buffer);
            Check(BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
        }

        static void Check(ulong a, ulong b)
        {
            ulong expectedHigh = Math.BigMul(a, b, out ulong expectedLow);
            ulong high = Wide.MulPortable(a, b, out ulong low);
            Assert.Equal((expectedHigh, expectedLow), (high, low));
            Assert.Equal(expectedHigh, Wide.MulHigh(a, b));
        }
    }
}
