using System;
using System.Reflection;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Modes.Gcm;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsEngine.Crypto.BouncyCastle;

/// <summary>
/// Zeroes the key material BouncyCastle 1.8.10 keeps in private fields, which its API offers no
/// way to clear: <c>KeyParameter.key</c>, the AES round keys, GCM's hash key H (and its tables,
/// the last key and the block buffers), and ChaCha20-Poly1305's key, cipher state and Poly1305 key.
/// What stays out of reach: the temporary copies BouncyCastle makes inside <c>Init</c>
/// (<c>KeyParameter.GetKey()</c> returns a fresh clone, dropped without zeroing) — one to three
/// per key with <see cref="BcAead"/>, since it keys each cipher once.
/// </summary>
internal static class BcScrub
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    // Resolved once; a BouncyCastle upgrade that renames these fields fails the AEAD scrub tests.
    private static readonly FieldInfo[] KeyParameterFields = typeof(KeyParameter).GetFields(Declared);
    private static readonly FieldInfo? AesWorkingKey = typeof(AesEngine).GetField("WorkingKey", Declared);
    private static readonly FieldInfo[] GcmFields = typeof(GcmBlockCipher).GetFields(Declared);
    private static readonly FieldInfo[] MultiplierFields = typeof(Tables4kGcmMultiplier).GetFields(Declared);
    private static readonly FieldInfo[] BasicExponentiatorFields = typeof(BasicGcmExponentiator).GetFields(Declared);
    private static readonly FieldInfo[] TablesExponentiatorFields = typeof(Tables1kGcmExponentiator).GetFields(Declared);
    private static readonly FieldInfo[] ChaChaPolyFields = typeof(ChaCha20Poly1305).GetFields(Declared);
    private static readonly FieldInfo[] SalsaFields = typeof(Salsa20Engine).GetFields(Declared);
    private static readonly FieldInfo[] Poly1305Fields = typeof(Poly1305).GetFields(Declared);
    private static readonly FieldInfo[] HmacFields = typeof(HMac).GetFields(Declared);

    public static void KeyParameter(KeyParameter key) => ClearFields(key, KeyParameterFields);

    /// <summary>The AES round keys (the engine's other arrays are S-box tables, not secrets).</summary>
    public static void AesRoundKeys(AesEngine aes) => ClearValue(AesWorkingKey?.GetValue(aes));

    public static void Gcm(GcmBlockCipher gcm, AesEngine aes, Tables4kGcmMultiplier multiplier)
    {
        // Only the round keys: AesEngine's other arrays are S-box tables, not secrets.
        ClearValue(AesWorkingKey?.GetValue(aes));
        ClearFields(multiplier, MultiplierFields);
        foreach (FieldInfo field in GcmFields)
        {
            object? value = field.GetValue(gcm);
            // The exponentiator (made lazily) holds powers of H.
            if (value is BasicGcmExponentiator basic)
            {
                ClearFields(basic, BasicExponentiatorFields);
            }
            else if (value is Tables1kGcmExponentiator tables)
            {
                ClearFields(tables, TablesExponentiatorFields);
            }
            else if (value is not (AesEngine or Tables4kGcmMultiplier))
            {
                ClearValue(value);
            }
        }
    }

    public static void ChaCha20Poly1305(ChaCha20Poly1305 aead)
    {
        foreach (FieldInfo field in ChaChaPolyFields)
        {
            object? value = field.GetValue(aead);
            if (value is ChaCha7539Engine engine)
            {
                ClearFields(engine, SalsaFields);
            }
            else if (value is Poly1305 mac)
            {
                ClearFields(mac, Poly1305Fields);
            }
            else
            {
                ClearValue(value);
            }
        }
    }

    /// <summary>HMAC's padded keys and the hash states keyed with them (the inner, the outer and the working one).</summary>
    public static void Hmac(HMac mac)
    {
        foreach (FieldInfo field in HmacFields)
        {
            object? value = field.GetValue(mac);
            if (value is IDigest digest)
            {
                // Reset puts a digest back to its initial value and clears its buffered block.
                digest.Reset();
            }
            else
            {
                ClearValue(value);
            }
        }
    }

    private static void ClearFields(object target, FieldInfo[] fields)
    {
        foreach (FieldInfo field in fields)
        {
            object? value = field.GetValue(target);
            if (value is uint && !field.IsInitOnly)
            {
                field.SetValue(target, 0u);
            }
            else
            {
                ClearValue(value);
            }
        }
    }

    private static void ClearValue(object? value)
    {
        switch (value)
        {
            case byte[] bytes:
                Array.Clear(bytes, 0, bytes.Length);
                break;
            case uint[] words:
                Array.Clear(words, 0, words.Length);
                break;
            case ulong[] longs:
                Array.Clear(longs, 0, longs.Length);
                break;
            case uint[][] rows:
                foreach (uint[] row in rows)
                {
                    ClearValue(row);
                }

                break;
            case ulong[][] longRows:
                foreach (ulong[] row in longRows)
                {
                    ClearValue(row);
                }

                break;
            case System.Collections.IList list:
                foreach (object? item in list)
                {
                    ClearValue(item);
                }

                break;
        }
    }
}
