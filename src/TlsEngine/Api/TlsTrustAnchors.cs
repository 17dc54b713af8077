using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using TlsEngine.Crypto;
using TlsEngine.X509;

namespace TlsEngine;

/// <summary>The root certificates a peer's chain must lead to.</summary>
public sealed class TlsTrustAnchors
{
    private static readonly Lazy<TlsTrustAnchors> MachineRoots = new(LoadMachineRoots);

    private TlsTrustAnchors(IReadOnlyList<ICertificate> anchors)
    {
        Anchors = anchors;
    }

    /// <summary>The operating system's trusted roots.</summary>
    public static TlsTrustAnchors System => MachineRoots.Value;

    /// <summary>How many roots this set holds.</summary>
    public int Count => Anchors.Count;

    internal IReadOnlyList<ICertificate> Anchors { get; }

    /// <summary>Loads every certificate in PEM text as a trust anchor.</summary>
    public static TlsTrustAnchors FromPem(string pem)
    {
        IReadOnlyList<ICertificate> anchors = ParseCertificates(pem, CryptoProviders.Default);
        if (anchors.Count == 0)
        {
            throw new ArgumentException("The PEM holds no certificate.", nameof(pem));
        }

        return new TlsTrustAnchors(anchors);
    }

    /// <summary>Loads every certificate in a PEM file as a trust anchor.</summary>
    public static TlsTrustAnchors FromPemFile(string path) => FromPem(File.ReadAllText(path));

    internal static IReadOnlyList<ICertificate> ParseCertificates(string pem, ICryptoProvider crypto)
    {
        var list = new List<ICertificate>();
        foreach ((string label, byte[] der) in Pem.Decode(pem))
        {
            if (label != "CERTIFICATE")
            {
                continue;
            }

            ICertificate certificate = crypto.ParseCertificate(der)
                ?? throw new ArgumentException("A PEM certificate could not be parsed.", nameof(pem));
            list.Add(certificate);
        }

        return list;
    }

    private static TlsTrustAnchors LoadMachineRoots()
    {
        var list = new List<ICertificate>();
        using (var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine))
        {
            store.Open(OpenFlags.ReadOnly);
            foreach (X509Certificate2 root in store.Certificates)
            {
                ICertificate? parsed = CryptoProviders.Default.ParseCertificate(root.RawData);
                if (parsed != null)
                {
                    list.Add(parsed);
                }
            }
        }

        return new TlsTrustAnchors(list);
    }
}
