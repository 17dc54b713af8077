using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsEngine.Crypto.BouncyCastle;

internal sealed class BcAead : IAead
{
    private const int TagBits = 128;
    private readonly AeadAlgorithm _algorithm;
    private readonly byte[] _key;
    private readonly KeyParameter _keyParameter;

    public BcAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        _algorithm = algorithm;
        _key = key.ToArray();
        _keyParameter = new KeyParameter(_key);
    }

    public int Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        IAeadCipher cipher = Create(true, nonce, aad);
        byte[] input = plaintext.ToArray();
        byte[] result = new byte[cipher.GetOutputSize(input.Length)];
        int n = cipher.ProcessBytes(input, 0, input.Length, result, 0);
        n += cipher.DoFinal(result, n);
        result.AsSpan(0, n).CopyTo(output);
        return n;
    }

    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, Span<byte> output, out int written)
    {
        written = 0;
        if (ciphertext.Length < TagBits / 8)
        {
            return false;
        }

        IAeadCipher cipher = Create(false, nonce, aad);
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

    public void Dispose() => Array.Clear(_key, 0, _key.Length);

    private IAeadCipher Create(bool encrypt, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad)
    {
        // A fresh nonce array per call: BouncyCastle's GCM keeps the array it was given and
        // compares the next nonce against it.
        var parameters = new AeadParameters(_keyParameter, TagBits, nonce.ToArray(), aad.ToArray());
        IAeadCipher cipher = _algorithm == AeadAlgorithm.ChaCha20Poly1305
            ? new ChaCha20Poly1305()
            : new GcmBlockCipher(new AesEngine());
        cipher.Init(encrypt, parameters);
        return cipher;
    }
}
