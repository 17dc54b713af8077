using TlsEngine;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using Xunit;

namespace TlsEngine.Tests.KeySchedule;

/// <summary>DTLS 1.3 derives every key with the label prefix "dtls13" in place of "tls13 " (RFC 9147 §5.9).</summary>
public class HkdfLabelPrefixTests
{
    [Fact]
    public void Dtls13_prefix_is_encoded_in_the_hkdf_label()
    {
        byte[] secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var dtls = new Hkdf(CryptoProviders.Default, HashAlgorithmId.Sha256, Hkdf.Dtls13LabelPrefix);

        // HkdfLabel: uint16 length = 16, opaque label<7..255> = "dtls13" + "key", opaque context<0..255> = "".
        byte[] info = new byte[] { 0, 16, 9 }.Concat("dtls13key"u8.ToArray()).Concat(new byte[] { 0 }).ToArray();
        Assert.Equal(dtls.Expand(secret, info, 16), dtls.ExpandLabel(secret, "key", ReadOnlySpan<byte>.Empty, 16));
    }

    [Fact]
    public void Dtls13_and_tls13_keys_differ_for_the_same_secret()
    {
        byte[] secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var tls = new Hkdf(CryptoProviders.Default, HashAlgorithmId.Sha256);
        var dtls = new Hkdf(CryptoProviders.Default, HashAlgorithmId.Sha256, Hkdf.Dtls13LabelPrefix);
        Assert.NotEqual(tls.ExpandLabel(secret, "key", ReadOnlySpan<byte>.Empty, 16), dtls.ExpandLabel(secret, "key", ReadOnlySpan<byte>.Empty, 16));
    }
}
