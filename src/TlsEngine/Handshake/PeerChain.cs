using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Records;
using TlsEngine.X509;

namespace TlsEngine.Handshake;

/// <summary>The peer's certificate chain, parsed within limits, and the client's check of the server's chain in either version.</summary>
internal static class PeerChain
{
    /// <summary>Parses every certificate; the chain length is bounded before any parsing.</summary>
    public static List<ICertificate> Parse(HandshakeContext context, IReadOnlyList<byte[]> chain, string peer)
    {
        if (chain.Count > context.Config.MaxCertificateChainLength)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateMalformed, $"The {peer}'s chain has more than {context.Config.MaxCertificateChainLength} certificates.");
        }

        var parsed = new List<ICertificate>();
        foreach (byte[] der in chain)
        {
            parsed.Add(context.Crypto.ParseCertificate(der)
                ?? throw new TlsFailureException(TlsFailureReason.CertificateMalformed, $"The {peer} sent a certificate that cannot be parsed."));
        }

        return parsed;
    }

    /// <summary>
    /// Client side: validates the server's chain (or hands the decision to the host) and continues
    /// with <paramref name="next"/>. The Certificate message joins the transcript first.
    /// </summary>
    public static HandshakeState CheckServer(HandshakeContext context, ClientConfig config, HandshakeMessage message, IReadOnlyList<byte[]> chain, Func<ICertificate, HandshakeState> next, Action<ICertificate>? checkLeaf = null)
    {
        if (chain.Count == 0)
        {
            throw new TlsFailureException(TlsFailureReason.EmptyServerCertificate, "The server sent an empty certificate chain.");
        }

        List<ICertificate> parsed = Parse(context, chain, "server");
        checkLeaf?.Invoke(parsed[0]);
        IReadOnlyList<ICertificate> anchors = config.TrustAnchors;
        void Validate()
        {
            List<ICertificate> verified = CertificateValidator.Validate(parsed, anchors, (context.ServerIdentity ?? throw TlsFailureException.Internal("The client's server identity was not set.")).VerifyName, context.Now.UtcDateTime, forServer: true);
            CertificatePins.Check(context.Crypto, config.CertificatePins, verified);
        }

        context.PeerCertificates = chain;
        context.Transcript.Add(message.TranscriptForm);
        if (config.DelegateCertificateValidation)
        {
            return DelegatedValidation.Pause(context, Validate, (_, _) => next(parsed[0]));
        }

        if (!config.DangerousAcceptAnyServerCertificate)
        {
            Validate();
        }

        return next(parsed[0]);
    }
}
