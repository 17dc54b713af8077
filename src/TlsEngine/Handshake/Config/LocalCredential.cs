using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

/// <summary>The chain this side presents (leaf first), or a raw public key (RFC 7250), and the key that signs for it.</summary>
internal sealed class LocalCredential
{
    public LocalCredential(IReadOnlyList<ICertificate> chain, IPrivateKey? key)
    {
        Chain = chain;
        Key = key;
        KeyType = chain[0].KeyType;
    }

    /// <summary>A raw public key credential: no chain, the key's SubjectPublicKeyInfo in its place.</summary>
    public LocalCredential(IPublicKey rawPublicKey, IPrivateKey key)
    {
        Chain = System.Array.Empty<ICertificate>();
        Key = key;
        KeyType = rawPublicKey.KeyType;
        RawPublicKey = rawPublicKey.SubjectPublicKeyInfo;
    }

    /// <summary>The SubjectPublicKeyInfo presented as a raw public key; null for a certificate chain.</summary>
    public byte[]? RawPublicKey { get; }

    /// <summary>What a TLS 1.3 Certificate carries, one cert_data per entry: the chain's DER, or the raw key (RFC 8446 §4.4.2).</summary>
    public IReadOnlyList<byte[]> Entries
    {
        get
        {
            if (RawPublicKey != null)
            {
                return new[] { RawPublicKey };
            }

            var entries = new List<byte[]>(Chain.Count);
            foreach (ICertificate certificate in Chain)
            {
                entries.Add(certificate.Der);
            }

            return entries;
        }
    }

    public IReadOnlyList<ICertificate> Chain { get; }

    /// <summary>Null when the key lives with the host (delegated private key operations).</summary>
    public IPrivateKey? Key { get; }

    public PublicKeyType KeyType { get; }
}
