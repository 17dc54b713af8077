using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace TlsEngine.Tests.Packaging;

/// <summary>
/// What a newcomer gets from the package: `dotnet pack` the library into a folder feed, add it to a
/// fresh console project with `dotnet add package`, and run an in-memory TLS 1.3 handshake through
/// the public API only. Slow (a pack, a restore and two builds), so it has a class of its own.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageConsumerTests : IDisposable
{
    private static readonly TimeSpan StepBound = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan WholeBound = TimeSpan.FromMinutes(6);

    private readonly string _root = Directory.CreateTempSubdirectory("tlsengine-package-").FullName;

    [Fact]
    public async Task Packed_library_installs_into_a_fresh_console_project_and_completes_a_TLS13_handshake()
    {
        using var whole = new CancellationTokenSource(WholeBound);
        string feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        string app = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        string project = Path.Combine(SourceRoot(), "src", "TlsEngine", "TlsEngine.csproj");

        await Dotnet(_root, whole.Token, "pack", project, "-c", "Release", "-o", feed);
        string version = PackedVersion(feed);

        await Dotnet(app, whole.Token, "new", "console", "--force");
        // The folder feed beside the sources the machine already uses; a private packages folder, so
        // a TlsEngine of the same version cached by an earlier run cannot stand in for this one.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(_root, "packages")}" />
              </config>
              <packageSources>
                <add key="tlsengine-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await Dotnet(app, whole.Token, "add", "package", "TlsEngine", "--version", version);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ConsumerProgram);
        WriteSelfSignedPem(Path.Combine(app, "cert.pem"), Path.Combine(app, "key.pem"));

        string output = await Dotnet(app, whole.Token, "run", "--", "cert.pem", "key.pem");
        Assert.Contains("OK Tls13", output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned later.
        }
    }

    private static string PackedVersion(string feed)
    {
        string[] packages = Directory.GetFiles(feed, "TlsEngine.*.nupkg");
        Assert.Single(packages);
        Match match = Regex.Match(Path.GetFileName(packages[0]), @"^TlsEngine\.(\d+\.\d+\.\d+.*)\.nupkg$");
        Assert.True(match.Success, packages[0]);
        return match.Groups[1].Value;
    }

    private static void WriteSelfSignedPem(string certPath, string keyPath)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static async Task<string> Dotnet(string directory, CancellationToken whole, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // Build servers outlive the command and keep its output pipes open: none here.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var step = CancellationTokenSource.CreateLinkedTokenSource(whole);
        step.CancelAfter(StepBound);
        try
        {
            await process.WaitForExitAsync(step.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in time");
        }

        string text = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    private static string SourceRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory != null && !File.Exists(Path.Combine(directory, "TlsEngine.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("TlsEngine.sln not found above " + AppContext.BaseDirectory);
    }

    // Only the package's public API: the buffer-pair host loop of the package README, both ends in memory.
    private const string ConsumerProgram = """
        using System;
        using System.IO;
        using System.Text;
        using TlsEngine;

        string certPem = File.ReadAllText(args[0]);
        string keyPem = File.ReadAllText(args[1]);
        using var client = TlsConnection.CreateClient(new TlsClientOptions
        {
            ServerName = "localhost",
            TrustAnchors = TlsTrustAnchors.FromPem(certPem),
            MinVersion = TlsVersion.Tls13,
        });
        using var server = TlsConnection.CreateServer(new TlsServerOptions { Certificate = TlsCertificateCredential.FromPem(certPem, keyPem) });

        TlsStatus c = TlsStatus.WantRead, s = TlsStatus.WantRead;
        for (int round = 0; round < 20 && !(c == TlsStatus.Ok && s == TlsStatus.Ok); round++)
        {
            c = client.Connect();
            Move(client, server);
            s = server.Accept();
            Move(server, client);
            if (c == TlsStatus.Failed || s == TlsStatus.Failed)
            {
                Console.WriteLine($"FAILED {client.LastError} / {server.LastError}");
                return 1;
            }
        }

        client.Write(Encoding.ASCII.GetBytes("ping"), out _);
        Move(client, server);
        var buffer = new byte[64];
        server.Read(buffer, out int read);
        string received = Encoding.ASCII.GetString(buffer, 0, read);
        if (c != TlsStatus.Ok || s != TlsStatus.Ok || received != "ping")
        {
            Console.WriteLine($"FAILED client {c}, server {s}, received '{received}'");
            return 1;
        }

        Console.WriteLine($"OK {client.Version}");
        return 0;

        static void Move(TlsConnection from, TlsConnection to)
        {
            var chunk = new byte[16 * 1024];
            while (from.Outbound.Length > 0)
            {
                int n = from.Outbound.Read(chunk);
                to.Inbound.Write(chunk.AsSpan(0, n));
            }
        }
        """;
}
