using System.Diagnostics;

namespace TlsEngine.Tests.Support;

/// <summary>Builds interop/go-peer (Go's crypto/tls, standard library only) once per test run.</summary>
public static class GoPeer
{
    private static readonly Lazy<string> Binary = new(Build);

    public static string Path => Binary.Value;

    private static string Build()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir != null && !Directory.Exists(System.IO.Path.Combine(dir, "interop", "go-peer")))
        {
            dir = System.IO.Path.GetDirectoryName(dir);
        }

        string source = System.IO.Path.Combine(dir ?? throw new DirectoryNotFoundException("interop/go-peer"), "interop", "go-peer", "main.go");
        string output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tlsengine-go-peer-{Environment.ProcessId}");
        var info = new ProcessStartInfo("go", $"build -o {output} {source}") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.Environment["GO111MODULE"] = "off";
        info.Environment["GOCACHE"] = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tlsengine-gocache");
        info.Environment["GOFLAGS"] = string.Empty;
        using Process process = Process.Start(info)!;
        string errors = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(180000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build failed: {errors}");
        }

        return output;
    }
}
