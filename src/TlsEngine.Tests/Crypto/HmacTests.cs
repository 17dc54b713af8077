using System.Reflection;
using System.Runtime.InteropServices;
using TlsEngine.Crypto;
using TlsEngine.Crypto.BouncyCastle;
using TlsEngine.Crypto.Platform;
using Xunit;

namespace TlsEngine.Tests.Crypto;

/// <summary>
/// The keyed HMAC (<see cref="IHmac"/>) of both providers against RFC 4231 §4: one key, several
/// computations, and a key longer than the hash's block (hashed first, RFC 2104 §2). After Dispose
/// nothing it references holds the key or the padded keys.
/// </summary>
public class HmacTests
{
    public static TheoryData<string, string, string, string> Rfc4231 => new()
    {
        // Test Case 1: 20-byte key, "Hi There".
        { "Sha256", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "Sha384", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6" },
        { "Sha512", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
        // Test Case 2: "Jefe", "what do ya want for nothing?".
        { "Sha256", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { "Sha384", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649" },
        { "Sha512", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
        // Test Case 6: a 131-byte key, longer than every block size here.
        { "Sha256", new string('a', 262), Convert.ToHexString("Test Using Larger Than Block-Size Key - Hash Key First"u8), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { "Sha384", new string('a', 262), Convert.ToHexString("Test Using Larger Than Block-Size Key - Hash Key First"u8), "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952" },
        { "Sha512", new string('a', 262), Convert.ToHexString("Test Using Larger Than Block-Size Key - Hash Key First"u8), "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
    };

    private static IEnumerable<ICryptoProvider> Providers() => new ICryptoProvider[] { BcCryptoProvider.Instance, PlatformCryptoProvider.Instance };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Keyed_hmac_of_each_provider_matches_rfc4231_on_every_computation(string hash, string key, string data, string expected)
    {
        HashAlgorithmId algorithm = Enum.Parse<HashAlgorithmId>(hash);
        foreach (ICryptoProvider provider in Providers())
        {
            using IHmac mac = provider.CreateHmac(algorithm, Convert.FromHexString(key));
            Assert.Equal(expected.Length / 2, mac.Length);
            for (int i = 0; i < 3; i++)
            {
                // Oversized and pre-filled: only the MAC's length is written.
                byte[] output = Enumerable.Repeat((byte)0xEE, mac.Length + 4).ToArray();
                Assert.Equal(mac.Length, mac.Compute(Convert.FromHexString(data), output));
                Assert.Equal(expected, Convert.ToHexString(output, 0, mac.Length).ToLowerInvariant());
                Assert.All(output.Skip(mac.Length), b => Assert.Equal(0xEE, b));
                // A different message in between does not disturb the keyed state.
                mac.Compute(new byte[200], output);
            }

            // The one-shot HMAC agrees.
            Assert.Equal(expected, Convert.ToHexString(provider.Hmac(algorithm, Convert.FromHexString(key), Convert.FromHexString(data))).ToLowerInvariant());
        }
    }

    [Theory]
    [InlineData("Sha256")]
    [InlineData("Sha384")]
    [InlineData("Sha512")]
    public void Managed_hmac_wipes_its_key_and_padded_keys_on_dispose(string hash)
    {
        HashAlgorithmId algorithm = Enum.Parse<HashAlgorithmId>(hash);
        byte[] key = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
        var secrets = new List<byte[]> { key[..16], key[..16].Select(b => (byte)(b ^ 0x36)).ToArray(), key[..16].Select(b => (byte)(b ^ 0x5C)).ToArray() };
        var mac = (BcHmac)BcCryptoProvider.Instance.CreateHmac(algorithm, key);
        mac.Compute(new byte[] { 1, 2, 3 }, new byte[64]);
        Assert.NotEmpty(Holders(mac, secrets));
        mac.Dispose();
        Assert.Empty(Holders(mac, secrets));
        Assert.Throws<ObjectDisposedException>(() => mac.Compute(new byte[] { 1 }, new byte[64]));
    }

    [Fact]
    public void Platform_hmac_keeps_no_managed_key_copy_and_frees_its_native_context_on_dispose()
    {
        byte[] key = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
        var mac = new PlatformHmac(HashAlgorithmId.Sha256, key);
        mac.Compute(new byte[] { 1, 2, 3 }, new byte[32]);
        List<SafeHandle> handles = Handles(mac);
        Assert.NotEmpty(handles);
        Assert.Empty(Holders(mac, new[] { key[..16] }));
        mac.Dispose();
        Assert.All(handles, h => Assert.True(h.IsClosed));
    }

    /// <summary>Paths of the byte arrays reachable from <paramref name="root"/> that contain one of <paramref name="secrets"/>.</summary>
    private static List<string> Holders(object root, IEnumerable<byte[]> secrets)
    {
        var found = new List<string>();
        Walk(root, (path, value) =>
        {
            if (value is byte[] bytes && secrets.Any(s => bytes.AsSpan().IndexOf(s) >= 0))
            {
                found.Add(path);
            }
        });
        return found;
    }

    private static List<SafeHandle> Handles(object root)
    {
        var handles = new List<SafeHandle>();
        Walk(root, (_, value) =>
        {
            if (value is SafeHandle handle)
            {
                handles.Add(handle);
            }
        });
        return handles;
    }

    private static void Walk(object root, Action<string, object> visit)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        void Visit(object? value, string path, int depth)
        {
            if (value == null || depth > 10 || value is string || value is Type || value is Delegate || value is Pointer || !seen.Add(value))
            {
                return;
            }

            visit(path, value);
            if (value is Array array)
            {
                if (!array.GetType().GetElementType()!.IsValueType)
                {
                    int i = 0;
                    foreach (object? item in array)
                    {
                        Visit(item, $"{path}[{i++}]", depth + 1);
                    }
                }

                return;
            }

            if (value is SafeHandle)
            {
                return;
            }

            for (Type? type = value.GetType(); type != null && type != typeof(object); type = type.BaseType)
            {
                foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (!field.FieldType.IsPrimitive)
                    {
                        Visit(field.GetValue(value), $"{path}.{field.Name}", depth + 1);
                    }
                }
            }
        }

        Visit(root, root.GetType().Name, 0);
    }
}
