using System.Net;
using System.Net.Sockets;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Cli;

/// <summary>The CLI refuses what it does not understand before it touches the network.</summary>
public class CliOptionTests
{
    private const int UsageError = 2;

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--psk 00 --bogus")]
    [InlineData("--cafle ca.pem")]
    [InlineData("--idle-ms")]
    [InlineData("--idle-ms abc")]
    [InlineData("--idle-ms -1")]
    [InlineData("--groups x25519,p999")]
    [InlineData("--min-version 1.1")]
    [InlineData("--cafile --insecure")]
    [InlineData("--servername a --servername b")]
    [InlineData("extra-word")]
    public void Connect_refuses_bad_arguments_with_usage_before_connecting(string arguments)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} {arguments}");
            Assert.Equal(UsageError, exit);
            Assert.Contains("tlsengine connect <HOST:PORT> [options]", stderr);
            Assert.Equal(string.Empty, stdout);
            Assert.False(listener.Pending(), "the CLI connected despite a bad argument");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData("serve --port 0 --cert c.pem --key k.pem --bogus")]
    [InlineData("serve --port 70000 --cert c.pem --key k.pem")]
    [InlineData("serve --port 0 --cert c.pem --key k.pem --host not-an-address")]
    [InlineData("serve --port 0 --key k.pem")]
    [InlineData("demo --seed x")]
    [InlineData("demo --chunk")]
    [InlineData("bench --seconds 0")]
    [InlineData("no-such-command")]
    public void Commands_refuse_bad_arguments_with_usage(string arguments)
    {
        (int exit, string stdout, string stderr) = CliProcess.Run(arguments);
        Assert.Equal(UsageError, exit);
        Assert.Contains("Usage:", stderr);
        Assert.DoesNotContain("listening", stderr);
        Assert.DoesNotContain("ACCEPT", stdout);
    }

    [Theory]
    [InlineData("connect", "--servername --cafile --insecure --alpn --groups --send --idle-ms --timeout-ms --verbose --keylog --tls12 --tls13 --min-version --max-version --cert --key --reconnect --early-data --allow-no-ems")]
    [InlineData("serve", "--port --cert --key --host --count --alpn --groups --keylog --tls12 --tls13 --min-version --max-version --client-ca --max-early-data --allow-no-ems")]
    [InlineData("demo", "--chunk --seed")]
    [InlineData("bench", "--seconds --connections")]
    public void Help_of_each_command_lists_its_options(string command, string options)
    {
        (int exit, string stdout, _) = CliProcess.Run($"{command} --help");
        Assert.Equal(0, exit);
        foreach (string option in options.Split(' '))
        {
            Assert.Contains(option, stdout);
        }
    }

    [Fact]
    public void Help_without_a_command_lists_the_commands()
    {
        (int exit, string stdout, _) = CliProcess.Run("--help");
        Assert.Equal(0, exit);
        foreach (string command in new[] { "demo", "connect", "serve", "bench" })
        {
            Assert.Contains(command, stdout);
        }
    }

    [PeerFact(Peer.Go)]
    public void Connect_refuses_a_tls12_server_without_extended_master_secret_and_names_the_flag()
    {
        // Go before 1.21 has no extended master secret in TLS 1.2 (RFC 7627).
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Start(GoPeer.Path, $"server {port} {TestPki.CertPath("ecdsa-p256")} {TestPki.KeyPath("ecdsa-p256")} 1.2");
        server.WaitFor(() => server.Stdout.Contains("LISTENING"), "the Go server");
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --tls12 --servername localhost --cafile {TestPki.CaPath} --send hi");
        Assert.Equal(1, exit);
        Assert.Contains("ExtendedMasterSecretMissing", stderr);
        Assert.Contains("--allow-no-ems", stderr);
        Assert.Equal(string.Empty, stdout);
    }

    [PeerFact(Peer.Go)]
    public void Connect_with_allow_no_ems_reaches_a_legacy_tls12_server_and_warns()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Start(GoPeer.Path, $"server {port} {TestPki.CertPath("ecdsa-p256")} {TestPki.KeyPath("ecdsa-p256")} 1.2");
        server.WaitFor(() => server.Stdout.Contains("LISTENING"), "the Go server");
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --tls12 --allow-no-ems --servername localhost --cafile {TestPki.CaPath} --send hi --idle-ms 300");
        Assert.True(exit == 0, stderr);
        Assert.Contains("warning: --allow-no-ems", stderr);
        Assert.Contains("version=Tls12", stderr);
        Assert.Contains("go: hi", stdout);
    }
}
