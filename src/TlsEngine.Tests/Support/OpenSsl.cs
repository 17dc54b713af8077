using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TlsEngine.Tests.Support;

/// <summary>Runs the openssl CLI as a real peer on 127.0.0.1 with bounded waits.</summary>
public sealed class OpenSslProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private OpenSslProcess(string arguments, string fileName = "openssl", Action<ProcessStartInfo>? configure = null)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        configure?.Invoke(info);
        _process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (_stdout) { _stdout.AppendLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (_stderr) { _stderr.AppendLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public StreamWriter Stdin => _process.StandardInput;

    public int ExitCode => _process.ExitCode;

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts s_server and waits until it accepts connections.</summary>
    public static OpenSslProcess Server(int port, string arguments, int accepts = 1)
    {
        var server = new OpenSslProcess($"s_server -accept 127.0.0.1:{port} -naccept {accepts} {arguments}");
        server.WaitFor(() => server.Stdout.Contains("ACCEPT"), "s_server to listen");
        return server;
    }

    /// <summary>Starts any peer program with the same output capture and bounded waits.</summary>
    public static OpenSslProcess Start(string fileName, string arguments) => new(arguments, fileName);

    /// <summary>Starts a peer program whose working directory or environment <paramref name="configure"/> sets.</summary>
    public static OpenSslProcess Start(string fileName, string arguments, Action<ProcessStartInfo> configure) => new(arguments, fileName, configure);

    /// <summary>Starts the built `tlsengine` CLI with the same output capture.</summary>
    public static OpenSslProcess Cli(string arguments) =>
        new($"\"{Path.Combine(AppContext.BaseDirectory, "tlsengine.dll")}\" {arguments}", "dotnet");

    public static OpenSslProcess Client(int port, string arguments) =>
        new($"s_client -connect 127.0.0.1:{port} {arguments}");

    public void WaitFor(Func<bool> condition, string what, int timeoutMs = 10000)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException($"Timed out waiting for {what}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            }

            if (_process.HasExited && !condition())
            {
                // The parameterless wait also drains the redirected output, which arrives asynchronously.
                _process.WaitForExit();
                if (!condition())
                {
                    throw new InvalidOperationException($"openssl exited ({_process.ExitCode}) before {what}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
                }
            }

            Thread.Sleep(10);
        }
    }

    public bool WaitForExit(int timeoutMs = 10000)
    {
        if (!_process.WaitForExit(timeoutMs))
        {
            return false;
        }

        // Only the parameterless overload waits until the output handlers have seen end of file.
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
