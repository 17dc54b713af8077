using System;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace TlsEngine.Crypto.BouncyCastle;

/// <summary>
/// BouncyCastle's X25519 agreement with the managed fixed-base key generation, for netstandard2.0: without a
/// 64×64→128 multiply, BouncyCastle's ladder is faster than <see cref="Curve25519.X25519"/>'s (about 160 µs
/// against 210 µs under Mono), while <see cref="Curve25519.X25519Base"/> still makes a public key faster than
/// BouncyCastle's comb (about 65 µs against 98 µs). net8.0 uses <see cref="Curve25519.X25519KeyShare"/>.
/// </summary>
internal sealed class BcX25519KeyShare : IKeyShare
{
    private readonly byte[] _privateKey = new byte[X25519.ScalarSize];

    public BcX25519KeyShare(TlsRandom random)
    {
        random.Fill(_privateKey);
        PublicKey = new byte[X25519.PointSize];
        Curve25519.X25519.ScalarMultBase(_privateKey, PublicKey);
    }

    public TlsNamedGroup Group => TlsNamedGroup.X25519;

    public byte[] PublicKey { get; }

    public byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != X25519.PointSize)
        {
            return null;
        }

        byte[] secret = new byte[X25519.PointSize];
        // RFC 8446 §7.4.2: an all-zero result means a low-order point and must be refused.
        return X25519.CalculateAgreement(_privateKey, 0, peerPublicKey.ToArray(), 0, secret, 0) ? secret : null;
    }

    public void Dispose() => Array.Clear(_privateKey, 0, _privateKey.Length);
}

internal sealed class BcEcdhKeyShare : IKeyShare
{
    private readonly X9ECParameters _curve;
    private readonly BigInteger _privateKey;
    private readonly int _fieldBytes;

    public BcEcdhKeyShare(TlsNamedGroup group, string curveName, TlsRandom random)
    {
        Group = group;
        _curve = CustomNamedCurves.GetByName(curveName);
        _fieldBytes = (_curve.Curve.FieldSize + 7) / 8;
        // Extra bytes make the reduction's bias negligible (FIPS 186-4 B.4.1).
        BigInteger n = _curve.N;
        byte[] seed = random.GetBytes(_fieldBytes + 8);
        _privateKey = new BigInteger(1, seed).Mod(n.Subtract(BigInteger.One)).Add(BigInteger.One);
        Array.Clear(seed, 0, seed.Length);
        PublicKey = _curve.G.Multiply(_privateKey).Normalize().GetEncoded(false);
    }

    public TlsNamedGroup Group { get; }

    public byte[] PublicKey { get; }

    public byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        // RFC 8446 §4.2.8.2: only the uncompressed form is legal.
        if (peerPublicKey.Length != 1 + (2 * _fieldBytes) || peerPublicKey[0] != 0x04)
        {
            return null;
        }

        ECPoint peer;
        try
        {
            peer = _curve.Curve.DecodePoint(peerPublicKey.ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (peer.IsInfinity || !peer.IsValid())
        {
            return null;
        }

        ECPoint shared = peer.Multiply(_privateKey).Normalize();
        if (shared.IsInfinity)
        {
            return null;
        }

        return Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(_fieldBytes, shared.AffineXCoord.ToBigInteger());
    }

    public void Dispose()
    {
        // BigInteger is immutable; the reference is dropped with the share.
    }
}
