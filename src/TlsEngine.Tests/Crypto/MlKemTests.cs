using TlsEngine.Crypto.MlKem;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Crypto;

public class MlKemTests
{
    public static IEnumerable<object[]> Sets() => new[] { new object[] { "512" }, new object[] { "768" }, new object[] { "1024" } };

    [Theory]
    [MemberData(nameof(Sets))]
    public void Round_trip_agrees_and_a_flipped_ciphertext_bit_gives_the_rejection_key(string set)
    {
        MlKemParameters p = Of(set);
        (byte[] ek, byte[] dk) = KeyPair(p, 1);
        byte[] ciphertext = new byte[p.CiphertextSize];
        byte[] sent = new byte[32];
        MlKem.Encapsulate(p, ek, Seed(3), ciphertext, sent);
        byte[] received = new byte[32];
        MlKem.Decapsulate(p, dk, ciphertext, received);
        Assert.Equal(Hex.Of(sent), Hex.Of(received));

        // FIPS 203 §6.3: a modified ciphertext yields J(z || c), not an error.
        ciphertext[ciphertext.Length / 2] ^= 0x10;
        MlKem.Decapsulate(p, dk, ciphertext, received);
        byte[] rejection = new byte[32];
        Keccak.Shake256(dk.AsSpan(dk.Length - 32), ciphertext, rejection);
        Assert.Equal(Hex.Of(rejection), Hex.Of(received));
        Assert.NotEqual(Hex.Of(sent), Hex.Of(received));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Encapsulation_key_check_refuses_an_unreduced_coefficient_and_a_wrong_length(string set)
    {
        MlKemParameters p = Of(set);
        (byte[] ek, _) = KeyPair(p, 2);
        Assert.True(MlKem.IsValidEncapsulationKey(p, ek));

        // FIPS 203 §7.2: the first 12-bit coefficient set to 4095 (>= q) no longer re-encodes to itself.
        byte[] unreduced = (byte[])ek.Clone();
        unreduced[0] = 0xFF;
        unreduced[1] |= 0x0F;
        Assert.False(MlKem.IsValidEncapsulationKey(p, unreduced));

        // q itself (3329 = 0xD01) is the smallest value refused; q - 1 passes.
        byte[] atQ = (byte[])ek.Clone();
        atQ[0] = 0x01;
        atQ[1] = (byte)((atQ[1] & 0xF0) | 0x0D);
        Assert.False(MlKem.IsValidEncapsulationKey(p, atQ));
        atQ[0] = 0x00;
        Assert.True(MlKem.IsValidEncapsulationKey(p, atQ));

        Assert.False(MlKem.IsValidEncapsulationKey(p, ek.AsSpan(1)));
        Assert.False(MlKem.IsValidEncapsulationKey(p, ek.Concat(new byte[1]).ToArray()));
    }

    [Fact]
    public void Wrong_lengths_are_refused_as_misuse_not_read_out_of_bounds()
    {
        MlKemParameters p = MlKemParameters.MlKem768;
        (byte[] ek, byte[] dk) = KeyPair(p, 4);
        Assert.Throws<ArgumentException>(() => MlKem.Decapsulate(p, dk, new byte[p.CiphertextSize - 1], new byte[32]));
        Assert.Throws<ArgumentException>(() => MlKem.Encapsulate(p, ek.AsSpan(1).ToArray(), Seed(1), new byte[p.CiphertextSize], new byte[32]));
    }

    [Fact]
    public void Sizes_follow_FIPS_203_table_3()
    {
        Assert.Equal((800, 1632, 768), Sizes(MlKemParameters.MlKem512));
        Assert.Equal((1184, 2400, 1088), Sizes(MlKemParameters.MlKem768));
        Assert.Equal((1568, 3168, 1568), Sizes(MlKemParameters.MlKem1024));
    }

    private static (int, int, int) Sizes(MlKemParameters p) => (p.EncapsulationKeySize, p.DecapsulationKeySize, p.CiphertextSize);

    private static MlKemParameters Of(string set) => set switch
    {
        "512" => MlKemParameters.MlKem512,
        "768" => MlKemParameters.MlKem768,
        _ => MlKemParameters.MlKem1024,
    };

    private static byte[] Seed(int n) => Enumerable.Range(0, 32).Select(i => (byte)((i * 7) + n)).ToArray();

    private static (byte[] Ek, byte[] Dk) KeyPair(MlKemParameters p, int n)
    {
        byte[] ek = new byte[p.EncapsulationKeySize];
        byte[] dk = new byte[p.DecapsulationKeySize];
        MlKem.KeyGen(p, Seed(n), Seed(n + 100), ek, dk);
        return (ek, dk);
    }
}
