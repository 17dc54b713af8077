#if NET8_0_OR_GREATER
using System;
using System.Security.Cryptography;

namespace TlsEngine.Crypto.Platform;

/// <summary>The AES record number mask: one AES block (ECB, no padding) over the sample (RFC 9147 §4.2.3).</summary>
internal sealed class PlatformAesRecordNumberMask : IRecordNumberMask
{
    private readonly Aes _aes;

    public PlatformAesRecordNumberMask(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        RecordNumberMasks.CheckKey(algorithm, key);
        _aes = Aes.Create();
        byte[] copy = key.ToArray();
        _aes.Key = copy;
        Array.Clear(copy);
    }

    public void Compute(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        RecordNumberMasks.CheckLengths(sample, mask);
        _aes.EncryptEcb(sample, mask, PaddingMode.None);
    }

    public void Dispose() => _aes.Dispose();
}
#endif
