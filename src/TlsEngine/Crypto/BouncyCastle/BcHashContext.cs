using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Utilities;

namespace TlsEngine.Crypto.BouncyCastle;

internal sealed class BcHashContext : IHashContext
{
    private readonly IDigest _digest;

    public BcHashContext(IDigest digest)
    {
        _digest = digest;
    }

    public int HashLength => _digest.GetDigestSize();

    public void Update(ReadOnlySpan<byte> data)
    {
        byte[] input = data.ToArray();
        _digest.BlockUpdate(input, 0, input.Length);
    }

    public byte[] GetCurrentHash()
    {
        // Finishing a copy leaves the running transcript untouched.
        var copy = (IDigest)((IMemoable)_digest).Copy();
        byte[] output = new byte[copy.GetDigestSize()];
        copy.DoFinal(output, 0);
        return output;
    }

    public IHashContext Clone() => new BcHashContext((IDigest)((IMemoable)_digest).Copy());

    public void Dispose() => _digest.Reset();
}
