namespace TlsEngine;

/// <summary>What a Certificate message carries (RFC 7250 §3; the values are the TLS registry's).</summary>
public enum TlsCertificateType : byte
{
    /// <summary>An X.509 chain, validated up to trust anchors (the default).</summary>
    X509 = 0,

    /// <summary>A bare SubjectPublicKeyInfo (RFC 7250), accepted only when it is one of the pinned keys.</summary>
    RawPublicKey = 2,
}
