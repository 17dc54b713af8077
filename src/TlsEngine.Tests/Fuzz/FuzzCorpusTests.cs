using TlsEngine.Fuzz;
using Xunit;

namespace TlsEngine.Tests.Fuzz;

/// <summary>The committed corpus replays cleanly and stays meaningful; a fixed mutation run finds nothing.</summary>
public class FuzzCorpusTests
{
    private static string CorpusDir
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir != null && !Directory.Exists(Path.Combine(dir, "fuzz", "corpus")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return Path.Combine(dir ?? throw new DirectoryNotFoundException("fuzz/corpus"), "fuzz", "corpus");
        }
    }

    [Fact]
    public void Every_corpus_input_replays_without_a_rule_violation()
    {
        var log = new StringWriter();
        Assert.True(FuzzRunner.Replay(CorpusDir, log) == 0, log.ToString());
        Assert.Contains("replayed", log.ToString());
    }

    [Theory]
    [InlineData("client", "default.bin")]
    [InlineData("client", "hrr-Secp384r1-chunk7.bin")]
    [InlineData("server", "default.bin")]
    [InlineData("server", "hrr-chunk5.bin")]
    [InlineData("server", "resume.bin")]
    [InlineData("server", "resume-0rtt.bin")]
    [InlineData("server", "resume-tls12.bin")]
    public void Recorded_flights_complete_the_seeded_handshake(string target, string file)
    {
        byte[] data = File.ReadAllBytes(Path.Combine(CorpusDir, target, file));
        using TlsConnection connection = target == "client"
            ? TlsConnection.CreateClient(FuzzSetup.Client())
            : TlsConnection.CreateServer(FuzzSetup.Server());
        connection.DoHandshake();
        connection.Outbound.ReadAll();
        connection.Inbound.Write(data.AsSpan(1));
        connection.DoHandshake();
        Assert.True(connection.IsHandshakeComplete, connection.LastError?.ToString());
        Assert.Null(connection.LastError);
        Assert.Equal(file.StartsWith("resume", StringComparison.Ordinal), connection.IsResumed);
    }

    [Theory]
    [InlineData("client", "regression-empty-ec-point-formats.bin", TlsFailureReason.MalformedMessage)]
    [InlineData("server", "regression-empty-ec-point-formats.bin", TlsFailureReason.MalformedMessage)]
    public void Regression_inputs_end_with_their_typed_failure(string target, string file, TlsFailureReason reason)
    {
        // Findings of earlier campaigns: each once surfaced as an internal error.
        using TlsConnection connection = FuzzTargets.Handshake(server: target == "server", File.ReadAllBytes(Path.Combine(CorpusDir, target, file)));
        Assert.Equal(reason, connection.LastError?.Reason);
        Assert.True(connection.LastError!.AlertSent);
    }

    [Theory]
    [InlineData("server.bin", null)]
    [InlineData("nc-exclude-inside-int-anchor.bin", TlsFailureReason.CertificateNameConstraintViolation)]
    [InlineData("nc-permit-lookalike.bin", TlsFailureReason.CertificateNameConstraintViolation)]
    [InlineData("nc-root-localhost-own-root.bin", TlsFailureReason.CertificateNameConstraintViolation)]
    [InlineData("pathlen0-int-leaf-own-root.bin", TlsFailureReason.CertificateNotAllowed)]
    [InlineData("critical-ext-int-leaf.bin", TlsFailureReason.CertificateUnhandledCriticalExtension)]
    [InlineData("rsa1024-int-leaf.bin", TlsFailureReason.CertificateWeakCrypto)]
    [InlineData("eku-client-int-leaf.bin", null)]
    public void Chain_seeds_reach_the_path_rules(string file, TlsFailureReason? reason)
    {
        // Seeds that stopped at an unknown issuer would leave the path rules unfuzzed.
        Assert.Equal(reason, ChainTarget.Run(File.ReadAllBytes(Path.Combine(CorpusDir, "chain", file))));
    }

    [Theory]
    [InlineData("client")]
    [InlineData("server")]
    [InlineData("deframer")]
    [InlineData("messages")]
    [InlineData("certificates")]
    [InlineData("chain")]
    [InlineData("post-handshake")]
    public void A_fixed_mutation_run_finds_nothing(string target)
    {
        var log = new StringWriter();
        string findings = Path.Combine(Path.GetTempPath(), "tlsengine-findings-" + Guid.NewGuid().ToString("N"));
        int found = FuzzRunner.Mutate(target, CorpusDir, findings, seed: 42, TimeSpan.FromMinutes(5), maxIterations: 1500, log);
        Assert.True(found == 0, log.ToString());
    }
}
