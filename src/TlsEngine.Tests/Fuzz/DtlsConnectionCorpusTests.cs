using TlsEngine.Fuzz;
using Xunit;

namespace TlsEngine.Tests.Fuzz;

/// <summary>The dtls-client and dtls-server seeds reach the end of the seeded handshake, so mutations start deep.</summary>
public class DtlsConnectionCorpusTests
{
    [Theory]
    [InlineData("dtls-client", "dtls13.bin", TlsVersion.Tls13)]
    [InlineData("dtls-client", "dtls12-timer.bin", TlsVersion.Tls12)]
    [InlineData("dtls-server", "dtls13-timer.bin", TlsVersion.Tls13)]
    [InlineData("dtls-server", "dtls12.bin", TlsVersion.Tls12)]
    public void Recorded_datagrams_complete_the_seeded_handshake(string target, string file, TlsVersion version)
    {
        string dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "fuzz", "corpus")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("fuzz/corpus");
        }

        using DtlsConnection connection = DtlsConnectionTargets.Run(target == "dtls-server", File.ReadAllBytes(Path.Combine(dir, "fuzz", "corpus", target, file)));
        Assert.True(connection.IsHandshakeComplete, connection.LastError?.ToString());
        Assert.Null(connection.LastError);
        Assert.Equal(version, connection.NegotiatedVersion);
        Assert.Equal(0, connection.DroppedRecords);
    }

    [Theory]
    [InlineData("dtls-client")]
    [InlineData("dtls-server")]
    public void A_fixed_mutation_run_finds_nothing(string target)
    {
        string dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "fuzz", "corpus")))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        var log = new StringWriter();
        string findings = Path.Combine(Path.GetTempPath(), "tlsengine-findings-" + Guid.NewGuid().ToString("N"));
        int found = FuzzRunner.Mutate(target, Path.Combine(dir, "fuzz", "corpus"), findings, seed: 42, TimeSpan.FromMinutes(2), maxIterations: 300, log);
        Assert.True(found == 0, log.ToString());
    }
}
