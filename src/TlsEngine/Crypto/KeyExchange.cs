using System;
using TlsEngine.Crypto.MlKem;

namespace TlsEngine.Crypto;

/// <summary>The server's answer to a client key share: the share it sends back and the shared secret.</summary>
internal sealed class KeyExchangeResponse
{
    public KeyExchangeResponse(byte[] share, byte[] sharedSecret)
    {
        Share = share;
        SharedSecret = sharedSecret;
    }

    public byte[] Share { get; }

    public byte[] SharedSecret { get; }
}

/// <summary>
/// Key exchange groups as KEMs: the client generates a share (<see cref="IKeyShare"/>), the server
/// answers it (<see cref="Encapsulate"/>); for (EC)DH that is a fresh key pair and an agreement,
/// for ML-KEM an encapsulation to the client's key. Hybrid groups (draft-ietf-tls-ecdhe-mlkem §3)
/// combine the provider's own ECDH with ML-KEM: shares and secrets are concatenations.
/// </summary>
internal static class KeyExchange
{
    private const int X25519Length = 32;
    private const int P256Length = 65;
    private const int P384Length = 97;

    /// <summary>Groups that involve ML-KEM: TLS 1.3 only (a TLS 1.2 ServerKeyExchange cannot carry a KEM).</summary>
    public static bool IsKem(TlsNamedGroup group) => KemOf(group) != null;

    public static bool IsSupported(TlsNamedGroup group) => group is TlsNamedGroup.X25519 or TlsNamedGroup.Secp256r1 or TlsNamedGroup.Secp384r1 || IsKem(group);

    /// <summary>The client's share: ML-KEM alone, or the hybrid of the provider's ECDH share and ML-KEM.</summary>
    public static IKeyShare GenerateKemShare(ICryptoProvider provider, TlsNamedGroup group, TlsRandom random)
    {
        MlKemParameters kem = KemOf(group) ?? throw new ArgumentOutOfRangeException(nameof(group));
        TlsNamedGroup? classic = ClassicOf(group);
        var kemShare = new MlKemKeyShare(group, kem, random);
        if (classic == null)
        {
            return kemShare;
        }

        return new HybridKeyShare(group, kemShare, provider.GenerateKeyShare(classic.Value, random), KemFirst(group));
    }

    /// <summary>
    /// The server side for every group. Null when the client's share is invalid (a bad point, or an
    /// encapsulation key that fails the modulus check); check <see cref="ClientShareLength"/> and
    /// <see cref="HasValidEncapsulationKey"/> first to tell those apart.
    /// </summary>
    public static KeyExchangeResponse? Encapsulate(ICryptoProvider provider, TlsNamedGroup group, ReadOnlySpan<byte> clientShare, TlsRandom random)
    {
        MlKemParameters? kem = KemOf(group);
        if (kem == null)
        {
            using IKeyShare share = provider.GenerateKeyShare(group, random);
            byte[]? secret = share.DeriveSharedSecret(clientShare);
            return secret == null ? null : new KeyExchangeResponse(share.PublicKey, secret);
        }

        if (clientShare.Length != ClientShareLength(group))
        {
            return null;
        }

        TlsNamedGroup? classic = ClassicOf(group);
        int classicLength = clientShare.Length - kem.EncapsulationKeySize;
        bool kemFirst = KemFirst(group);
        ReadOnlySpan<byte> ek = kemFirst ? clientShare.Slice(0, kem.EncapsulationKeySize) : clientShare.Slice(classicLength);
        KeyExchangeResponse? kemPart = MlKemKeyShare.Encapsulate(kem, ek, random);
        if (kemPart == null || classic == null)
        {
            return kemPart;
        }

        ReadOnlySpan<byte> classicShare = kemFirst ? clientShare.Slice(kem.EncapsulationKeySize) : clientShare.Slice(0, classicLength);
        KeyExchangeResponse? classicPart = Encapsulate(provider, classic.Value, classicShare, random);
        if (classicPart == null)
        {
            Array.Clear(kemPart.SharedSecret, 0, kemPart.SharedSecret.Length);
            return null;
        }

        var response = kemFirst
            ? new KeyExchangeResponse(Concat(kemPart.Share, classicPart.Share), Concat(kemPart.SharedSecret, classicPart.SharedSecret))
            : new KeyExchangeResponse(Concat(classicPart.Share, kemPart.Share), Concat(classicPart.SharedSecret, kemPart.SharedSecret));
        Array.Clear(kemPart.SharedSecret, 0, kemPart.SharedSecret.Length);
        Array.Clear(classicPart.SharedSecret, 0, classicPart.SharedSecret.Length);
        return response;
    }

    /// <summary>The exact length of a client share for a KEM group; -1 for (EC)DH groups, whose providers check points themselves.</summary>
    public static int ClientShareLength(TlsNamedGroup group)
    {
        MlKemParameters? kem = KemOf(group);
        return kem == null ? -1 : kem.EncapsulationKeySize + ClassicLength(group);
    }

    /// <summary>The exact length of a server share for a KEM group; -1 for (EC)DH groups.</summary>
    public static int ServerShareLength(TlsNamedGroup group)
    {
        MlKemParameters? kem = KemOf(group);
        return kem == null ? -1 : kem.CiphertextSize + ClassicLength(group);
    }

    /// <summary>FIPS 203 §7.2 on the ML-KEM part of a client share of the right length.</summary>
    public static bool HasValidEncapsulationKey(TlsNamedGroup group, ReadOnlySpan<byte> clientShare)
    {
        MlKemParameters? kem = KemOf(group);
        if (kem == null)
        {
            return true;
        }

        ReadOnlySpan<byte> ek = KemFirst(group) ? clientShare.Slice(0, kem.EncapsulationKeySize) : clientShare.Slice(clientShare.Length - kem.EncapsulationKeySize);
        return Crypto.MlKem.MlKem.IsValidEncapsulationKey(kem, ek);
    }

    internal static MlKemParameters? KemOf(TlsNamedGroup group) => group switch
    {
        TlsNamedGroup.MLKEM768 or TlsNamedGroup.X25519MLKEM768 or TlsNamedGroup.SecP256r1MLKEM768 => MlKemParameters.MlKem768,
        TlsNamedGroup.MLKEM1024 or TlsNamedGroup.SecP384r1MLKEM1024 => MlKemParameters.MlKem1024,
        _ => null,
    };

    internal static TlsNamedGroup? ClassicOf(TlsNamedGroup group) => group switch
    {
        TlsNamedGroup.X25519MLKEM768 => TlsNamedGroup.X25519,
        TlsNamedGroup.SecP256r1MLKEM768 => TlsNamedGroup.Secp256r1,
        TlsNamedGroup.SecP384r1MLKEM1024 => TlsNamedGroup.Secp384r1,
        _ => null,
    };

    // draft-ietf-tls-ecdhe-mlkem §3: X25519MLKEM768 puts ML-KEM first in both shares and in the
    // secret; the NIST-curve hybrids put ECDH first.
    internal static bool KemFirst(TlsNamedGroup group) => group == TlsNamedGroup.X25519MLKEM768;

    private static int ClassicLength(TlsNamedGroup group) => ClassicOf(group) switch
    {
        TlsNamedGroup.X25519 => X25519Length,
        TlsNamedGroup.Secp256r1 => P256Length,
        TlsNamedGroup.Secp384r1 => P384Length,
        _ => 0,
    };

    private static byte[] Concat(byte[] first, byte[] second)
    {
        byte[] result = new byte[first.Length + second.Length];
        Buffer.BlockCopy(first, 0, result, 0, first.Length);
        Buffer.BlockCopy(second, 0, result, first.Length, second.Length);
        return result;
    }
}
