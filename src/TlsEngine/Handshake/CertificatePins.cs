using System;
using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

/// <summary>
/// Public key pinning as in HPKP (RFC 7469 §2.4) and OkHttp: the SHA-256 of a certificate's
/// SubjectPublicKeyInfo, checked only once the chain is valid, and satisfied by any certificate of
/// the verified chain, the trust anchor included.
/// </summary>
internal static class CertificatePins
{
    public static void Check(ICryptoProvider crypto, IReadOnlyList<byte[]> pins, IReadOnlyList<ICertificate> verifiedChain)
    {
        if (pins.Count == 0)
        {
            return;
        }

        string? leafPin = null;
        foreach (ICertificate certificate in verifiedChain)
        {
            using IHashContext hash = crypto.CreateHash(HashAlgorithmId.Sha256);
            hash.Update(certificate.SubjectPublicKeyInfo);
            byte[] digest = hash.GetCurrentHash();
            leafPin ??= "sha256/" + Convert.ToBase64String(digest);
            foreach (byte[] pin in pins)
            {
                if (digest.AsSpan().SequenceEqual(pin))
                {
                    return;
                }
            }
        }

        // Pins are digests of public keys: naming the leaf's lets an operator see what changed.
        throw new TlsFailureException(TlsFailureReason.CertificatePinMismatch,
            $"No key in the verified chain of {verifiedChain.Count} certificates matches the {pins.Count} configured pin(s); the leaf's is {leafPin}.");
    }
}
