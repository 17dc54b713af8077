using System;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

/// <summary>
/// A PSK agreed outside TLS (RFC 8446 §2.2, §4.2.11): the identity sent in the clear, the key,
/// and the hash it is bound to. Immutable; the key is a private copy.
/// </summary>
internal sealed class ExternalPsk
{
    public ExternalPsk(byte[] identity, byte[] key, HashAlgorithmId hash)
    {
        Identity = identity;
        Key = key;
        Hash = hash;
    }

    public byte[] Identity { get; }

    public byte[] Key { get; }

    /// <summary>RFC 8446 §4.2.11: only suites with this hash may be negotiated with the PSK.</summary>
    public HashAlgorithmId Hash { get; }

    public int BinderLength => CipherSuiteInfo.HashLengthOf(Hash);
}
