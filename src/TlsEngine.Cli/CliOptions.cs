namespace TlsEngine.Cli;

/// <summary>Options and value parsers shared by several commands.</summary>
internal static class CliOptions
{
    /// <summary>--tls12, --tls13, --min-version, --max-version (see <see cref="CliArgs.ApplyVersions"/>).</summary>
    public static readonly CliOption[] Versions =
    {
        CliOption.Flag("tls12", "TLS 1.2 only"),
        CliOption.Flag("tls13", "TLS 1.3 only"),
        CliOption.Text("min-version", "1.2|1.3", "lowest version (default 1.2)", VersionError),
        CliOption.Text("max-version", "1.2|1.3", "highest version (default 1.3)", VersionError),
    };

    /// <summary>Certificate-free and constrained links: external PSK, pins, raw public keys, record size limit.</summary>
    public static readonly CliOption[] CertificateFree =
    {
        CliOption.Text("psk", "HEX", "external PSK (TLS 1.3, SHA-256), with --psk-identity"),
        CliOption.Text("psk-identity", "ID", "identity of the external PSK (UTF-8)"),
        CliOption.List("pin", "sha256/BASE64,...", "SHA-256 pins of SubjectPublicKeyInfo: the peer's verified chain must hold one"),
        CliOption.Text("rpk", "KEY.pem", "present this private key's public key as a raw public key (RFC 7250)"),
        CliOption.Text("peer-rpk", "PUB.pem", "accept only this raw public key from the peer (RFC 7250)"),
        CliOption.Int("record-size-limit", "N", "announce a record size limit of N bytes (RFC 8449)", min: 64, max: 16385),
    };

    public static CliOption Alpn => CliOption.List("alpn", "p1,p2", "application protocols, in preference order");

    public static CliOption Groups => CliOption.List("groups", "x25519,p256,p384", "key exchange groups, first one gets the key share", GroupError);

    public static CliOption KeyLog => CliOption.Text("keylog", "FILE", "append NSS key log lines (for Wireshark) to FILE");

    public static CliOption AllowNoEms => CliOption.Flag(
        "allow-no-ems",
        "accept a TLS 1.2 peer without the extended master secret (RFC 7627); weakens resumption and channel binding");

    public static TlsVersion? ParseVersion(string value) => value switch
    {
        "1.2" or "tls1.2" or "tls12" => TlsVersion.Tls12,
        "1.3" or "tls1.3" or "tls13" => TlsVersion.Tls13,
        _ => null,
    };

    public static TlsNamedGroup? ParseGroup(string name) => name.ToLowerInvariant() switch
    {
        "x25519" => TlsNamedGroup.X25519,
        "p256" or "p-256" or "secp256r1" => TlsNamedGroup.Secp256r1,
        "p384" or "p-384" or "secp384r1" => TlsNamedGroup.Secp384r1,
        _ => null,
    };

    /// <summary>
    /// Applies --allow-no-ems. The default stays strict; the waiver is loud because a TLS 1.2 session
    /// without the extended master secret is open to the triple handshake attack (RFC 7627 §1).
    /// </summary>
    public static void ApplyExtendedMasterSecret(CliArgs args, TlsOptions options)
    {
        if (args.Has("allow-no-ems"))
        {
            options.RequireExtendedMasterSecret = false;
            Console.Error.WriteLine("warning: --allow-no-ems: a TLS 1.2 peer without the extended master secret (RFC 7627) will be accepted; such a session is open to the triple handshake attack");
        }
    }

    /// <summary>Names the waiver when a handshake failed for want of it.</summary>
    public static string? Hint(TlsError? error) => error?.Reason == TlsFailureReason.ExtendedMasterSecretMissing
        ? "the peer is a legacy TLS 1.2 implementation without the extended master secret (RFC 7627); --allow-no-ems accepts it at your own risk"
        : null;

    private static string? VersionError(string value) => ParseVersion(value) == null ? $"must be 1.2 or 1.3, not '{value}'" : null;

    private static string? GroupError(string value) => ParseGroup(value) == null ? $"unknown group '{value}' (x25519, p256, p384)" : null;
}
