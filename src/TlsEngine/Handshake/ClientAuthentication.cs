using System.Linq;
using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.X509;

namespace TlsEngine.Handshake;

/// <summary>Mutual TLS pieces both versions share: the client's answer and the server's checks.</summary>
internal static class ClientAuthentication
{
    // The list shares the CertificateRequest's extension block (2^16-1) with signature_algorithms.
    private const int MaxAuthoritiesLength = 0xFFFF - 1024;

    public static TlsSignatureScheme? ChooseScheme(IEnumerable<TlsSignatureScheme> candidates, IList<ushort> offered)
    {
        foreach (TlsSignatureScheme scheme in candidates)
        {
            if (offered.Contains((ushort)scheme))
            {
                return scheme;
            }
        }

        return null;
    }

    /// <summary>TLS 1.3 client: Certificate, and CertificateVerify when a credential fits (RFC 8446 §4.4.2–4.4.3).</summary>
    public static void SendTls13(HandshakeContext context, LocalCredential? credential, CertificateRequestMessage request)
    {
        // A credential whose key the host keeps cannot answer here (delegation is server-side).
        TlsSignatureScheme? scheme = credential?.Key == null ? null : ChooseScheme(SignatureSchemes.For(credential.KeyType), request.SignatureSchemes!);
        var certificate = new CertificateMessage { RequestContext = request.Context };
        if (scheme != null)
        {
            certificate.Certificates.AddRange(credential!.Entries);
        }

        context.SendHandshake(certificate.Encode());
        if (scheme != null)
        {
            byte[] content = CertificateVerifyMessage.SignedContent(server: false, context.Transcript.Current());
            byte[] signature = context.Crypto.Sign(credential!.Key!, scheme.Value, content, context.Random);
            context.SendHandshake(new CertificateVerifyMessage { Scheme = (ushort)scheme.Value, Signature = signature }.Encode());
        }
    }

    /// <summary>TLS 1.3 server: the CertificateRequest after EncryptedExtensions.</summary>
    public static void SendTls13Request(HandshakeContext context, ServerConfig config)
    {
        var schemes = new List<ushort>();
        foreach (TlsSignatureScheme scheme in config.ClientSignatureSchemes)
        {
            if (!SignatureSchemes.IsPkcs1(scheme))
            {
                schemes.Add((ushort)scheme);
            }
        }

        var request = new CertificateRequestMessage();
        request.Extensions.Add(new Extension(ExtensionType.SignatureAlgorithms, ExtensionBlock.U16List(schemes, 2)));
        byte[]? authorities = Authorities(config);
        if (authorities != null)
        {
            request.Extensions.Add(new Extension(ExtensionType.CertificateAuthorities, authorities));
        }

        context.SendHandshake(request.Encode());
    }

    /// <summary>
    /// The roots' names, when there are few enough to be worth sending and they fit the
    /// DistinguishedName authorities&lt;3..2^16-1&gt; vector with room left in the message (RFC 8446
    /// §4.2.4, RFC 5246 §7.4.4). The list is a hint: when it does not fit it is left out, never cut.
    /// </summary>
    public static byte[]? Authorities(ServerConfig config)
    {
        if (config.ConfiguredClientTrustAnchors == null || config.ClientTrustAnchors.Count > 32)
        {
            return null;
        }

        var names = new List<byte[]>();
        int length = 0;
        foreach (ICertificate anchor in config.ClientTrustAnchors)
        {
            length += 2 + anchor.SubjectDer.Length;
            if (anchor.SubjectDer.Length == 0 || length > MaxAuthoritiesLength)
            {
                return null;
            }

            names.Add(anchor.SubjectDer);
        }

        return CertificateRequestMessage.EncodeAuthorities(names);
    }

    /// <summary>
    /// Validates a client chain (RFC 5280 path, clientAuth usage, no name). Returns the leaf, or
    /// null for an empty chain the server's mode allows.
    /// </summary>
    public static ICertificate? ValidateChain(HandshakeContext context, ServerConfig config, IReadOnlyList<byte[]> chain, TlsAlertDescription missingAlert)
    {
        if (chain.Count == 0)
        {
            if (config.ClientCertificateMode == TlsClientCertificateMode.Require)
            {
                throw new TlsFailureException(TlsFailureReason.CertificateRequired, "The client presented no certificate, and one is required.", missingAlert);
            }

            return null;
        }

        List<ICertificate> parsed = PeerChain.Parse(context, chain, "client");

        List<ICertificate> verified = CertificateValidator.Validate(parsed, config.ClientTrustAnchors, expectedName: null, context.Now.UtcDateTime, forServer: false);
        CertificatePins.Check(context.Crypto, config.ClientCertificatePins, verified);
        context.PeerCertificates = chain;
        return parsed[0];
    }

    /// <summary>A raw public key the client may have left out, as an empty chain may be (RFC 8446 §4.4.2.4, RFC 5246 §7.4.6).</summary>
    public static IPublicKey? RequirePresent(ServerConfig config, IPublicKey? key, TlsAlertDescription missingAlert)
    {
        if (key == null && config.ClientCertificateMode == TlsClientCertificateMode.Require)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateRequired, "The client presented no raw public key, and one is required.", missingAlert);
        }

        return key;
    }

    public static void CheckScheme(ServerConfig config, TlsSignatureScheme scheme, bool tls13)
    {
        if (!config.ClientSignatureSchemes.Contains(scheme) || (tls13 && SignatureSchemes.IsPkcs1(scheme)))
        {
            throw new TlsFailureException(TlsFailureReason.SignatureSchemeNotOffered, $"The client signed with {scheme}, which was not offered.");
        }
    }
}
