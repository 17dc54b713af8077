using System;
using System.Collections.Generic;
using System.IO;
using TlsEngine.Crypto;
using TlsEngine.X509;

namespace TlsEngine;

/// <summary>A certificate chain (leaf first) and the leaf's private key: what a server (or a client, for mutual TLS) proves its identity with.</summary>
public sealed class TlsCertificateCredential
{
    private TlsCertificateCredential(IReadOnlyList<ICertificate> chain, IPrivateKey? key)
    {
        Local = new Handshake.LocalCredential(chain, key);
    }

    private TlsCertificateCredential(IPublicKey rawPublicKey, IPrivateKey key)
    {
        Local = new Handshake.LocalCredential(rawPublicKey, key);
    }

    /// <summary>True for a raw public key credential (<see cref="FromPrivateKeyPem"/>).</summary>
    public bool IsRawPublicKey => Local.RawPublicKey != null;

    /// <summary>The SubjectPublicKeyInfo DER a raw public key credential presents; null for a certificate chain.</summary>
    public byte[]? RawPublicKey => (byte[]?)Local.RawPublicKey?.Clone();

    /// <summary>
    /// A raw public key credential (RFC 7250): the private key (PKCS#8, SEC1 or PKCS#1 PEM) alone, no
    /// certificate; the peer sees its SubjectPublicKeyInfo and must have pinned it. Used through
    /// <see cref="TlsOptions.RawPublicKey"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The PEM holds no usable private key.</exception>
    public static TlsCertificateCredential FromPrivateKeyPem(string keyPem)
    {
        ICryptoProvider crypto = CryptoProviders.Default;
        IPrivateKey key = ReadPrivateKey(crypto, keyPem);
        IPublicKey? publicKey = key.KeyType == PublicKeyType.Unknown ? null : crypto.ParsePublicKey(key.SubjectPublicKeyInfo);
        if (publicKey == null || publicKey.KeyType != key.KeyType)
        {
            throw new ArgumentException("The key PEM holds no supported private key.", nameof(keyPem));
        }

        return new TlsCertificateCredential(publicKey, key);
    }

    /// <summary>Loads a raw public key credential from a PEM private key file.</summary>
    public static TlsCertificateCredential FromPrivateKeyPemFile(string keyPath) => FromPrivateKeyPem(File.ReadAllText(keyPath));

    /// <summary>
    /// The SubjectPublicKeyInfo DER of a "PUBLIC KEY" PEM block (what openssl pkey -pubout and
    /// certtool --load-privkey --pubkey-info write), for <see cref="TlsOptions.PinnedPeerPublicKeys"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The PEM holds no public key this engine can use.</exception>
    public static byte[] ReadPublicKeyPem(string publicKeyPem)
    {
        foreach ((string label, byte[] der) in Pem.Decode(publicKeyPem))
        {
            if (label == "PUBLIC KEY" && CryptoProviders.Default.ParsePublicKey(der) != null)
            {
                return der;
            }
        }

        throw new ArgumentException("The PEM holds no supported PUBLIC KEY block.", nameof(publicKeyPem));
    }

    /// <summary>The chain and key as the handshake uses them.</summary>
    internal Handshake.LocalCredential Local { get; }

    internal IReadOnlyList<ICertificate> Chain => Local.Chain;

    /// <summary>Null when the key lives with the host (delegated private key operations).</summary>
    internal IPrivateKey? Key => Local.Key;

    internal PublicKeyType KeyType => Local.KeyType;

    /// <summary>A chain whose key the host keeps: signing goes through <see cref="TlsStatus.WantPrivateKeyOperation"/>.</summary>
    public static TlsCertificateCredential FromPemChain(string chainPem)
    {
        IReadOnlyList<ICertificate> chain = TlsTrustAnchors.ParseCertificates(chainPem, CryptoProviders.Default);
        if (chain.Count == 0)
        {
            throw new ArgumentException("The certificate PEM holds no certificate.", nameof(chainPem));
        }

        return new TlsCertificateCredential(chain, null);
    }

    /// <summary>The DER encoding of each certificate in the chain, leaf first.</summary>
    public IReadOnlyList<byte[]> ChainDer
    {
        get
        {
            var list = new List<byte[]>();
            foreach (ICertificate certificate in Chain)
            {
                list.Add(certificate.Der);
            }

            return list;
        }
    }

    /// <summary>Loads a chain (leaf first) and a private key (PKCS#8, SEC1 or PKCS#1) from PEM text.</summary>
    /// <exception cref="ArgumentException">The PEM holds no certificate, no usable key, or a key that does not match the leaf.</exception>
    public static TlsCertificateCredential FromPem(string chainPem, string keyPem)
    {
        TlsCertificateCredential credential = CreateUnchecked(chainPem, keyPem);
        // A key that does not belong to the leaf would only surface as peers' decrypt_error alerts.
        byte[] probe = System.Text.Encoding.ASCII.GetBytes("TlsEngine key check");
        foreach (TlsSignatureScheme scheme in Handshake.SignatureSchemes.For(credential.KeyType))
        {
            if (!credential.Chain[0].VerifySignature(scheme, probe, credential.Key!.Sign(scheme, probe, TlsRandom.System)))
            {
                throw new ArgumentException("The private key does not belong to the leaf certificate.", nameof(keyPem));
            }

            break;
        }

        return credential;
    }

    /// <summary>Loads without proving that the key matches the leaf (tests of misbehaving peers).</summary>
    internal static TlsCertificateCredential CreateUnchecked(string chainPem, string keyPem)
    {
        ICryptoProvider crypto = CryptoProviders.Default;
        IReadOnlyList<ICertificate> chain = TlsTrustAnchors.ParseCertificates(chainPem, crypto);
        if (chain.Count == 0)
        {
            throw new ArgumentException("The certificate PEM holds no certificate.", nameof(chainPem));
        }

        IPrivateKey key = ReadPrivateKey(crypto, keyPem);
        if (key.KeyType != chain[0].KeyType || key.KeyType == PublicKeyType.Unknown)
        {
            throw new ArgumentException("The private key does not match the leaf certificate's key type.", nameof(keyPem));
        }

        return new TlsCertificateCredential(chain, key);
    }

    private static IPrivateKey ReadPrivateKey(ICryptoProvider crypto, string keyPem)
    {
        IPrivateKey? key = null;
        foreach ((string label, byte[] der) in Pem.Decode(keyPem))
        {
            if (label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
            {
                key = crypto.ParsePrivateKey(label, der);
                Array.Clear(der, 0, der.Length);
                break;
            }
        }

        return key ?? throw new ArgumentException("The key PEM holds no supported private key.", "keyPem");
    }

    /// <summary>Loads a chain and key from PEM files.</summary>
    public static TlsCertificateCredential FromPemFiles(string chainPath, string keyPath) =>
        FromPem(File.ReadAllText(chainPath), File.ReadAllText(keyPath));
}
