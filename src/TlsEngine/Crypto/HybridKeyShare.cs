using System;

namespace TlsEngine.Crypto;

/// <summary>
/// The client side of a hybrid group (draft-ietf-tls-ecdhe-mlkem §3): the share is the
/// concatenation of an ML-KEM encapsulation key and an ECDH public key, the server's answer the
/// concatenation of a ciphertext and an ECDH public key, the secret the concatenation of both
/// secrets, each in the group's fixed order.
/// </summary>
internal sealed class HybridKeyShare : IKeyShare
{
    private readonly IKeyShare _kem;
    private readonly IKeyShare _classic;
    private readonly bool _kemFirst;

    public HybridKeyShare(TlsNamedGroup group, IKeyShare kem, IKeyShare classic, bool kemFirst)
    {
        Group = group;
        _kem = kem;
        _classic = classic;
        _kemFirst = kemFirst;
        PublicKey = kemFirst ? Join(kem.PublicKey, classic.PublicKey) : Join(classic.PublicKey, kem.PublicKey);
    }

    public TlsNamedGroup Group { get; }

    public byte[] PublicKey { get; }

    public byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        int expected = KeyExchange.ServerShareLength(Group);
        if (peerPublicKey.Length != expected)
        {
            return null;
        }

        // The server's ECDH share has the same length as ours (same curve, uncompressed points only).
        int classicLength = _classic.PublicKey.Length;
        int kemLength = expected - classicLength;
        ReadOnlySpan<byte> ciphertext = _kemFirst ? peerPublicKey.Slice(0, kemLength) : peerPublicKey.Slice(classicLength);
        ReadOnlySpan<byte> point = _kemFirst ? peerPublicKey.Slice(kemLength) : peerPublicKey.Slice(0, classicLength);
        byte[]? classicSecret = _classic.DeriveSharedSecret(point);
        if (classicSecret == null)
        {
            return null;
        }

        byte[] kemSecret = _kem.DeriveSharedSecret(ciphertext)!;
        byte[] secret = _kemFirst ? Join(kemSecret, classicSecret) : Join(classicSecret, kemSecret);
        Array.Clear(kemSecret, 0, kemSecret.Length);
        Array.Clear(classicSecret, 0, classicSecret.Length);
        return secret;
    }

    public void Dispose()
    {
        _kem.Dispose();
        _classic.Dispose();
    }

    private static byte[] Join(byte[] first, byte[] second)
    {
        byte[] result = new byte[first.Length + second.Length];
        Buffer.BlockCopy(first, 0, result, 0, first.Length);
        Buffer.BlockCopy(second, 0, result, first.Length, second.Length);
        return result;
    }
}
