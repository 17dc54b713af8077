using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TlsEngine.Cli;

/// <summary>
/// The bench's anchors: .NET's SslStream over an in-memory duplex and OpenSSL's own engine over a BIO
/// pair (bench/openssl-pair, built on the fly), timed like the engine's rows.
/// </summary>
internal static class BenchAnchors
{
    private static (SslClientAuthenticationOptions Client, SslServerAuthenticationOptions Server) SslStreamOptions(X509Certificate2 serverCertificate, X509Certificate2 root)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        return (new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = SslProtocols.Tls13, CertificateChainPolicy = policy },
            new SslServerAuthenticationOptions { ServerCertificate = serverCertificate, EnabledSslProtocols = SslProtocols.Tls13 });
    }

    internal static double SslStreamHandshakes(X509Certificate2 serverCertificate, X509Certificate2 root, double seconds)
    {
        (SslClientAuthenticationOptions clientOptions, SslServerAuthenticationOptions serverOptions) = SslStreamOptions(serverCertificate, root);
        return BenchCommand.Rate(seconds, () =>
        {
            (Stream a, Stream b) = InMemoryDuplex.CreatePair();
            using var client = new SslStream(a);
            using var server = new SslStream(b);
            Task.WaitAll(client.AuthenticateAsClientAsync(clientOptions), server.AuthenticateAsServerAsync(serverOptions));
        });
    }

    /// <summary>16 KiB writes on one side, a reader task on the other; timed like the engine's rows.</summary>
    internal static double SslStreamBulk(X509Certificate2 serverCertificate, X509Certificate2 root, double seconds)
    {
        (SslClientAuthenticationOptions clientOptions, SslServerAuthenticationOptions serverOptions) = SslStreamOptions(serverCertificate, root);
        (Stream a, Stream b) = InMemoryDuplex.CreatePair();
        using var client = new SslStream(a);
        using var server = new SslStream(b);
        Task.WaitAll(client.AuthenticateAsClientAsync(clientOptions), server.AuthenticateAsServerAsync(serverOptions));
        long sent = 0;
        long target = long.MaxValue;
        Task reader = Task.Run(async () =>
        {
            byte[] sink = new byte[65536];
            long total = 0;
            while (total < Interlocked.Read(ref target))
            {
                total += await server.ReadAsync(sink);
            }
        });
        byte[] data = new byte[BenchCommand.Chunk];
        var watch = new Stopwatch();
        long measuredFrom = 0;
        double warmUp = Math.Max(1.0, seconds / 2);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < warmUp + seconds)
        {
            if (!watch.IsRunning && clock.Elapsed.TotalSeconds >= warmUp)
            {
                measuredFrom = sent;
                watch.Start();
            }

            client.Write(data);
            sent += BenchCommand.Chunk;
        }

        // The rate counts what the reader has taken in: wait for the last writes to arrive.
        Interlocked.Exchange(ref target, sent);
        reader.Wait();
        return (sent - measuredFrom) / 1048576.0 / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Runs bench/openssl-pair when it is built (bench/openssl-pair/build.sh) or can be built here.</summary>
    internal static (double Handshakes, double Bulk) OpenSslPair(string certPem, string keyPem, double seconds)
    {
        string? directory = FindUp(Path.Combine("bench", "openssl-pair"));
        if (directory == null)
        {
            return (double.NaN, double.NaN);
        }

        string binary = Path.Combine(directory, "openssl-pair");
        string source = Path.Combine(directory, "openssl-pair.c");
        if (!File.Exists(binary) || (File.Exists(source) && File.GetLastWriteTimeUtc(binary) < File.GetLastWriteTimeUtc(source)))
        {
            RunProcess("bash", Path.Combine(directory, "build.sh"));
        }

        if (!File.Exists(binary))
        {
            return (double.NaN, double.NaN);
        }

        string cert = Path.GetTempFileName();
        string key = Path.GetTempFileName();
        File.WriteAllText(cert, certPem);
        File.WriteAllText(key, keyPem);
        try
        {
            string output = RunProcess(binary, $"{cert} {key} {cert} {seconds}");
            double Value(string name)
            {
                int at = output.IndexOf(name + "=", StringComparison.Ordinal);
                return at < 0 ? double.NaN : double.Parse(output[(at + name.Length + 1)..].Split(' ', '\n')[0]);
            }

            return (Value("handshakes_per_s"), Value("bulk_mb_per_s"));
        }
        finally
        {
            File.Delete(cert);
            File.Delete(key);
        }
    }

    private static string RunProcess(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(120000);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return string.Empty;
        }
    }

    private static string? FindUp(string relative)
    {
        for (string? dir = Directory.GetCurrentDirectory(); dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(Path.Combine(dir, relative)))
            {
                return Path.Combine(dir, relative);
            }
        }

        return null;
    }
}
