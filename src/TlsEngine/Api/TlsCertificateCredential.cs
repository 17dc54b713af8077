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

        if (key == null)
        {
            throw new ArgumentException("The key PEM holds no supported private key.", nameof(keyPem));
        }

        if (key.KeyType != chain[0].KeyType || key.KeyType == PublicKeyType.Unknown)
        {
            throw new ArgumentException("The private key does not match the leaf certificate's key type.", nameof(keyPem));
        }

        return new TlsCertificateCredential(chain, key);
    }

    /// <summary>Loads a chain and key from PEM files.</summary>
    public static TlsCertificateCredential FromPemFiles(string chainPath, string keyPath) =>
        FromPem(File.ReadAllText(chainPath), File.ReadAllText(keyPath));
}
