using TlsEngine.Crypto;
using TlsEngine.Crypto.BouncyCastle;
using TlsEngine.Crypto.Platform;
using TlsEngine.KeySchedule;
using Xunit;

namespace TlsEngine.Tests.KeySchedule;

/// <summary>
/// RFC 5869 Appendix A.1 (SHA-256) on both providers, through both expansion paths: one block
/// (a one-shot HMAC) and several blocks (one keyed HMAC).
/// </summary>
public class HkdfVectorTests
{
    private static readonly byte[] Ikm = Enumerable.Repeat((byte)0x0b, 22).ToArray();
    private static readonly byte[] Salt = Enumerable.Range(0, 13).Select(i => (byte)i).ToArray();
    private static readonly byte[] Info = Enumerable.Range(0xf0, 10).Select(i => (byte)i).ToArray();
    private const string Prk = "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5";
    private const string Okm = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";

    public static TheoryData<string> Providers => new() { "managed", "platform" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Extract_and_expand_match_rfc5869_case_1(string provider)
    {
        var hkdf = new Hkdf(Of(provider), HashAlgorithmId.Sha256);

        byte[] prk = hkdf.Extract(Salt, Ikm);

        Assert.Equal(Prk, Convert.ToHexString(prk).ToLowerInvariant());
        Assert.Equal(Okm, Convert.ToHexString(hkdf.Expand(prk, Info, 42)).ToLowerInvariant());
        Assert.Equal(Okm.Substring(0, 64), Convert.ToHexString(hkdf.Expand(prk, Info, 32)).ToLowerInvariant());
        Assert.Equal(Okm.Substring(0, 24), Convert.ToHexString(hkdf.Expand(prk, Info, 12)).ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void One_shot_hmac_matches_the_keyed_hmac(string provider)
    {
        ICryptoProvider crypto = Of(provider);
        byte[] oneShot = new byte[32];
        crypto.Hmac(HashAlgorithmId.Sha256, Salt, Ikm, oneShot);
        using IHmac keyed = crypto.CreateHmac(HashAlgorithmId.Sha256, Salt);
        byte[] expected = new byte[32];
        keyed.Compute(Ikm, expected);

        Assert.Equal(expected, oneShot);
        Assert.Equal(expected, crypto.Hmac(HashAlgorithmId.Sha256, Salt, Ikm));
        Assert.Equal(Prk, Convert.ToHexString(oneShot).ToLowerInvariant());
    }

    private static ICryptoProvider Of(string provider) => provider == "managed" ? BcCryptoProvider.Instance : PlatformCryptoProvider.Instance;
}
