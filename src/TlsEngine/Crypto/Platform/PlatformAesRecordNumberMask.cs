#if NET8_0_OR_GREATER
using System;
using System.Security.Cryptography;

namespace TlsEngine.Crypto.Platform;

/// <summary>The AES record number mask: one AES block (ECB, no padding) over the sample (RFC 9147 §4.2.3).</summary>
internal sealed class PlatformAesRecordNumberMask : IRecordNumberMask
{
    private readonly Aes _aes;

    // Aes.EncryptEcb builds a cipher per call; one encryptor, kept for the key's lifetime, makes a
    // mask per record cost no allocation. ECB keeps no state between blocks, so reuse is exact.
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _in = new byte[RecordNumberMasks.SampleLength];
    private readonly byte[] _out = new byte[RecordNumberMasks.SampleLength];

    public PlatformAesRecordNumberMask(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        RecordNumberMasks.CheckKey(algorithm, key);
        _aes = Aes.Create();
        byte[] copy = key.ToArray();
        _aes.Key = copy;
        Array.Clear(copy);
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _encryptor = _aes.CreateEncryptor();
    }

    public void Compute(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        RecordNumberMasks.CheckLengths(sample, mask);
        sample.CopyTo(_in);
        _encryptor.TransformBlock(_in, 0, RecordNumberMasks.SampleLength, _out, 0);
        _out.AsSpan().CopyTo(mask);
        Array.Clear(_in);
        Array.Clear(_out);
    }

    public void Dispose()
    {
        _encryptor.Dispose();
        _aes.Dispose();
    }
}
#endif
