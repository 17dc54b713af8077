using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TlsEngine.Crypto;
using TlsEngine.Crypto.BouncyCastle;
using TlsEngine.Crypto.Platform;
using Xunit;

namespace TlsEngine.Tests.Crypto;

/// <summary>
/// After Dispose, nothing an AEAD object still references holds its key or a value derived from
/// it (AES round keys, GCM's hash key H, the ChaCha20 state). The check walks every field the
/// object reaches by reflection, so it sees BouncyCastle's private copies too.
/// </summary>
public class AeadKeyScrubTests
{
    private static readonly byte[] Nonce = Enumerable.Range(1, 12).Select(i => (byte)i).ToArray();

    public static TheoryData<string> Algorithms => new() { nameof(AeadAlgorithm.Aes128Gcm), nameof(AeadAlgorithm.Aes256Gcm), nameof(AeadAlgorithm.ChaCha20Poly1305) };

    private static byte[] Key(AeadAlgorithm algorithm) =>
        Enumerable.Range(0, algorithm == AeadAlgorithm.Aes128Gcm ? 16 : 32).Select(i => (byte)(0xA0 + i)).ToArray();

    /// <summary>The values whose presence means key material is still held: the key's first 16 bytes, and for GCM H = AES_K(0^128).</summary>
    private static List<byte[]> Secrets(AeadAlgorithm algorithm, byte[] key)
    {
        var secrets = new List<byte[]> { key[..16] };
        if (algorithm != AeadAlgorithm.ChaCha20Poly1305)
        {
            using var aes = Aes.Create();
            aes.Key = key;
            secrets.Add(aes.EncryptEcb(new byte[16], PaddingMode.None));
        }

        return secrets;
    }

    private static void Exercise(IAead aead)
    {
        byte[] sealedRecord = new byte[5 + 16];
        aead.Seal(Nonce, new byte[] { 23 }, new byte[] { 1, 2, 3, 4, 5 }, sealedRecord);
        byte[] opened = new byte[5];
        Assert.True(aead.Open(Nonce, new byte[] { 23 }, sealedRecord, opened, out int written));
        Assert.Equal(5, written);
        // A second record under a new nonce: the cipher is re-armed, not re-keyed.
        byte[] nonce2 = (byte[])Nonce.Clone();
        nonce2[11] ^= 1;
        aead.Seal(nonce2, new byte[] { 23 }, new byte[] { 6, 7, 8 }, new byte[3 + 16]);
    }

    /// <summary>Every primitive array reachable from <paramref name="root"/>, as bytes, and every SafeHandle.</summary>
    private static (List<(string Path, byte[] Bytes)> Arrays, List<SafeHandle> Handles) Reachable(object root)
    {
        var arrays = new List<(string, byte[])>();
        var handles = new List<SafeHandle>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        void Visit(object? value, string path, int depth)
        {
            if (value == null || depth > 12 || value is string || value is Type || value is Delegate || value is Pointer || !seen.Add(value))
            {
                return;
            }

            switch (value)
            {
                case byte[] b:
                    arrays.Add((path, b));
                    return;
                case uint[] u:
                    arrays.Add((path, MemoryMarshal.AsBytes(u.AsSpan()).ToArray()));
                    return;
                case ulong[] l:
                    arrays.Add((path, MemoryMarshal.AsBytes(l.AsSpan()).ToArray()));
                    return;
                case Array array when !array.GetType().GetElementType()!.IsValueType:
                    int i = 0;
                    foreach (object? item in array)
                    {
                        Visit(item, $"{path}[{i++}]", depth + 1);
                    }

                    return;
                case Array:
                    return;
                case SafeHandle handle:
                    handles.Add(handle);
                    return;
            }

            for (Type? type = value.GetType(); type != null && type != typeof(object); type = type.BaseType)
            {
                if (type.IsValueType && type.IsPrimitive)
                {
                    return;
                }

                foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (!field.FieldType.IsValueType || !field.FieldType.IsPrimitive)
                    {
                        Visit(field.GetValue(value), $"{path}.{field.Name}", depth + 1);
                    }
                }
            }
        }

        Visit(root, root.GetType().Name, 0);
        return (arrays, handles);
    }

    private static List<string> Holders(object root, IEnumerable<byte[]> secrets) =>
        Reachable(root).Arrays.Where(a => secrets.Any(s => a.Bytes.AsSpan().IndexOf(s) >= 0)).Select(a => a.Path).ToList();

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Managed_aead_zeroes_bouncy_castle_key_copies_on_dispose(string name)
    {
        AeadAlgorithm algorithm = Enum.Parse<AeadAlgorithm>(name);
        byte[] key = Key(algorithm);
        List<byte[]> secrets = Secrets(algorithm, key);
        var aead = new BcAead(algorithm, key);
        Exercise(aead);
        // The walk reaches BouncyCastle's copies (KeyParameter, round keys, H or the ChaCha state)...
        Assert.NotEmpty(Holders(aead, secrets));
        aead.Dispose();
        // ...and none survives Dispose.
        Assert.Empty(Holders(aead, secrets));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Managed_aead_seals_and_opens_many_records_with_one_keyed_cipher(string name)
    {
        AeadAlgorithm algorithm = Enum.Parse<AeadAlgorithm>(name);
        using var sealer = new BcAead(algorithm, Key(algorithm));
        using var opener = new BcAead(algorithm, Key(algorithm));
        for (int i = 0; i < 50; i++)
        {
            byte[] nonce = (byte[])Nonce.Clone();
            nonce[11] = (byte)i;
            byte[] plaintext = Enumerable.Range(0, i * 7).Select(b => (byte)b).ToArray();
            byte[] record = new byte[plaintext.Length + 16];
            sealer.Seal(nonce, new byte[] { (byte)i }, plaintext, record);
            byte[] opened = new byte[plaintext.Length];
            Assert.True(opener.Open(nonce, new byte[] { (byte)i }, record, opened, out _));
            Assert.Equal(plaintext, opened);
            record[0] ^= 1;
            Assert.False(opener.Open(nonce, new byte[] { (byte)i }, record, opened, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Platform_aead_keeps_no_managed_key_copy_and_frees_its_native_context_on_dispose(string name)
    {
        AeadAlgorithm algorithm = Enum.Parse<AeadAlgorithm>(name);
        byte[] key = Key(algorithm);
        var aead = new PlatformAead(algorithm, key);
        Exercise(aead);
        (_, List<SafeHandle> handles) = Reachable(aead);
        Assert.NotEmpty(handles);
        aead.Dispose();
        // .NET keeps the key inside the native cipher context; freeing it lets OpenSSL cleanse the key schedule.
        Assert.All(handles, h => Assert.True(h.IsClosed));
        Assert.Empty(Holders(aead, Secrets(algorithm, key)));
    }
}
