using System.Security.Cryptography;
using TlsEngine.Crypto.MlKem;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Crypto;

/// <summary>ML-KEM against NIST ACVP vectors and OpenSSL 3.5 outputs (TestData/mlkem, each file names its source).</summary>
public class MlKemVectorTests
{
    public static IEnumerable<object[]> Cases(string kind) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "mlkem"), "*.txt")
            .SelectMany(ReadBlocks)
            .Where(block => block["kind"] == kind)
            .Select(block => new object[] { new AcvpCase(block) });

    [Theory]
    [MemberData(nameof(Cases), "keygen")]
    public void KeyGen_from_the_seed_matches_OpenSSL_and_decapsulates_its_ciphertext(AcvpCase c)
    {
        MlKemParameters p = c.Parameters;
        byte[] ek = new byte[p.EncapsulationKeySize];
        byte[] dk = new byte[p.DecapsulationKeySize];
        MlKem.KeyGen(p, c["d"], c["z"], ek, dk);

        Assert.Equal(Hex.Of(c["ek_hash"]), Hex.Of(SHA3_256.HashData(ek)));
        // dk = dkPKE || ek || H(ek) || z (FIPS 203 Algorithm 16).
        Assert.Equal(Hex.Of(ek), Hex.Of(dk[(384 * p.K)..((768 * p.K) + 32)]));
        Assert.Equal(Hex.Of(c["ek_hash"]), Hex.Of(dk[((768 * p.K) + 32)..((768 * p.K) + 64)]));
        Assert.Equal(Hex.Of(c["z"]), Hex.Of(dk[((768 * p.K) + 64)..]));
        Assert.True(MlKem.IsValidEncapsulationKey(p, ek));

        byte[] key = new byte[32];
        MlKem.Decapsulate(p, dk, c["c"], key);
        Assert.Equal(Hex.Of(c["k"]), Hex.Of(key));
    }

    [Theory]
    [MemberData(nameof(Cases), "acvp-keygen")]
    public void KeyGen_from_the_seed_matches_ACVP_keys(AcvpCase c)
    {
        MlKemParameters p = c.Parameters;
        byte[] ek = new byte[p.EncapsulationKeySize];
        byte[] dk = new byte[p.DecapsulationKeySize];
        MlKem.KeyGen(p, c["d"], c["z"], ek, dk);

        // The expected dk embeds ek (FIPS 203 Algorithm 16, line 3), so comparing both covers the whole key pair.
        byte[] expected = c["dk"];
        Assert.Equal(Hex.Of(expected[(384 * p.K)..((768 * p.K) + 32)]), Hex.Of(ek));
        Assert.Equal(Hex.Of(expected), Hex.Of(dk));
    }

    [Theory]
    [MemberData(nameof(Cases), "encapsulation")]
    public void Encapsulation_matches_ACVP_and_decapsulates_back(AcvpCase c)
    {
        MlKemParameters p = c.Parameters;
        byte[] dk = c["dk"];
        byte[] ek = dk[(384 * p.K)..((768 * p.K) + 32)];
        Assert.True(MlKem.IsValidEncapsulationKey(p, ek));
        byte[] ciphertext = new byte[p.CiphertextSize];
        byte[] key = new byte[32];
        MlKem.Encapsulate(p, ek, c["m"], ciphertext, key);
        Assert.Equal(Hex.Of(c["c"]), Hex.Of(ciphertext));
        Assert.Equal(Hex.Of(c["k"]), Hex.Of(key));

        byte[] decapsulated = new byte[32];
        MlKem.Decapsulate(p, dk, c["c"], decapsulated);
        Assert.Equal(Hex.Of(c["k"]), Hex.Of(decapsulated));
    }

    [Theory]
    [MemberData(nameof(Cases), "decapsulation")]
    public void Decapsulation_matches_ACVP_including_implicit_rejection(AcvpCase c)
    {
        byte[] key = new byte[32];
        MlKem.Decapsulate(c.Parameters, c["dk"], c["c"], key);
        Assert.Equal(Hex.Of(c["k"]), Hex.Of(key));
    }

    private static IEnumerable<Dictionary<string, string>> ReadBlocks(string path)
    {
        var block = new Dictionary<string, string>();
        foreach (string raw in File.ReadLines(path).Append(string.Empty))
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                if (block.Count > 0)
                {
                    block["file"] = Path.GetFileName(path);
                    yield return block;
                    block = new Dictionary<string, string>();
                }

                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            string[] parts = line.Split('=', 2);
            block[parts[0].Trim()] = parts[1].Trim();
        }
    }

    /// <summary>One test case; ToString names it in the test list.</summary>
    public sealed class AcvpCase
    {
        private readonly Dictionary<string, string> _values;

        public AcvpCase(Dictionary<string, string> values) => _values = values;

        internal MlKemParameters Parameters => _values["set"] switch
        {
            "ML-KEM-512" => MlKemParameters.MlKem512,
            "ML-KEM-768" => MlKemParameters.MlKem768,
            _ => MlKemParameters.MlKem1024,
        };

        public byte[] this[string name] => Hex.Parse(_values[name]);

        public override string ToString() => $"{_values["set"]} tcId {_values["tcId"]} {(_values.TryGetValue("reason", out string? r) ? r : string.Empty)}".Trim();
    }
}
