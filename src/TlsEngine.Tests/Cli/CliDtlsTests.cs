using System.Text.RegularExpressions;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Cli;

/// <summary>`tlsengine connect --dtls`, `serve --dtls` and `demo --dtls`.</summary>
public class CliDtlsTests
{
    private const int TimeoutMs = 30000;

    [Fact]
    public void Demo_dtls_shows_a_lost_flight_resent_on_the_simulated_timer_and_acknowledged()
    {
        (int exit, string stdout, string stderr) = CliProcess.Run("demo --dtls --seed 7");
        Assert.True(exit == 0, stderr);
        string[] expected =
        {
            "ClientHello",
            "HelloRetryRequest (cookie)",
            "ServerHello, EncryptedExtensions (epoch 2), Certificate (epoch 2), CertificateVerify (epoch 2), Finished (epoch 2)  -- LOST",
            "t= 1.000s server timer fires: server.HandleTimeout() -> WantWrite: retransmits its flight",
            "client handshake complete",
            "Finished (epoch 2)",
            "server handshake complete",
            "ACK of 1 record(s) (epoch 3)",
            "server received: \"hello over DTLS\"",
        };
        int at = 0;
        foreach (string line in expected)
        {
            int found = stdout.IndexOf(line, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{line}' missing after position {at}:\n{stdout}");
            at = found + line.Length;
        }
    }

    [Fact]
    public void Demo_dtls_with_the_same_seed_tells_the_same_story()
    {
        // Only the certificate is new on each run; its signature may change a datagram's size by a byte.
        static string Story(string output) => Regex.Replace(output, @"\d+ bytes", "N bytes");
        (int exit1, string first, _) = CliProcess.Run("demo --dtls --seed 3 --loss 40");
        (int exit2, string second, _) = CliProcess.Run("demo --dtls --seed 3 --loss 40");
        Assert.Equal(0, exit1);
        Assert.Equal(0, exit2);
        Assert.Equal(Story(first), Story(second));
        Assert.Contains("LOST", first);
    }

    [Theory]
    [InlineData("connect 127.0.0.1:9 --dtls --tls13", "--tls13 does not apply to --dtls")]
    [InlineData("connect 127.0.0.1:9 --dtls --reconnect 1 --send x", "--reconnect does not apply to --dtls")]
    [InlineData("connect 127.0.0.1:9 --dtls13 --early-data x", "--early-data does not apply to --dtls")]
    [InlineData("connect 127.0.0.1:9 --dtls12 --dtls13", "exclude each other")]
    [InlineData("connect 127.0.0.1:9 --mtu 1000", "--mtu applies to datagrams")]
    [InlineData("connect 127.0.0.1:9 --dtls --mtu 100", "--mtu must be between")]
    [InlineData("serve --dtls --port 0 --cert c.pem --key k.pem --max-early-data 10", "--max-early-data does not apply to --dtls")]
    [InlineData("demo --dtls --chunk 10", "--chunk does not apply to --dtls")]
    public void Dtls_refuses_options_that_do_not_apply_to_datagrams(string arguments, string message)
    {
        (int exit, string stdout, string stderr) = CliProcess.Run(arguments);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("ACCEPT", stdout);
    }

    [Fact]
    public void Connect_dtls_is_echoed_by_serve_dtls_in_both_versions()
    {
        int port = DtlsPeers.FreeUdpPort();
        using OpenSslProcess serve = OpenSslProcess.Cli($"serve --dtls --port {port} --cert {TestPki.CertPath("ecdsa-p256")} --key {TestPki.KeyPath("ecdsa-p256")} --alpn demo --count 2");
        serve.WaitFor(() => serve.Stdout.Contains("ACCEPT"), "serve to listen", TimeoutMs);
        foreach ((string flag, string version) in new[] { ("--dtls13", "Dtls13"), ("--dtls12", "Dtls12") })
        {
            (int exit, string stdout, string stderr) = CliProcess.Run($"connect {flag} 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --alpn demo --send \"echo {version}\" --idle-ms 300");
            Assert.True(exit == 0, stderr);
            Assert.Contains($"echo {version}", stdout);
            Assert.Contains($"version={version}", stderr);
            Assert.Contains("alpn=demo", stderr);
        }

        Assert.True(serve.WaitForExit(TimeoutMs), "serve did not stop after --count connections");
        Assert.Equal(0, serve.ExitCode);
        serve.WaitFor(() => serve.Stderr.Contains("served 2 connection(s)"), "the summary");
        Assert.Contains("version=Dtls13", serve.Stderr);
        Assert.Contains("version=Dtls12", serve.Stderr);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Connect_dtls_exchanges_lines_with_openssl_s_server_dtls12()
    {
        (OpenSslProcess server, int port) = DtlsPeers.OpenSslServer();
        using (server)
        {
            Task<(int, string, string)> connect = Task.Run(() => CliProcess.Run($"connect --dtls 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --send \"ping over udp\" --idle-ms 500", TimeoutMs));
            server.WaitFor(() => server.Stdout.Contains("ping over udp", StringComparison.Ordinal), "s_server to print the line", TimeoutMs);
            server.Stdin.WriteLine("pong from s_server");
            server.Stdin.Flush();
            (int exit, string stdout, string stderr) = connect.Result;
            Assert.True(exit == 0, stderr);
            Assert.Contains("pong from s_server", stdout);
            Assert.Contains("version=Dtls12", stderr);
        }
    }

    [PeerFact(Peer.WolfSslDtls13)]
    public void Connect_dtls13_is_echoed_by_the_wolfssl_server()
    {
        (OpenSslProcess server, int port) = DtlsPeers.WolfSslServer(4, "-e");
        using (server)
        {
            // Classical groups: a hybrid key share makes the ClientHello span two datagrams, which this wolfSSL acknowledges but never answers.
            (int exit, string stdout, string stderr) = CliProcess.Run($"connect --dtls13 127.0.0.1:{port} --groups x25519,p256 --servername localhost --cafile {TestPki.CaPath} --send \"echo wolf\" --idle-ms 500", TimeoutMs);
            Assert.True(exit == 0, stderr);
            Assert.Contains("echo wolf", stdout);
            Assert.Contains("version=Dtls13", stderr);
        }
    }

    [PeerFact(Peer.OpenSsl)]
    public void Serve_dtls_echoes_to_openssl_s_client_dtls12()
    {
        int port = DtlsPeers.FreeUdpPort();
        using OpenSslProcess serve = OpenSslProcess.Cli($"serve --dtls --port {port} --cert {TestPki.CertPath("ecdsa-p256")} --key {TestPki.KeyPath("ecdsa-p256")} --count 1");
        serve.WaitFor(() => serve.Stdout.Contains("ACCEPT"), "serve to listen", TimeoutMs);
        using (OpenSslProcess client = DtlsPeers.OpenSslClient(port, "-groups X25519:P-256"))
        {
            client.Stdin.WriteLine("echo me over udp");
            client.Stdin.Flush();
            client.WaitFor(() => client.Stdout.Contains("echo me over udp"), "the echo", TimeoutMs);
            client.Stdin.Close();
            Assert.True(client.WaitForExit(TimeoutMs));
        }

        Assert.True(serve.WaitForExit(TimeoutMs), "serve did not stop after the connection");
        Assert.Contains("version=Dtls12", serve.Stderr);
        Assert.Contains("[1] closed by peer", serve.Stderr);
    }

    [PeerFact(Peer.WolfSslDtls13)]
    public void Serve_dtls_answers_the_wolfssl_client_over_dtls13()
    {
        int port = DtlsPeers.FreeUdpPort();
        using OpenSslProcess serve = OpenSslProcess.Cli($"serve --dtls --port {port} --cert {TestPki.CertPath("ecdsa-p256")} --key {TestPki.KeyPath("ecdsa-p256")} --count 1");
        serve.WaitFor(() => serve.Stdout.Contains("ACCEPT"), "serve to listen", TimeoutMs);
        using (OpenSslProcess client = DtlsPeers.WolfSslClient(port, 4))
        {
            Assert.True(client.WaitForExit(TimeoutMs), "wolfssl-client did not finish");
            Assert.True(client.ExitCode == 0, client.Stdout + client.Stderr);
            Assert.EndsWith(DtlsPeers.WolfSslClientMessage, client.Stdout.TrimEnd(), StringComparison.Ordinal);
        }

        Assert.True(serve.WaitForExit(TimeoutMs), "serve did not stop after the connection");
        Assert.Contains("version=Dtls13", serve.Stderr);
    }
}
