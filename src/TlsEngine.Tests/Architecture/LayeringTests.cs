using System.Text.RegularExpressions;
using Xunit;

namespace TlsEngine.Tests.Architecture;

/// <summary>
/// DESIGN.md §2: arrows point down only, and no layer below the handshake uses the public API's
/// connection, options, sessions or credentials. The protocol vocabulary (alerts, versions, suites,
/// groups, schemes, failure reasons, under Protocol/) is the bottom layer every layer may use.
/// </summary>
public class LayeringTests
{
    private static readonly string[] ApiTypes =
    {
        "TlsConnection", "TlsOptions", "TlsClientOptions", "TlsServerOptions", "TlsError", "TlsStatus", "TlsSessionCache",
        "TlsSessionTicket", "TlsSessionTicketKeys", "TlsCertificateCredential", "TlsTrustAnchors",
        "TlsPrivateKeyOperation", "TlsCryptoProvider", "TlsStream", "TlsPair", "SslCompat", "TlsExternalPsk",
    };

    // Each layer, the engine namespaces it may import, and the API types it may name (none: the API
    // copies options into HandshakeConfig and wraps sessions, ticket keys and credentials around
    // the handshake's own types).
    public static IEnumerable<object[]> Layers() => new[]
    {
        new object[] { "Protocol", new string[0], new string[0] },
        new object[] { "Buffers", new string[0], new string[0] },
        new object[] { "Crypto", new[] { "Buffers", "Crypto" }, new string[0] },
        new object[] { "Messages", new[] { "Buffers" }, new string[0] },
        new object[] { "Records", new[] { "Buffers", "Crypto" }, new string[0] },
        new object[] { "KeySchedule", new[] { "Buffers", "Crypto", "Records" }, new string[0] },
        new object[] { "X509", new[] { "Crypto" }, new string[0] },
        // The datagram channel implements the handshake's IHandshakeChannel seam; the handshake's own row keeps it from importing Datagram.
        new object[] { "Datagram", new[] { "Buffers", "Crypto", "Records", "KeySchedule", "Handshake" }, new string[0] },
        new object[] { "Handshake", new[] { "Buffers", "Crypto", "Messages", "Records", "KeySchedule", "X509", "Handshake" }, new string[0] },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Lower_layers_use_neither_the_api_nor_the_layers_above_them(string layer, string[] allowedImports, string[] allowedApiTypes)
    {
        string folder = Path.Combine(SourceRoot(), "src", "TlsEngine", layer);
        var violations = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            foreach (Match import in Regex.Matches(text, @"^using TlsEngine\.([A-Za-z0-9]+)", RegexOptions.Multiline))
            {
                if (!allowedImports.Contains(import.Groups[1].Value))
                {
                    violations.Add($"{Path.GetFileName(file)} imports TlsEngine.{import.Groups[1].Value}");
                }
            }

            foreach (string type in ApiTypes.Except(allowedApiTypes))
            {
                if (Regex.IsMatch(text, $@"\b{type}\b"))
                {
                    violations.Add($"{Path.GetFileName(file)} names {type}");
                }
            }
        }

        Assert.Empty(violations);
    }

    private static string SourceRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory != null && !File.Exists(Path.Combine(directory, "TlsEngine.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("The source tree is not above the test binaries.");
    }
}
