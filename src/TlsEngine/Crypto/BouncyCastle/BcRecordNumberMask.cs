using System;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsEngine.Crypto.BouncyCastle;

/// <summary>The AES record number mask: one AES block (ECB, no padding) over the sample (RFC 9147 §4.2.3).</summary>
internal sealed class BcAesRecordNumberMask : IRecordNumberMask
{
    private readonly AesEngine _aes = new();
    private readonly byte[] _in = new byte[RecordNumberMasks.SampleLength];
    private readonly byte[] _out = new byte[RecordNumberMasks.SampleLength];
    private bool _disposed;

    public BcAesRecordNumberMask(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        RecordNumberMasks.CheckKey(algorithm, key);
        byte[] copy = key.ToArray();
        var parameter = new KeyParameter(copy);
        Array.Clear(copy, 0, copy.Length);
        _aes.Init(true, parameter);
        BcScrub.KeyParameter(parameter);
    }

    public void Compute(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(BcAesRecordNumberMask));
        }

        RecordNumberMasks.CheckLengths(sample, mask);
        sample.CopyTo(_in);
        _aes.ProcessBlock(_in, 0, _out, 0);
        _out.CopyTo(mask);
        Array.Clear(_out, 0, _out.Length);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            BcScrub.AesRoundKeys(_aes);
        }
    }
}
