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
        "TlsSessionTicket", "TlsSessionTicketKeys", "TlsCertificateCredential", "TlsTrustAnchors", "TlsEarlyDataStatus",
        "TlsPrivateKeyOperation", "TlsCryptoProvider", "TlsClientCertificateMode", "TlsStream", "TlsPair", "SslCompat",
    };

    // Each layer and the engine namespaces it may import.
    public static IEnumerable<object[]> Layers() => new[]
    {
        new object[] { "Protocol", new string[0] },
        new object[] { "Buffers", new string[0] },
        new object[] { "Crypto", new[] { "Buffers", "Crypto" } },
        new object[] { "Messages", new[] { "Buffers" } },
        new object[] { "Records", new[] { "Buffers", "Crypto" } },
        new object[] { "KeySchedule", new[] { "Buffers", "Crypto", "Records" } },
        new object[] { "X509", new[] { "Crypto" } },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Lower_layers_use_neither_the_api_nor_the_layers_above_them(string layer, string[] allowedImports)
    {
        string folder = Path.Combine(SourceRoot(), "src", "TlsEngine", layer);
        var violations = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            foreach (Match import in Regex.Matches(text, @"^using TlsEngine\.([A-Za-z]+)", RegexOptions.Multiline))
            {
                if (!allowedImports.Contains(import.Groups[1].Value))
                {
                    violations.Add($"{Path.GetFileName(file)} imports TlsEngine.{import.Groups[1].Value}");
                }
            }

            foreach (string type in ApiTypes)
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
