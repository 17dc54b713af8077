using System.CommandLine;

namespace TlsEngine.Cli;

/// <summary>
/// The parsed options of one command. Only declared options can be read: reading one the
/// command's table lacks is a programming error, so a new option cannot be accepted silently.
/// </summary>
internal sealed class CliArgs
{
    private readonly ParseResult _result;
    private readonly Dictionary<string, (CliOption Spec, Option Option)> _options;

    internal CliArgs(ParseResult result, Dictionary<string, (CliOption Spec, Option Option)> options, IEnumerable<Argument<string>> arguments)
    {
        _result = result;
        _options = options;
        Positional = arguments.Select(a => result.GetValue(a)!).ToList();
    }

    public List<string> Positional { get; }

    public string? Get(string name) => _result.GetValue((Option<string>)Declared(name, CliKind.Text));

    public int GetInt(string name, int fallback)
    {
        var option = (Option<long>)Declared(name, CliKind.Int);
        return _result.GetResult(option) == null ? fallback : checked((int)_result.GetValue(option));
    }

    public bool Has(string flag) => _result.GetValue((Option<bool>)Declared(flag, CliKind.Flag));

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

        int limit = GetInt("record-size-limit", -1);
        if (limit >= 0)
        {
            options.RecordSizeLimit = limit;
        }
    }
    public static List<TlsNamedGroup> ParseGroups(IEnumerable<string> names) =>
        names.Select(n => CliOptions.ParseGroup(n) ?? throw new CliException($"unknown group '{n}' (x25519, p256, p384)")).ToList();

    private Option Declared(string name, CliKind kind) =>
        _options.TryGetValue(name, out var entry) && entry.Spec.Kind == kind
            ? entry.Option
            : throw new InvalidOperationException($"--{name} is not declared as a {kind} option of this command");

    private TlsVersion ParseVersion(string name, TlsVersion fallback) => Get(name) switch
    {
        null => fallback,
        string v => CliOptions.ParseVersion(v) ?? throw new CliException($"--{name} must be 1.2 or 1.3, not '{v}'"),
    };
}

internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }
}
