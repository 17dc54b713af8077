using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.MonoHost;

/// <summary>
/// Runs the shared [Fact]/[Theory] suites compiled into this assembly and the handshake checks,
/// printing one line per check and "N passed, N failed, N skipped" at the end.
/// </summary>
internal sealed class Checks
{
    private int _passed;
    private int _failed;
    private int _skipped;

    public int Run(string? filter)
    {
        Console.WriteLine($"runtime: {RuntimeName()}; library: {typeof(TlsConnection).Assembly.GetName().Name} {LibraryTarget()}");
        foreach (Type type in typeof(Checks).Assembly.GetTypes().Where(t => t.IsClass && t.IsPublic).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                foreach ((string name, object?[] arguments) in Cases(type, method))
                {
                    if (filter == null || name.IndexOf(filter, StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        Check(name, () => method.Invoke(Activator.CreateInstance(type), arguments));
                    }
                }
            }
        }

        foreach (TlsVersion version in new[] { TlsVersion.Tls13, TlsVersion.Tls12 })
        {
            string name = $"Handshakes.In_memory_with_the_managed_provider({version})";
            if (filter == null || name.IndexOf(filter, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                Check(name, () => Handshakes.InMemory(version));
            }

            name = $"Handshakes.Against_openssl_s_server({version})";
            if (filter == null || name.IndexOf(filter, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                if (Handshakes.OpenSsl() == null)
                {
                    Report("SKIP", name, "openssl not found on PATH; install it with: apt-get install openssl");
                    _skipped++;
                }
                else
                {
                    Check(name, () => Handshakes.AgainstOpenSsl(version));
                }
            }
        }

        Console.WriteLine($"{_passed} passed, {_failed} failed, {_skipped} skipped");
        return _failed == 0 && _passed > 0 ? 0 : 1;
    }

    private static IEnumerable<(string Name, object?[] Arguments)> Cases(Type type, MethodInfo method)
    {
        string name = $"{type.Name}.{method.Name}";
        if (method.GetCustomAttribute<TheoryAttribute>() != null)
        {
            foreach (InlineDataAttribute data in method.GetCustomAttributes<InlineDataAttribute>())
            {
                object?[] arguments = data.GetData(method).Single();
                yield return ($"{name}({string.Join(", ", arguments)})", arguments);
            }
        }
        else if (method.GetCustomAttribute<FactAttribute>() is { Skip: null })
        {
            yield return (name, Array.Empty<object?>());
        }
    }

    private void Check(string name, Action check)
    {
        try
        {
            check();
            _passed++;
            Report("PASS", name, null);
        }
        catch (Exception ex)
        {
            _failed++;
            Exception cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            Report("FAIL", name, cause.ToString());
        }
    }

    private static void Report(string verdict, string name, string? detail) =>
        Console.WriteLine(detail == null ? $"{verdict} {name}" : $"{verdict} {name}: {detail}");

    private static string RuntimeName() =>
        Type.GetType("Mono.Runtime") is { } mono
            ? "Mono " + mono.GetMethod("GetDisplayName", BindingFlags.NonPublic | BindingFlags.Static)?.Invoke(null, null)
            : Environment.Version.ToString();

    private static string LibraryTarget() =>
        typeof(TlsConnection).Assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()?.FrameworkName ?? "?";
}

/// <summary>Handshakes in both versions with the managed (BouncyCastle) provider, as Unity would run them.</summary>
internal static class Handshakes
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("hello from mono\n");

    public static void InMemory(TlsVersion version)
    {
        TlsClientOptions client = ClientOptions(version);
        var server = new TlsServerOptions { Certificate = TestPki.Credential("ecdsa-p256"), CryptoProvider = TlsCryptoProvider.Managed, MaxVersion = version };
        using var pair = new TlsPair(TlsConnection.CreateClient(client), TlsConnection.CreateServer(server));
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(version, pair.Client.Version);
        Assert.Equal(version, pair.Server.Version);
        Assert.Contains("anaged", pair.Client.CryptoProviderName);
        Assert.Equal(TlsStatus.Ok, pair.Client.Write(Message, out _));
        pair.Pump();
        var buffer = new byte[64];
        Assert.Equal(TlsStatus.Ok, pair.Server.Read(buffer, out int read));
        Assert.Equal(Message, buffer.Take(read).ToArray());
    }

    public static void AgainstOpenSsl(TlsVersion version)
    {
        int port = FreePort();
        string flag = version == TlsVersion.Tls13 ? "-tls1_3" : "-tls1_2";
        var info = new ProcessStartInfo(OpenSsl()!, $"s_server -accept 127.0.0.1:{port} -naccept 1 -rev -quiet {flag} -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process server = Process.Start(info)!;
        try
        {
            using TcpClient tcp = ConnectWithRetry(port);
            tcp.ReceiveTimeout = 10000;
            using var tls = new TlsStream(tcp.GetStream(), TlsConnection.CreateClient(ClientOptions(version)));
            tls.Authenticate();
            Assert.Equal(version, tls.Connection.Version);
            tls.Write(Message, 0, Message.Length);
            tls.Flush();
            var reply = new StringBuilder();
            var buffer = new byte[256];
            while (!reply.ToString().Contains("\n"))
            {
                int n = tls.Read(buffer, 0, buffer.Length);
                Assert.True(n > 0, "openssl closed before replying");
                reply.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            // -rev answers each line reversed.
            Assert.Equal(new string("hello from mono".Reverse().ToArray()), reply.ToString().Trim());
        }
        finally
        {
            if (!server.WaitForExit(2000))
            {
                server.Kill();
            }
        }
    }

    public static string? OpenSsl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Where(d => d.Length > 0).Select(d => Path.Combine(d, "openssl")).FirstOrDefault(File.Exists);

    private static TlsClientOptions ClientOptions(TlsVersion version) => new()
    {
        ServerName = "localhost",
        TrustAnchors = TestPki.Roots,
        CryptoProvider = TlsCryptoProvider.Managed,
        MinVersion = version,
        MaxVersion = version,
    };

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static TcpClient ConnectWithRetry(int port)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new TcpClient("127.0.0.1", port) { NoDelay = true };
            }
            catch (SocketException) when (watch.ElapsedMilliseconds < 10000)
            {
                Thread.Sleep(50);
            }
        }
    }
}
