using System;
using System.Security.Cryptography;
using System.Text;
using TlsEngine.Crypto;

namespace TlsEngine;

/// <summary>
/// A TLS 1.3 pre-shared key agreed outside TLS (RFC 8446 §2.2): an identity both sides know it by,
/// the key, and the hash it is used with (SHA-256 or SHA-384; only cipher suites with that hash
/// can be negotiated with it). A handshake authenticated by such a key needs no certificate.
/// </summary>
/// <remarks>
/// The identity travels in the clear in the ClientHello. The key should be at least 128 bits of
/// entropy: a low-entropy key (a password) is open to offline guessing by anyone who sees one
/// handshake (RFC 8446 Appendix E.7, RFC 9257 §4). The object copies its inputs and never changes.
/// </remarks>
public sealed class TlsExternalPsk
{
    /// <summary>The largest identity: PskIdentity.identity&lt;1..2^16-1&gt; (RFC 8446 §4.2.11).</summary>
    public const int MaxIdentityLength = 0xFFFF;

    /// <summary>Creates a PSK; the arrays are copied.</summary>
    /// <param name="identity">1 to 65,535 bytes.</param>
    /// <param name="key">The secret; not empty.</param>
    /// <param name="hash">SHA-256 (the default RFC 8446 §4.2.11 names for external PSKs) or SHA-384.</param>
    /// <exception cref="ArgumentException">An empty or too long identity, an empty key, or another hash.</exception>
    public TlsExternalPsk(byte[] identity, byte[] key, HashAlgorithmName hash)
    {
        if (identity == null || identity.Length < 1 || identity.Length > MaxIdentityLength)
        {
            throw new ArgumentException($"A PSK identity is 1 to {MaxIdentityLength} bytes.", nameof(identity));
        }

        if (key == null || key.Length == 0)
        {
            throw new ArgumentException("A PSK key must not be empty.", nameof(key));
        }

        HashAlgorithmId id = hash == HashAlgorithmName.SHA256 ? HashAlgorithmId.Sha256
            : hash == HashAlgorithmName.SHA384 ? HashAlgorithmId.Sha384
            : throw new ArgumentException("A TLS 1.3 PSK uses SHA-256 or SHA-384.", nameof(hash));
        Local = new Handshake.ExternalPsk((byte[])identity.Clone(), (byte[])key.Clone(), id);
        Hash = hash;
    }

    /// <summary>Creates a SHA-256 PSK.</summary>
    public TlsExternalPsk(byte[] identity, byte[] key)
        : this(identity, key, HashAlgorithmName.SHA256)
    {
    }

    /// <summary>A PSK whose identity is the UTF-8 encoding of <paramref name="identity"/>.</summary>
    public static TlsExternalPsk FromUtf8Identity(string identity, byte[] key, HashAlgorithmName hash) =>
        new(Encoding.UTF8.GetBytes(identity ?? throw new ArgumentException("The identity must not be null.", nameof(identity))), key, hash);

    /// <summary>A copy of the identity.</summary>
    public byte[] Identity => (byte[])Local.Identity.Clone();

    /// <summary>The hash the key is used with.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>The PSK as the handshake uses it.</summary>
    internal Handshake.ExternalPsk Local { get; }
}
