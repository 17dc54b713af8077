using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsEngine.Crypto.BouncyCastle;

/// <summary>
/// BouncyCastle's HMAC, keyed once: it keeps the hash states after the padded key, so each
/// computation costs only the message's blocks and the outer block. Input is fed byte by byte and
/// output goes through a buffer of its own, so no secret lands in a temporary heap array; what
/// BouncyCastle derives from the key (pads, hash states, its key copy) is wiped on dispose.
/// </summary>
internal sealed class BcHmac : IHmac
{
    private readonly HMac _mac;
    private readonly byte[] _output;
    private bool _disposed;

    public BcHmac(IDigest digest, ReadOnlySpan<byte> key)
    {
        _mac = new HMac(digest);
        byte[] keyBytes = key.ToArray();
        var parameter = new KeyParameter(keyBytes);
        Array.Clear(keyBytes, 0, keyBytes.Length);
        _mac.Init(parameter);
        BcScrub.KeyParameter(parameter);
        _output = new byte[_mac.GetMacSize()];
    }

    public int Length => _output.Length;

    public int Compute(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(BcHmac));
        }

        foreach (byte b in data)
        {
            _mac.Update(b);
        }

        // DoFinal leaves the HMAC keyed for the next computation.
        _mac.DoFinal(_output, 0);
        _output.CopyTo(destination);
        Array.Clear(_output, 0, _output.Length);
        return _output.Length;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            BcScrub.Hmac(_mac);
        }
    }
}
