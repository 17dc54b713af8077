using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Modes.Gcm;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsEngine.Crypto.BouncyCastle;

/// <summary>
/// AES-GCM and ChaCha20-Poly1305 over BouncyCastle. One cipher object is keyed once and re-armed
/// with a fresh nonce per record, so the key schedule is computed (and the key copied) once per
/// key rather than once per record; <see cref="Dispose"/> zeroes those copies (see <see cref="BcScrub"/>).
/// </summary>
internal sealed class BcAead : IAead
{
    private const int TagBits = 128;
    private readonly KeyParameter _keyParameter;
    private readonly AesEngine? _aes;
    private readonly Tables4kGcmMultiplier? _multiplier;
    private readonly GcmBlockCipher? _gcm;
    private readonly ChaCha20Poly1305? _chacha;
    private bool _keyed;
    private bool _disposed;

    public BcAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        byte[] copy = key.ToArray();
        _keyParameter = new KeyParameter(copy); // KeyParameter keeps a copy of its own.
        Array.Clear(copy, 0, copy.Length);
        if (algorithm == AeadAlgorithm.ChaCha20Poly1305)
        {
            _chacha = new ChaCha20Poly1305();
        }
        else
        {
            _aes = new AesEngine();
            _multiplier = new Tables4kGcmMultiplier();
            _gcm = new GcmBlockCipher(_aes, _multiplier);
        }
    }

    private IAeadCipher Cipher => (IAeadCipher?)_gcm ?? _chacha!;

    public int Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        IAeadCipher cipher = Arm(true, nonce, aad);
        byte[] input = plaintext.ToArray();
        byte[] result = new byte[cipher.GetOutputSize(input.Length)];
        try
        {
            int n = cipher.ProcessBytes(input, 0, input.Length, result, 0);
            n += cipher.DoFinal(result, n);
            result.AsSpan(0, n).CopyTo(output);
            return n;
        }
        finally
        {
            Array.Clear(input, 0, input.Length);
        }
    }

    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, Span<byte> output, out int written)
    {
        written = 0;
        if (ciphertext.Length < TagBits / 8)
        {
            return false;
        }

        IAeadCipher cipher = Arm(false, nonce, aad);
        byte[] input = ciphertext.ToArray();
        byte[] result = new byte[cipher.GetOutputSize(input.Length)];
        try
        {
            int n = cipher.ProcessBytes(input, 0, input.Length, result, 0);
            n += cipher.DoFinal(result, n);
            result.AsSpan(0, n).CopyTo(output);
            written = n;
            return true;
        }
        catch (InvalidCipherTextException)
        {
            return false;
        }
        finally
        {
            Array.Clear(result, 0, result.Length);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        BcScrub.KeyParameter(_keyParameter);
        if (_gcm != null)
        {
            BcScrub.Gcm(_gcm, _aes!, _multiplier!);
        }
        else
        {
            BcScrub.ChaCha20Poly1305(_chacha!);
        }
    }

    private IAeadCipher Arm(bool encrypt, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad)
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(BcAead));
        }

        // A null key re-arms the cipher with the key it already holds (both modes allow it after
        // the first Init). A fresh nonce array per call: GCM keeps the array it was given and
        // compares the next nonce against it.
        var parameters = new AeadParameters(_keyed ? null : _keyParameter, TagBits, nonce.ToArray(), aad.ToArray());
        IAeadCipher cipher = Cipher;
        cipher.Init(encrypt, parameters);
        _keyed = true;
        return cipher;
    }
}
