using System.Diagnostics;
using Xunit;

namespace TlsEngine.Tests.Hosting;

/// <summary>Each sample host (non-blocking TCP, reliable UDP with loss, serial line, game loop, DTLS with connection ids over UDP) completes its exchange.</summary>
public class SampleSmokeTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    [InlineData("serial")]
    [InlineData("gameloop")]
    [InlineData("dtls-cid")]
    public void Sample_host_completes_a_tls_exchange(string sample)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "TlsEngine.Samples.dll")}\" {sample}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(info)!;
        Assert.True(process.WaitForExit(60000), $"sample {sample} did not finish");
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
    }
}
