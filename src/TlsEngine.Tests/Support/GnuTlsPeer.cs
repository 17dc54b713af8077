using Xunit;

namespace TlsEngine.Tests.Support;

/// <summary>GnuTLS's gnutls-serv and gnutls-cli (Debian's gnutls-bin), found on the PATH.</summary>
public static class GnuTlsPeer
{
    public const string InstallCommand = "apt-get install gnutls-bin";

    private static readonly Lazy<bool> Found = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, "gnutls-serv")) && File.Exists(Path.Combine(dir, "gnutls-cli"))));

    public static bool IsInstalled => Found.Value;

    /// <summary>The priority string for one protocol version, with more items appended (e.g. "+CTYPE-SRV-RAWPK").</summary>
    public static string Priority(TlsVersion version, string extra = "") =>
        (version == TlsVersion.Tls13 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3" : "NORMAL:-VERS-ALL:+VERS-TLS1.2") + extra;

    /// <summary>Starts gnutls-serv on a fresh port and waits until it listens.</summary>
    public static (OpenSslProcess Server, int Port) Serve(string arguments)
    {
        int port = OpenSslProcess.FreePort();
        OpenSslProcess server = OpenSslProcess.Start("gnutls-serv", $"-p {port} {arguments}");
        server.WaitFor(() => server.Stdout.Contains("listening on IPv4") || server.Stderr.Contains("listening on IPv4"), "gnutls-serv to listen");
        return (server, port);
    }
}

/// <summary>A theory that is skipped, naming the install command, when GnuTLS's tools are missing.</summary>
public sealed class GnuTlsTheoryAttribute : TheoryAttribute
{
    public GnuTlsTheoryAttribute()
    {
        if (!GnuTlsPeer.IsInstalled)
        {
            Skip = $"gnutls-serv/gnutls-cli not found; install them with: {GnuTlsPeer.InstallCommand}";
        }
    }
}
