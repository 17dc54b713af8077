using TlsEngine.Crypto;
using TlsEngine.Crypto.BouncyCastle;
using TlsEngine.Crypto.Curve25519;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Crypto.Curve25519;

/// <summary>
/// The fixed-base X25519(k, 9) on edwards25519 against RFC 7748 §6.1, the Montgomery ladder at u = 9,
/// and BouncyCastle's comb.
/// </summary>
public class X25519BaseTests
{
    private static readonly byte[] Nine = Hex.Parse("0900000000000000000000000000000000000000000000000000000000000000");

    private static byte[] ViaTable(byte[] scalar)
    {
        byte[] output = new byte[32];
        X25519Base.ScalarMult(scalar, output);
        return output;
    }

    private static byte[] ViaLadder(byte[] scalar)
    {
        byte[] output = new byte[32];
        Assert.True(X25519.ScalarMult(scalar, Nine, output));
        return output;
    }

    // RFC 7748 §6.1: Alice's and Bob's private keys and their public keys X25519(a, 9), X25519(b, 9).
    [Theory]
    [InlineData(
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")]
    [InlineData(
        "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
        "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")]
    public void Rfc7748_section_6_1_public_keys(string privateKey, string publicKey)
    {
        Assert.Equal(Hex.Parse(publicKey), ViaTable(Hex.Parse(privateKey)));

        byte[] output = new byte[32];
        X25519.ScalarMultBase(Hex.Parse(privateKey), output);
        Assert.Equal(Hex.Parse(publicKey), output);
    }

    [Fact]
    public void Equals_the_ladder_at_u_9_for_random_scalars()
    {
        var random = new Random(2024);
        byte[] scalar = new byte[32];
        for (int i = 0; i < 3000; i++)
        {
            random.NextBytes(scalar);
            Assert.Equal(ViaLadder(scalar), ViaTable(scalar));
        }
    }

    // Scalars whose signed digits sit at the ends of their range (every nibble 8 makes a carry run
    // through all 64 digits; 7 and 15 are the largest digits without and with a carry), only the bits
    // clamping clears or sets, single bits, and all-zero and all-ones bytes.
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("0700000000000000000000000000000000000000000000000000000000000080")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000040")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000c0")]
    [InlineData("f8ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("8888888888888888888888888888888888888888888888888888888888888888")]
    [InlineData("7777777777777777777777777777777777777777777777777777777777777777")]
    [InlineData("7878787878787878787878787878787878787878787878787878787878787878")]
    [InlineData("8787878787878787878787878787878787878787878787878787878787878787")]
    [InlineData("0808080808080808080808080808080808080808080808080808080808080808")]
    [InlineData("f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0")]
    [InlineData("0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f")]
    [InlineData("5555555555555555555555555555555555555555555555555555555555555555")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Equals_the_ladder_at_u_9_for_edge_scalars(string scalar)
    {
        byte[] k = Hex.Parse(scalar);
        Assert.Equal(ViaLadder(k), ViaTable(k));
    }

    [Fact]
    public void Equals_the_ladder_at_u_9_for_every_single_bit_and_its_complement()
    {
        for (int bit = 0; bit < 256; bit++)
        {
            byte[] k = new byte[32];
            k[bit >> 3] = (byte)(1 << (bit & 7));
            Assert.Equal(ViaLadder(k), ViaTable(k));

            for (int i = 0; i < 32; i++)
            {
                k[i] ^= 0xFF;
            }

            Assert.Equal(ViaLadder(k), ViaTable(k));
        }
    }

    [Fact]
    public void Equals_BouncyCastle_comb_for_random_scalars()
    {
        var random = new Random(77);
        byte[] scalar = new byte[32];
        byte[] expected = new byte[32];
        for (int i = 0; i < 500; i++)
        {
            random.NextBytes(scalar);
            Org.BouncyCastle.Math.EC.Rfc7748.X25519.ScalarMultBase(scalar, 0, expected, 0);
            Assert.Equal(expected, ViaTable(scalar));
        }
    }

    [Fact]
    public void Base_point_constants_lie_on_edwards25519_and_map_to_u_9()
    {
        X25519Base.Table.Constants(out FieldElement d, out FieldElement half, out Edwards.Extended b);
        Assert.True(Edwards.IsOnCurve(b.X, b.Y, d));

        // RFC 7748 §4.1: u = (1 + y) / (1 - y).
        FieldElement.One(out FieldElement one);
        FieldElement.Add(out FieldElement numerator, one, b.Y);
        FieldElement.Sub(out FieldElement denominator, one, b.Y);
        FieldElement.Invert(out denominator, denominator);
        FieldElement.Mul(out FieldElement u, numerator, denominator);
        byte[] encoded = new byte[32];
        FieldElement.ToBytes(encoded, u);
        Assert.Equal(Nine, encoded);

        FieldElement.MulSmall(out FieldElement two, half, 2);
        FieldElement.ToBytes(encoded, two);
        Assert.Equal(Hex.Parse("0100000000000000000000000000000000000000000000000000000000000000"), encoded);
    }

    [Fact]
    public void Both_providers_give_the_public_key_of_the_ladder_for_a_seeded_key()
    {
        for (ulong seed = 0; seed < 20; seed++)
        {
            byte[] privateKey = new byte[32];
            TlsRandom.FromSeed(seed).Fill(privateKey);
            byte[] expected = ViaLadder(privateKey);

            using IKeyShare provider = BcCryptoProvider.Instance.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.FromSeed(seed));
            using var managed = new X25519KeyShare(TlsRandom.FromSeed(seed));
            using var bouncy = new BcX25519KeyShare(TlsRandom.FromSeed(seed));
            Assert.Equal(expected, provider.PublicKey);
            Assert.Equal(expected, managed.PublicKey);
            Assert.Equal(expected, bouncy.PublicKey);
        }
    }
}
