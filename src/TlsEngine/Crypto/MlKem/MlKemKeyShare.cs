using System;

namespace TlsEngine.Crypto.MlKem;

/// <summary>An ML-KEM key pair as a client key share (draft-ietf-tls-mlkem): the share is ek, the server answers with a ciphertext.</summary>
internal sealed class MlKemKeyShare : IKeyShare
{
    private readonly MlKemParameters _parameters;
    private readonly byte[] _decapsulationKey;

    public MlKemKeyShare(TlsNamedGroup group, MlKemParameters parameters, TlsRandom random)
    {
        Group = group;
        _parameters = parameters;
        byte[] seeds = random.GetBytes(64);
        PublicKey = new byte[parameters.EncapsulationKeySize];
        _decapsulationKey = new byte[parameters.DecapsulationKeySize];
        MlKem.KeyGen(parameters, seeds.AsSpan(0, 32), seeds.AsSpan(32, 32), PublicKey, _decapsulationKey);
        Array.Clear(seeds, 0, seeds.Length);
    }

    public TlsNamedGroup Group { get; }

    public byte[] PublicKey { get; }

    /// <summary>Decapsulates the server's ciphertext; null only when its length is wrong (any other bad ciphertext gives the implicit-rejection key, FIPS 203 §6.3).</summary>
    public byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != _parameters.CiphertextSize)
        {
            return null;
        }

        byte[] secret = new byte[_parameters.SharedSecretSize];
        MlKem.Decapsulate(_parameters, _decapsulationKey, peerPublicKey, secret);
        return secret;
    }

    public void Dispose() => Array.Clear(_decapsulationKey, 0, _decapsulationKey.Length);

    /// <summary>The server side: null when ek fails the length or modulus check (FIPS 203 §7.2).</summary>
    public static KeyExchangeResponse? Encapsulate(MlKemParameters parameters, ReadOnlySpan<byte> ek, TlsRandom random)
    {
        if (!MlKem.IsValidEncapsulationKey(parameters, ek))
        {
            return null;
        }

        byte[] m = random.GetBytes(32);
        byte[] ciphertext = new byte[parameters.CiphertextSize];
        byte[] secret = new byte[parameters.SharedSecretSize];
        MlKem.Encapsulate(parameters, ek, m, ciphertext, secret);
        Array.Clear(m, 0, m.Length);
        return new KeyExchangeResponse(ciphertext, secret);
    }
}
