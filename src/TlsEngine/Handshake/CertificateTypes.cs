using System;
using System.Collections.Generic;
using System.Linq;
using TlsEngine.Crypto;
using TlsEngine.Messages;

namespace TlsEngine.Handshake;

/// <summary>
/// RFC 7250 certificate type negotiation (server_certificate_type, client_certificate_type) in both
/// roles and versions: the TLS 1.3 server answers in EncryptedExtensions, the TLS 1.2 server in
/// ServerHello. X.509 is what a side uses when the extension is absent.
/// </summary>
internal static class CertificateTypes
{
    private static readonly TlsCertificateType[] X509Only = { TlsCertificateType.X509 };

    /// <summary>Client: the lists, omitted when they hold X.509 alone (RFC 7250 §4.1).</summary>
    public static void Offer(ClientConfig config, List<Extension> extensions)
    {
        if (!IsX509Only(config.PeerCertificateTypes))
        {
            extensions.Add(new Extension(ExtensionType.ServerCertificateType, EncodeList(config.PeerCertificateTypes)));
        }

        if (!IsX509Only(config.CertificateTypes))
        {
            extensions.Add(new Extension(ExtensionType.ClientCertificateType, EncodeList(config.CertificateTypes)));
        }
    }

    /// <summary>
    /// Client: the server's choices. Each must answer an extension the client sent with a type it
    /// listed; a server that answers nothing uses X.509, which this client may not accept (RFC 7250 §4.2).
    /// </summary>
    public static void AcceptAnswer(HandshakeContext context, ClientConfig config, IReadOnlyList<Extension> answer)
    {
        context.ServerCertificateType = ReadChoice(ExtensionBlock.Find(answer, ExtensionType.ServerCertificateType), config.PeerCertificateTypes, "server", required: true);
        // A server that asks for no certificate leaves client_certificate_type out: X.509 then, if it asks after all.
        context.ClientCertificateType = ReadChoice(ExtensionBlock.Find(answer, ExtensionType.ClientCertificateType), config.CertificateTypes, "client", required: false);
    }

    /// <summary>
    /// Server: picks the type it presents (its preference among those the client accepts and it has a
    /// credential for) and, when it asks for a client certificate, the type it accepts from the client.
    /// None in common is unsupported_certificate (RFC 7250 §4.2). Returns the credential to present.
    /// </summary>
    public static LocalCredential? ChooseServer(HandshakeContext context, ServerConfig config, ClientHello hello, LocalCredential? certificate)
    {
        IReadOnlyList<TlsCertificateType> accepted = ReadList(hello.Find(ExtensionType.ServerCertificateType), "server");
        LocalCredential? chosen = null;
        bool found = false;
        foreach (TlsCertificateType type in config.CertificateTypes)
        {
            LocalCredential? credential = type == TlsCertificateType.RawPublicKey ? config.RawPublicKey : certificate;
            if (accepted.Contains(type) && (credential != null || type == TlsCertificateType.X509))
            {
                context.ServerCertificateType = type;
                chosen = credential;
                found = true;
                break;
            }
        }

        if (!found)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateTypeNotOffered, "The client accepts no certificate type this server can present.");
        }

        IReadOnlyList<TlsCertificateType> offered = ReadList(hello.Find(ExtensionType.ClientCertificateType), "client");
        if (config.ClientCertificateMode != TlsClientCertificateMode.None)
        {
            context.ClientCertificateType = config.PeerCertificateTypes.FirstOrDefault(offered.Contains);
            if (!offered.Contains(context.ClientCertificateType) || !config.PeerCertificateTypes.Contains(context.ClientCertificateType))
            {
                throw new TlsFailureException(TlsFailureReason.CertificateTypeNotOffered, "The client can present no certificate type this server accepts.");
            }
        }

        return chosen;
    }

    /// <summary>Server: answers the extensions the client sent (RFC 7250 §4.2); client_certificate_type only when a certificate is requested.</summary>
    public static void Answer(HandshakeContext context, ServerConfig config, ClientHello hello, List<Extension> extensions)
    {
        if (hello.Find(ExtensionType.ServerCertificateType) != null)
        {
            extensions.Add(new Extension(ExtensionType.ServerCertificateType, new[] { (byte)context.ServerCertificateType }));
        }

        if (hello.Find(ExtensionType.ClientCertificateType) != null && config.ClientCertificateMode != TlsClientCertificateMode.None)
        {
            extensions.Add(new Extension(ExtensionType.ClientCertificateType, new[] { (byte)context.ClientCertificateType }));
        }
    }

    /// <summary>Client: the credential to answer a CertificateRequest with, of the negotiated type.</summary>
    public static LocalCredential? ClientCredential(HandshakeContext context, ClientConfig config) =>
        context.ClientCertificateType == TlsCertificateType.RawPublicKey ? config.RawPublicKey : config.ClientCertificate;

    /// <summary>
    /// The peer's raw public key: parsed through bounded DER before any ASN.1 library reads it, then
    /// compared in constant time with each pinned key (RFC 7250 §6: the key is the identity).
    /// </summary>
    public static IPublicKey CheckRawPublicKey(HandshakeContext context, byte[] subjectPublicKeyInfo, bool skipPinCheck = false)
    {
        IPublicKey key = context.Crypto.ParsePublicKey(subjectPublicKeyInfo)
            ?? throw new TlsFailureException(TlsFailureReason.CertificateMalformed, "The peer's raw public key is not a SubjectPublicKeyInfo of a supported key.");
        bool pinned = skipPinCheck;
        foreach (byte[] pin in context.Config.PinnedPeerPublicKeys)
        {
            pinned |= FixedTime.Equals(pin, subjectPublicKeyInfo);
        }

        if (!pinned)
        {
            throw new TlsFailureException(TlsFailureReason.RawPublicKeyNotPinned, "The peer's raw public key is not one of the pinned keys.");
        }

        context.PeerRawPublicKey = subjectPublicKeyInfo;
        return key;
    }

    /// <summary>
    /// A TLS 1.3 Certificate of raw public key type holds at most one entry (RFC 8446 §4.4.2); returns
    /// its key, or null when the list is empty.
    /// </summary>
    public static IPublicKey? CheckRawPublicKeyEntries(HandshakeContext context, IReadOnlyList<byte[]> entries, bool skipPinCheck = false)
    {
        if (entries.Count > 1)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateMalformed, "A raw public key Certificate holds more than one entry.");
        }

        return entries.Count == 0 ? null : CheckRawPublicKey(context, entries[0], skipPinCheck);
    }

    private static bool IsX509Only(IReadOnlyList<TlsCertificateType> types) => types.Count == 1 && types[0] == TlsCertificateType.X509;

    private static byte[] EncodeList(IReadOnlyList<TlsCertificateType> types)
    {
        var encoded = new byte[types.Count + 1];
        encoded[0] = (byte)types.Count;
        for (int i = 0; i < types.Count; i++)
        {
            encoded[i + 1] = (byte)types[i];
        }

        return encoded;
    }

    /// <summary>CertificateType list&lt;1..2^8-1&gt; in a ClientHello; an absent extension means X.509 only.</summary>
    private static IReadOnlyList<TlsCertificateType> ReadList(Extension? extension, string side)
    {
        if (extension == null)
        {
            return X509Only;
        }

        ReadOnlySpan<byte> data = extension.Data;
        if (data.Length < 2 || data[0] != data.Length - 1)
        {
            throw TlsFailureException.Decode($"ClientHello has a malformed {side}_certificate_type extension.");
        }

        var types = new List<TlsCertificateType>();
        foreach (byte value in data.Slice(1))
        {
            // Types this engine does not know (OpenPGP, RFC 6091) are simply never chosen.
            types.Add((TlsCertificateType)value);
        }

        return types;
    }

    /// <summary>The server's choice: one CertificateType (RFC 7250 §4.2), one the client listed.</summary>
    private static TlsCertificateType ReadChoice(Extension? extension, IReadOnlyList<TlsCertificateType> offered, string side, bool required)
    {
        if (extension == null)
        {
            if (required && !offered.Contains(TlsCertificateType.X509))
            {
                throw new TlsFailureException(TlsFailureReason.CertificateTypeNotOffered, $"The server did not agree to a {side} certificate type, and X.509 was not offered.");
            }

            return TlsCertificateType.X509;
        }

        if (IsX509Only(offered))
        {
            throw TlsFailureException.UnsupportedExtension($"The server answered a {side}_certificate_type that was not sent.");
        }

        if (extension.Data.Length != 1)
        {
            throw TlsFailureException.Decode($"The server's {side}_certificate_type is not one byte.");
        }

        var chosen = (TlsCertificateType)extension.Data[0];
        if (!offered.Contains(chosen))
        {
            throw new TlsFailureException(TlsFailureReason.CertificateTypeNotOffered, $"The server chose a {side} certificate type that was not offered.");
        }

        return chosen;
    }
}
