using TlsEngine.Crypto;

namespace TlsEngine.Handshake.Client;

/// <summary>
/// One entry of the ClientHello's pre_shared_key (RFC 8446 §4.2.11): a resumption ticket or an
/// external PSK. Which one it is decides the binder label and what the server's choice means.
/// </summary>
internal sealed class OfferedPsk
{
    public OfferedPsk(byte[] identity, uint obfuscatedAge, HashAlgorithmId hash, byte[] key, ExternalPsk? external)
    {
        Identity = identity;
        ObfuscatedAge = obfuscatedAge;
        Hash = hash;
        Key = key;
        External = external;
    }

    public byte[] Identity { get; }

    public uint ObfuscatedAge { get; }

    public HashAlgorithmId Hash { get; }

    /// <summary>The resumption PSK or the external key.</summary>
    public byte[] Key { get; }

    /// <summary>The external PSK; null for a ticket.</summary>
    public ExternalPsk? External { get; }

    public int BinderLength => CipherSuiteInfo.HashLengthOf(Hash);
}
