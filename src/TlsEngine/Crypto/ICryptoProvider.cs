using System;
using System.Collections.Generic;

namespace TlsEngine.Crypto;

internal enum HashAlgorithmId
{
    Sha256,
    Sha384,
    Sha512,
}

internal enum AeadAlgorithm
{
    Aes128Gcm,
    Aes256Gcm,
    ChaCha20Poly1305,
}

internal enum PublicKeyType
{
    Unknown,
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    Rsa,
    Ed25519,
}

/// <summary>Every primitive the engine uses. One implementation per crypto library.</summary>
internal interface ICryptoProvider
{
    string Name { get; }

    IHashContext CreateHash(HashAlgorithmId algorithm);

    byte[] Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data);

    /// <summary>HMAC into <paramref name="destination"/> (at least the hash length); returns the bytes written.</summary>
    int Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination);

    /// <summary>
    /// An HMAC keyed once for several computations: HKDF expands one secret into several outputs
    /// (RFC 5869 §2.3), and setting the key is most of what a small HMAC costs.
    /// </summary>
    IHmac CreateHmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key);

    IAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key);

    /// <summary>
    /// The DTLS 1.3 record number mask for an AEAD's cipher keyed with an epoch's sn_key
    /// (RFC 9147 §4.2.3): AES-ECB for the AES-GCM suites, the ChaCha20 block function for ChaCha20-Poly1305.
    /// </summary>
    IRecordNumberMask CreateRecordNumberMask(AeadAlgorithm algorithm, ReadOnlySpan<byte> key);

    bool SupportsGroup(TlsNamedGroup group);

    /// <summary>The client's share for any supported group (and either side's share in TLS 1.2 ECDHE).</summary>
    IKeyShare GenerateKeyShare(TlsNamedGroup group, TlsRandom random);

    /// <summary>
    /// The TLS 1.3 server's answer to a client share, for every group: a fresh (EC)DH share and the
    /// agreement, or an ML-KEM ciphertext and key (a KEM server generates no key pair). Null when
    /// the client's share is invalid.
    /// </summary>
    KeyExchangeResponse? Encapsulate(TlsNamedGroup group, ReadOnlySpan<byte> clientShare, TlsRandom random);

    /// <summary>Parses a DER certificate; null when it is malformed.</summary>
    ICertificate? ParseCertificate(byte[] der);

    /// <summary>Parses a PKCS#8, SEC1 or PKCS#1 private key; null when it is not one.</summary>
    IPrivateKey? ParsePrivateKey(string pemLabel, byte[] der);

    /// <summary>Parses a DER SubjectPublicKeyInfo (a raw public key, RFC 7250); null when it is malformed or of an unknown type.</summary>
    IPublicKey? ParsePublicKey(byte[] subjectPublicKeyInfo);

    byte[] Sign(IPrivateKey key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, TlsRandom random);

    bool Verify(IPublicKey key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false);
}

/// <summary>A running hash whose current value can be read without ending it (the transcript).</summary>
internal interface IHashContext : IDisposable
{
    int HashLength { get; }

    void Update(ReadOnlySpan<byte> data);

    byte[] GetCurrentHash();

    IHashContext Clone();
}

/// <summary>An HMAC with its key set. Disposing it wipes the key and every state derived from it.</summary>
internal interface IHmac : IDisposable
{
    /// <summary>The output length: the hash length.</summary>
    int Length { get; }

    /// <summary>HMAC(key, data) into <paramref name="destination"/> (at least <see cref="Length"/> bytes); returns the bytes written. The key stays set.</summary>
    int Compute(ReadOnlySpan<byte> data, Span<byte> destination);
}

internal interface IAead : IDisposable
{
    /// <summary>Writes ciphertext followed by the 16-byte tag; returns the bytes written.</summary>
    int Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> output);

    /// <summary>Authenticates and decrypts; false (and nothing trusted in output) when the tag is wrong.</summary>
    bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, Span<byte> output, out int written);
}

/// <summary>Computes the 16-byte mask from the first 16 bytes of a record's ciphertext (RFC 9147 §4.2.3).</summary>
internal interface IRecordNumberMask : IDisposable
{
    /// <summary>The sample and the mask are both <see cref="RecordNumberMasks.SampleLength"/> bytes.</summary>
    void Compute(ReadOnlySpan<byte> sample, Span<byte> mask);
}

internal interface IKeyShare : IDisposable
{
    TlsNamedGroup Group { get; }

    byte[] PublicKey { get; }

    /// <summary>The shared secret, or null when the peer's share is invalid.</summary>
    byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey);
}

/// <summary>A public key that verifies signatures: a certificate's, or a raw public key (RFC 7250).</summary>
internal interface IPublicKey
{
    PublicKeyType KeyType { get; }

    /// <summary>The SubjectPublicKeyInfo DER, so another provider can import the key.</summary>
    byte[] SubjectPublicKeyInfo { get; }

    // anyCurve: in TLS 1.2, ECDSA schemes name only the hash, not the curve.
    bool VerifySignature(TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false);
}

internal interface ICertificate : IPublicKey
{
    byte[] Der { get; }

    byte[] SubjectDer { get; }

    byte[] IssuerDer { get; }

    string Subject { get; }

    DateTime NotBeforeUtc { get; }

    DateTime NotAfterUtc { get; }

    bool IsCa { get; }

    /// <summary>-1 when unconstrained.</summary>
    int PathLengthConstraint { get; }

    bool HasKeyUsage { get; }

    bool KeyUsageDigitalSignature { get; }

    bool KeyUsageCertSign { get; }

    /// <summary>Extended key usage OIDs; empty when the extension is absent.</summary>
    IReadOnlyList<string> ExtendedKeyUsages { get; }

    IReadOnlyList<string> DnsNames { get; }

    IReadOnlyList<byte[]> IpAddresses { get; }

    /// <summary>The certificate's signatureAlgorithm AlgorithmIdentifier, DER (RFC 5280 §4.1.1.2).</summary>
    byte[] SignatureAlgorithm { get; }

    /// <summary>Every extension in certificate order (RFC 5280 §4.1.2.9), critical or not.</summary>
    IReadOnlyList<CertificateExtension> Extensions { get; }

    bool IsSignedBy(ICertificate issuer);
}

/// <summary>One certificate extension as carried: the path validator decides what it understands.</summary>
internal sealed class CertificateExtension
{
    public CertificateExtension(string oid, bool critical, byte[] value)
    {
        Oid = oid;
        Critical = critical;
        Value = value;
    }

    /// <summary>The extnID in dotted form.</summary>
    public string Oid { get; }

    public bool Critical { get; }

    /// <summary>The extnValue contents: the DER of the extension's own type, already checked by <see cref="DerEncoding.IsWellFormed"/>.</summary>
    public byte[] Value { get; }
}

internal interface IPrivateKey
{
    PublicKeyType KeyType { get; }

    /// <summary>The key as PKCS#8 DER, so another provider can import it.</summary>
    byte[] Pkcs8 { get; }

    /// <summary>The matching public key's SubjectPublicKeyInfo DER (what a raw public key credential presents).</summary>
    byte[] SubjectPublicKeyInfo { get; }

    byte[] Sign(TlsSignatureScheme scheme, ReadOnlySpan<byte> data, TlsRandom random);
}
