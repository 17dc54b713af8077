using Xunit;

namespace TlsEngine.Tests.Support;

/// <summary>An outside program a test talks to.</summary>
public enum Peer
{
    /// <summary>The openssl command (s_server, s_client).</summary>
    OpenSsl,

    /// <summary>gnutls-serv and gnutls-cli.</summary>
    GnuTls,

    /// <summary>The go toolchain, which builds interop/go-peer.</summary>
    Go,

    /// <summary>Node 26 (OpenSSL 3.5) from npm, see <see cref="NodePeer"/>.</summary>
    Node,

    /// <summary>The mono runtime with its .NET Framework facades (mono-devel).</summary>
    Mono,

    /// <summary>wolfSSL's example client and server with DTLS 1.3, see <see cref="WolfSslDtls13"/>.</summary>
    WolfSslDtls13,
}

/// <summary>
/// Finds the outside peers once per run. A fresh machine with only the .NET SDK has none of them:
/// the tests that need one are skipped with the reason and the command that installs it, so the
/// suite passes there; CI installs every peer (.ci/install-peers) and treats a skip as a failure.
/// </summary>
public static class Peers
{
    /// <summary>Installs every peer at once (Debian/Ubuntu, as root).</summary>
    public const string InstallAll = ".ci/install-peers";

    private static readonly Dictionary<Peer, Lazy<string?>> Missing = Enum.GetValues<Peer>()
        .ToDictionary(p => p, p => new Lazy<string?>(() => Probe(p)));

    /// <summary>Null when the peer is present, otherwise why not and how to install it.</summary>
    public static string? MissingReason(Peer peer) => Missing[peer].Value;

    /// <summary>The first missing peer's reason, or null when all are present.</summary>
    public static string? MissingReason(IEnumerable<Peer> peers) =>
        peers.Select(MissingReason).FirstOrDefault(reason => reason != null);

    /// <summary>The full path of an executable found on PATH, or null.</summary>
    public static string? OnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? Probe(Peer peer) => peer switch
    {
        Peer.OpenSsl => Require("openssl", "apt-get install openssl"),
        Peer.GnuTls => Require("gnutls-serv", "apt-get install gnutls-bin") ?? Require("gnutls-cli", "apt-get install gnutls-bin"),
        Peer.Go => Require("go", "apt-get install golang-go"),
        Peer.Node => NodePeer.Path == null ? $"Node 26 (OpenSSL 3.5) not found; install it with: {NodePeer.InstallCommand}" : null,
        Peer.Mono => Require("mono", "apt-get install mono-devel") ?? MonoFacades(),
        Peer.WolfSslDtls13 => WolfSslDtls13.Prefix == null
            ? $"wolfSSL with DTLS 1.3 not found in {WolfSslDtls13.DefaultPrefix}; build it with: {WolfSslDtls13.InstallCommand} (or every peer: {InstallAll})"
            : Require("stdbuf", "apt-get install coreutils"),
        _ => throw new ArgumentOutOfRangeException(nameof(peer)),
    };

    private static string? Require(string program, string install) =>
        OnPath(program) == null ? $"{program} not found on PATH; install it with: {install} (or every peer: {InstallAll})" : null;

    // mono-runtime alone runs programs but lacks the netstandard facade a netstandard2.0 library needs.
    private static string? MonoFacades()
    {
        string? mono = OnPath("mono");
        string prefix = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(mono!)))!;
        return File.Exists(Path.Combine(prefix, "lib", "mono", "4.5", "Facades", "netstandard.dll"))
            ? null
            : $"mono has no netstandard facade; install it with: apt-get install mono-devel (or every peer: {InstallAll})";
    }
}

/// <summary>A fact skipped, naming the install command, when one of its peers is missing.</summary>
public sealed class PeerFactAttribute : FactAttribute
{
    public PeerFactAttribute(params Peer[] peers)
    {
        Skip = Peers.MissingReason(peers);
    }
}

/// <summary>A theory skipped, naming the install command, when one of its peers is missing.</summary>
public sealed class PeerTheoryAttribute : TheoryAttribute
{
    public PeerTheoryAttribute(params Peer[] peers)
    {
        Skip = Peers.MissingReason(peers);
    }
}
