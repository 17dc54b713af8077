using System;

namespace TlsEngine.Crypto.Curve25519;

/// <summary>An X25519 key share (RFC 8446 §4.2.8.2, RFC 7748 §6.1) on the managed <see cref="X25519"/>.</summary>
internal sealed class X25519KeyShare : IKeyShare
{
    private readonly byte[] _privateKey = new byte[X25519.KeySize];

    /// <param name="random">The source of the 32-byte private key.</param>
    public X25519KeyShare(TlsRandom random)
    {
        // 32 random bytes, as every other X25519 share: a seeded random gives the same key and transcript.
        random.Fill(_privateKey);
        PublicKey = new byte[X25519.KeySize];
        X25519.ScalarMultBase(_privateKey, PublicKey);
    }

    public TlsNamedGroup Group => TlsNamedGroup.X25519;

    public byte[] PublicKey { get; }

    public byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != X25519.KeySize)
        {
            return null;
        }

        byte[] secret = new byte[X25519.KeySize];
        // RFC 8446 §7.4.2: an all-zero result means a low-order point and must be refused.
        return X25519.ScalarMult(_privateKey, peerPublicKey, secret) ? secret : null;
    }

    public void Dispose() => Array.Clear(_privateKey, 0, _privateKey.Length);
}
