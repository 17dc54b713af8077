#if NET8_0_OR_GREATER
using System;
using System.Security.Cryptography;
using TlsEngine.Buffers;

namespace TlsEngine.Crypto.Platform;

internal sealed class PlatformHashContext : IHashContext
{
    private readonly HashAlgorithmId _algorithm;
    private readonly IncrementalHash _hash;

    // Kept so the running hash can be cloned; a handshake transcript is a few kilobytes.
    private readonly TlsWriter _data = new(1024);

    public PlatformHashContext(HashAlgorithmId algorithm)
    {
        _algorithm = algorithm;
        _hash = IncrementalHash.CreateHash(algorithm switch
        {
            HashAlgorithmId.Sha256 => HashAlgorithmName.SHA256,
            HashAlgorithmId.Sha384 => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        });
    }

    public int HashLength => _hash.HashLengthInBytes;

    public void Update(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        _data.WriteBytes(data);
    }

    public byte[] GetCurrentHash() => _hash.GetCurrentHash();

    public IHashContext Clone()
    {
        var clone = new PlatformHashContext(_algorithm);
        clone.Update(_data.WrittenSpan);
        return clone;
    }

    // Frees the native context now rather than through the finalizer.
    public void Dispose() => _hash.Dispose();
}

/// <summary>
/// An HMAC over the runtime's: keying it is what costs (about as much as one computation), so one
/// instance serves every computation with the same key. The runtime keeps no managed copy of a key
/// given as a span; disposing frees (and OpenSSL cleanses) the native context.
/// </summary>
internal sealed class PlatformHmac : IHmac
{
    private readonly IncrementalHash _hmac;

    public PlatformHmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key)
    {
        _hmac = IncrementalHash.CreateHMAC(
            algorithm switch
            {
                HashAlgorithmId.Sha256 => HashAlgorithmName.SHA256,
                HashAlgorithmId.Sha384 => HashAlgorithmName.SHA384,
                _ => HashAlgorithmName.SHA512,
            },
            key);
    }

    public int Length => _hmac.HashLengthInBytes;

    public int Compute(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        _hmac.AppendData(data);
        return _hmac.GetHashAndReset(destination);
    }

    public void Dispose() => _hmac.Dispose();
}

internal sealed class PlatformAead : IAead
{
    private const int TagLength = 16;
    private readonly AesGcm? _gcm;
    private readonly ChaCha20Poly1305? _chacha;

    public PlatformAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        if (algorithm == AeadAlgorithm.ChaCha20Poly1305)
        {
            _chacha = new ChaCha20Poly1305(key);
        }
        else
        {
            _gcm = new AesGcm(key, TagLength);
        }
    }

    public int Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        Span<byte> ciphertext = output.Slice(0, plaintext.Length);
        Span<byte> tag = output.Slice(plaintext.Length, TagLength);
        if (_gcm != null)
        {
            _gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        }
        else
        {
            _chacha!.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        }

        return plaintext.Length + TagLength;
    }

    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, Span<byte> output, out int written)
    {
        written = 0;
        if (ciphertext.Length < TagLength)
        {
            return false;
        }

        int length = ciphertext.Length - TagLength;
        try
        {
            if (_gcm != null)
            {
                _gcm.Decrypt(nonce, ciphertext.Slice(0, length), ciphertext.Slice(length), output.Slice(0, length), aad);
            }
            else
            {
                _chacha!.Decrypt(nonce, ciphertext.Slice(0, length), ciphertext.Slice(length), output.Slice(0, length), aad);
            }
        }
        catch (CryptographicException)
        {
            output.Slice(0, length).Clear();
            return false;
        }

        written = length;
        return true;
    }

    public void Dispose()
    {
        _gcm?.Dispose();
        _chacha?.Dispose();
    }
}

internal sealed class PlatformEcdhKeyShare : IKeyShare
{
    private readonly ECDiffieHellman _key;
    private readonly ECCurve _curve;
    private readonly int _fieldBytes;

    public PlatformEcdhKeyShare(TlsNamedGroup group, ECCurve curve, int fieldBytes)
    {
        Group = group;
        _curve = curve;
        _fieldBytes = fieldBytes;
        _key = ECDiffieHellman.Create(curve);
        ECParameters parameters = _key.ExportParameters(false);
        PublicKey = new byte[1 + (2 * fieldBytes)];
        PublicKey[0] = 0x04;
        parameters.Q.X!.CopyTo(PublicKey, 1);
        parameters.Q.Y!.CopyTo(PublicKey, 1 + fieldBytes);
    }

    public TlsNamedGroup Group { get; }

    public byte[] PublicKey { get; }

    public byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != 1 + (2 * _fieldBytes) || peerPublicKey[0] != 0x04)
        {
            return null;
        }

        try
        {
            // ImportParameters validates that the point is on the curve.
            using ECDiffieHellman peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = _curve,
                Q = new ECPoint { X = peerPublicKey.Slice(1, _fieldBytes).ToArray(), Y = peerPublicKey.Slice(1 + _fieldBytes).ToArray() },
            });
            return _key.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public void Dispose() => _key.Dispose();
}
#endif
