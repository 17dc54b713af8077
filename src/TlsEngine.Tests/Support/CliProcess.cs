using System.Diagnostics;

namespace TlsEngine.Tests.Support;

/// <summary>Runs the built `tlsengine` CLI (copied next to the tests) as a separate process.</summary>
public static class CliProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string arguments, int timeoutMs = 30000, string? stdin = null)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "tlsengine.dll")}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(info)!;
        if (stdin != null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tlsengine {arguments} did not finish");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
