namespace TlsEngine;

#pragma warning disable CS1591 // the names are the IANA registry's

/// <summary>Protocol versions, as on the wire.</summary>
public enum TlsVersion : ushort
{
    Tls12 = 0x0303,
    Tls13 = 0x0304,
}

/// <summary>Cipher suites the engine implements (IANA values).</summary>
public enum TlsCipherSuite : ushort
{
    TLS_AES_128_GCM_SHA256 = 0x1301,
    TLS_AES_256_GCM_SHA384 = 0x1302,
    TLS_CHACHA20_POLY1305_SHA256 = 0x1303,
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B,
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02C,
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xC02F,
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xC030,
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA8,
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA9,
}

/// <summary>Key exchange groups (IANA values).</summary>
public enum TlsNamedGroup : ushort
{
    Secp256r1 = 0x0017,
    Secp384r1 = 0x0018,
    X25519 = 0x001D,

    /// <summary>ML-KEM-768 alone (draft-ietf-tls-mlkem).</summary>
    MLKEM768 = 0x0201,

    /// <summary>ML-KEM-1024 alone (draft-ietf-tls-mlkem).</summary>
    MLKEM1024 = 0x0202,

    /// <summary>secp256r1 ECDH with ML-KEM-768, ECDH part first (draft-ietf-tls-ecdhe-mlkem).</summary>
    SecP256r1MLKEM768 = 0x11EB,

    /// <summary>X25519 with ML-KEM-768, ML-KEM part first (draft-ietf-tls-ecdhe-mlkem); OpenSSL 3.5's default.</summary>
    X25519MLKEM768 = 0x11EC,

    /// <summary>secp384r1 ECDH with ML-KEM-1024, ECDH part first (draft-ietf-tls-ecdhe-mlkem).</summary>
    SecP384r1MLKEM1024 = 0x11ED,
}

/// <summary>Signature schemes (IANA values).</summary>
public enum TlsSignatureScheme : ushort
{
    RsaPkcs1Sha256 = 0x0401,
    RsaPkcs1Sha384 = 0x0501,
    RsaPkcs1Sha512 = 0x0601,
    EcdsaSecp256r1Sha256 = 0x0403,
    EcdsaSecp384r1Sha384 = 0x0503,
    EcdsaSecp521r1Sha512 = 0x0603,
    RsaPssRsaeSha256 = 0x0804,
    RsaPssRsaeSha384 = 0x0805,
    RsaPssRsaeSha512 = 0x0806,
    Ed25519 = 0x0807,
}

#pragma warning restore CS1591
