namespace TlsEngine.Cli;

/// <summary>`--name value` options, `--flag` switches and positional words.</summary>
internal sealed class CliArgs
{
    private static readonly HashSet<string> Switches = new() { "insecure", "verbose", "tls12", "tls13" };
    private readonly Dictionary<string, string> _options = new();
    private readonly HashSet<string> _flags = new();

    public List<string> Positional { get; } = new();

    public static CliArgs Parse(string[] args)
    {
        var parsed = new CliArgs();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Positional.Add(args[i]);
                continue;
            }

            string name = args[i][2..];
            if (Switches.Contains(name))
            {
                parsed._flags.Add(name);
            }
            else if (i + 1 < args.Length)
            {
                parsed._options[name] = args[++i];
            }
            else
            {
                throw new CliException($"--{name} needs a value");
            }
        }

        return parsed;
    }

    public string? Get(string name) => _options.TryGetValue(name, out string? value) ? value : null;

    public int GetInt(string name, int fallback)
    {
        string? value = Get(name);
        if (value == null)
        {
            return fallback;
        }

        return int.TryParse(value, out int result) ? result : throw new CliException($"--{name} must be a number");
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public List<string> GetList(string name) =>
        Get(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? new List<string>();

    /// <summary>--tls12 / --tls13 pin one version; --min-version / --max-version take 1.2 or 1.3.</summary>
    public void ApplyVersions(TlsOptions options)
    {
        if (Has("tls12") && Has("tls13"))
        {
            throw new CliException("--tls12 and --tls13 exclude each other; use --min-version/--max-version");
        }

        options.MinVersion = Has("tls13") ? TlsVersion.Tls13 : Has("tls12") ? TlsVersion.Tls12 : ParseVersion("min-version", TlsVersion.Tls12);
        options.MaxVersion = Has("tls12") ? TlsVersion.Tls12 : Has("tls13") ? TlsVersion.Tls13 : ParseVersion("max-version", TlsVersion.Tls13);
        if (options.MinVersion > options.MaxVersion)
        {
            throw new CliException("--min-version is above --max-version");
        }
    }

    /// <summary>--psk HEX with --psk-identity ID (UTF-8): a SHA-256 external PSK, as openssl's -psk and -psk_identity.</summary>
    public TlsExternalPsk? GetPsk()
    {
        string? hex = Get("psk");
        string? identity = Get("psk-identity");
        if (hex == null && identity == null)
        {
            return null;
        }

        if (hex == null || identity == null)
        {
            throw new CliException("--psk and --psk-identity go together");
        }

        try
        {
            return TlsExternalPsk.FromUtf8Identity(identity, Convert.FromHexString(hex), System.Security.Cryptography.HashAlgorithmName.SHA256);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new CliException("--psk needs a non-empty hex key and --psk-identity 1 to 65535 bytes");
        }
    }

    /// <summary>
    /// --rpk KEY.pem presents that key as a raw public key (RFC 7250), --peer-rpk PUB.pem accepts only
    /// that peer key (a server then requires it from clients), --record-size-limit N announces N (RFC 8449).
    /// </summary>
    public void ApplyRawKeysAndRecordSize(TlsOptions options, bool server)
    {
        string? rpk = Get("rpk");
        if (rpk != null)
        {
            options.RawPublicKey = TlsCertificateCredential.FromPrivateKeyPemFile(rpk);
            options.CertificateTypes = server && Get("cert") != null
                ? new List<TlsCertificateType> { TlsCertificateType.RawPublicKey, TlsCertificateType.X509 }
                : new List<TlsCertificateType> { TlsCertificateType.RawPublicKey };
        }

        string? peer = Get("peer-rpk");
        if (peer != null)
        {
            options.PeerCertificateTypes = new List<TlsCertificateType> { TlsCertificateType.RawPublicKey };
            options.PinnedPeerPublicKeys = new List<byte[]> { TlsCertificateCredential.ReadPublicKeyPem(File.ReadAllText(peer)) };
            if (options is TlsServerOptions serverOptions)
            {
                serverOptions.ClientCertificateMode = TlsClientCertificateMode.Require;
            }
        }

        if (Get("record-size-limit") != null)
        {
            options.RecordSizeLimit = GetInt("record-size-limit", 0);
        }
    }

    private TlsVersion ParseVersion(string name, TlsVersion fallback) => Get(name) switch
    {
        null => fallback,
        "1.2" or "tls1.2" or "tls12" => TlsVersion.Tls12,
        "1.3" or "tls1.3" or "tls13" => TlsVersion.Tls13,
        string other => throw new CliException($"--{name} must be 1.2 or 1.3, not '{other}'"),
    };

    public static List<TlsNamedGroup> ParseGroups(IEnumerable<string> names) => names.Select(n => n.ToLowerInvariant() switch
    {
        "x25519" => TlsNamedGroup.X25519,
        "p256" or "p-256" or "secp256r1" => TlsNamedGroup.Secp256r1,
        "p384" or "p-384" or "secp384r1" => TlsNamedGroup.Secp384r1,
        _ => throw new CliException($"unknown group '{n}' (x25519, p256, p384)"),
    }).ToList();
}

internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }
}
