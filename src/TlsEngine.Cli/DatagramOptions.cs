namespace TlsEngine.Cli;

/// <summary>
/// --dtls, --dtls12, --dtls13 and --mtu: the switch from TCP to UDP for connect and serve, and the
/// refusal of what a datagram connection cannot do (see <see cref="DtlsConnection"/>'s remarks).
/// </summary>
internal static class DatagramOptions
{
    public static readonly CliOption[] Options =
    {
        CliOption.Flag("dtls", "DTLS over UDP instead of TLS over TCP (DTLS 1.3 or 1.2)"),
        CliOption.Flag("dtls12", "DTLS 1.2 only (implies --dtls)"),
        CliOption.Flag("dtls13", "DTLS 1.3 only (implies --dtls)"),
        CliOption.Int("mtu", "N", $"largest datagram payload to send with --dtls (default 1200)", min: TlsDatagramOptions.MinMtu, max: 65507),
    };

    /// <summary>
    /// Options of the command that have no meaning over datagrams, each with the reason given when it
    /// is combined with --dtls. Version options have DTLS twins; 0-RTT and resumption are refused by
    /// <see cref="DtlsConnection"/> itself.
    /// </summary>
    private static readonly (string Option, string Why)[] StreamOnly =
    {
        ("tls12", "use --dtls12"),
        ("tls13", "use --dtls13"),
        ("min-version", "use --dtls12 or --dtls13"),
        ("max-version", "use --dtls12 or --dtls13"),
        ("reconnect", "DTLS connections do not resume sessions yet"),
        ("early-data", "DTLS connections do not send 0-RTT data"),
        ("max-early-data", "DTLS connections do not accept 0-RTT data"),
    };

    /// <summary>True when the command runs over UDP; refuses the combinations that make no sense either way.</summary>
    public static bool IsDatagram(CliArgs args, CliCommand command)
    {
        bool dtls = args.Has("dtls") || args.Has("dtls12") || args.Has("dtls13");
        if (!dtls)
        {
            if (args.GetInt("mtu", -1) >= 0)
            {
                throw new CliException("--mtu applies to datagrams: add --dtls");
            }

            return false;
        }

        if (args.Has("dtls12") && args.Has("dtls13"))
        {
            throw new CliException("--dtls12 and --dtls13 exclude each other; --dtls alone negotiates either");
        }

        foreach ((string option, string why) in StreamOnly)
        {
            if (command.Options.Any(o => o.Name == option) && IsSet(args, command, option))
            {
                throw new CliException($"--{option} does not apply to --dtls: {why}");
            }
        }

        return true;
    }

    /// <summary>DTLS 1.3 is <see cref="TlsVersion.Tls13"/> and DTLS 1.2 <see cref="TlsVersion.Tls12"/> to the engine.</summary>
    public static void ApplyVersions(CliArgs args, TlsOptions options)
    {
        options.MinVersion = args.Has("dtls13") ? TlsVersion.Tls13 : TlsVersion.Tls12;
        options.MaxVersion = args.Has("dtls12") ? TlsVersion.Tls12 : TlsVersion.Tls13;
    }

    public static TlsDatagramOptions Transport(CliArgs args) => new() { Mtu = args.GetInt("mtu", 1200) };

    /// <summary>How the CLI names the negotiated protocol: Dtls13 or Dtls12.</summary>
    public static string VersionName(TlsVersion? version) => version switch
    {
        TlsVersion.Tls13 => "Dtls13",
        TlsVersion.Tls12 => "Dtls12",
        _ => "(none)",
    };

    private static bool IsSet(CliArgs args, CliCommand command, string name) => command.Options.First(o => o.Name == name).Kind switch
    {
        CliKind.Flag => args.Has(name),
        CliKind.Int => args.GetInt(name, -1) >= 0,
        _ => args.Get(name) != null,
    };
}
