using System.Diagnostics;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>
/// Unity's runtime: the netstandard2.0 build under Mono, through the net472 host in
/// src/TlsEngine.MonoHost (shared codec, RFC 8448 key schedule, record protection and X25519 suites;
/// handshakes in both versions in memory and against openssl s_server).
/// </summary>
public class MonoRuntimeTests
{
    [PeerFact(Peer.Mono, Peer.OpenSsl)]
    public void Netstandard_build_passes_the_core_suites_and_handshakes_under_mono()
    {
        string host = HostPath();
        var info = new ProcessStartInfo("mono", $"\"{host}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(host)!,
        };
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120000), "the Mono host did not finish");
        process.WaitForExit();
        string output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("library: TlsEngine.Core .NETStandard,Version=v2.0", output);
        Assert.Contains("runtime: Mono", output);
        foreach (string check in new[]
        {
            "PASS Handshakes.In_memory_with_the_managed_provider(Tls13)",
            "PASS Handshakes.In_memory_with_the_managed_provider(Tls12)",
            "PASS Handshakes.Against_openssl_s_server(Tls13)",
            "PASS Handshakes.Against_openssl_s_server(Tls12)",
            "PASS Rfc8448KeyScheduleTests.Record_protection_reproduces_rfc8448_client_finished_record",
            "PASS CodecTests.Random_client_hellos_round_trip",
            "PASS X25519BaseTests.Equals_BouncyCastle_comb_for_random_scalars",
            "PASS X25519ReferenceTests.Ladder_equals_the_reference_for_random_scalars_and_hostile_u",
            "PASS X25519ReferenceTests.Fixed_base_equals_the_reference_for_every_clamping_pattern",
        })
        {
            Assert.Contains(check, output);
        }

        Assert.Matches(@"\n\d+ passed, 0 failed, 0 skipped", output);
    }

    /// <summary>The host's build output beside this project's (same configuration).</summary>
    private static string HostPath()
    {
        // bin/<Configuration>/net10.0/ -> src/TlsEngine.MonoHost/bin/<Configuration>/net472/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = testOutput.Parent!.Name;
        string src = testOutput.Parent.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(src, "TlsEngine.MonoHost", "bin", configuration, "net472", "TlsEngine.MonoHost.exe");
        Assert.True(File.Exists(path), $"{path} is missing: build src/TlsEngine.MonoHost");
        return path;
    }
}
