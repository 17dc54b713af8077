using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

/// <summary>The chain this side presents (leaf first) and the key that signs for it.</summary>
internal sealed class LocalCredential
{
    public LocalCredential(IReadOnlyList<ICertificate> chain, IPrivateKey? key)
    {
        Chain = chain;
        Key = key;
        KeyType = chain[0].KeyType;
    }

    public IReadOnlyList<ICertificate> Chain { get; }

    /// <summary>Null when the key lives with the host (delegated private key operations).</summary>
    public IPrivateKey? Key { get; }

    public PublicKeyType KeyType { get; }
}
