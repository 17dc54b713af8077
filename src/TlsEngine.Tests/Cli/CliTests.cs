using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Cli;

/// <summary>The `tlsengine` command as a newcomer runs it.</summary>
public class CliTests
{
    [Fact]
    public void Demo_handshakes_in_memory_and_prints_the_negotiation()
    {
        (int exit, string stdout, string stderr) = CliProcess.Run("demo");
        Assert.True(exit == 0, stderr);
        Assert.Contains("server.Accept()  -> Ok", stdout);
        Assert.Contains("version=Tls13", stdout);
        Assert.Contains("alpn=demo/1", stdout);
        Assert.Contains("server read: \"hello from the client\"", stdout);
    }

    [Fact]
    public void Demo_shows_each_want_read_and_want_write_transition_in_order()
    {
        (int exit, string stdout, string stderr) = CliProcess.Run("demo --seed 7");
        Assert.True(exit == 0, stderr);
        string[] expected =
        {
            "client.Connect() -> WantWrite",
            "host: drained",
            "client.Connect() -> WantRead",   // the ClientHello is out: the client needs the server's flight
            "into server.Inbound",
            "server.Accept()  -> WantWrite",
            "host: drained",
            "server.Accept()  -> WantRead",
            "into client.Inbound",
            "client.Connect() -> WantWrite",  // its Finished
            "client.Connect() -> Ok",
            "into server.Inbound",
            "server.Accept()  -> Ok",
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
    public void Demo_in_small_chunks_shows_the_server_waiting_for_the_rest_of_the_client_hello()
    {
        (int exit, string stdout, string stderr) = CliProcess.Run("demo --seed 7 --chunk 500");
        Assert.True(exit == 0, stderr);
        Assert.Contains("more on the wire", stdout);
        Assert.Contains("server.Accept()  -> WantRead", stdout);
        Assert.Contains("server.Accept()  -> Ok", stdout);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("ecdsa-p256")]
    [InlineData("ecdsa-p384")]
    [InlineData("rsa2048")]
    [InlineData("ed25519")]
    public void Connect_gets_the_reply_from_openssl_s_server_for_each_key_type(string keyType)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -rev -cert {TestPki.CertPath(keyType)} -key {TestPki.KeyPath(keyType)}");
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --send \"hello {keyType}\" --idle-ms 500");
        Assert.True(exit == 0, stderr);
        Assert.Contains(new string($"hello {keyType}".Reverse().ToArray()), stdout);
        Assert.Contains("version=Tls13", stderr);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("ecdsa-p256")]
    [InlineData("rsa2048")]
    public void Connect_with_tls12_gets_the_reply_from_openssl_tls12_server(string keyType)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_2 -rev -cert {TestPki.CertPath(keyType)} -key {TestPki.KeyPath(keyType)}");
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --tls12 --servername localhost --cafile {TestPki.CaPath} --send twelve --idle-ms 500");
        Assert.True(exit == 0, stderr);
        Assert.Contains("evlewt", stdout);
        Assert.Contains("version=Tls12", stderr);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Connect_with_tls13_refuses_a_tls12_only_server()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_2 -rev -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        (int exit, _, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --tls13 --servername localhost --cafile {TestPki.CaPath} --send x");
        Assert.NotEqual(0, exit);
        Assert.Contains("ProtocolVersion", stderr);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Connect_reconnects_with_the_previous_ticket_and_reports_resumption()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -rev -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}", accepts: 3);
        string keylog = Path.Combine(Path.GetTempPath(), $"tlsengine-{Guid.NewGuid():N}.keys");
        try
        {
            (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --send again --reconnect 2 --idle-ms 300 --keylog {keylog}");
            Assert.True(exit == 0, stderr);
            Assert.Equal(3, stdout.Split("niaga").Length - 1);
            Assert.Equal(1, stderr.Split("resumed=false").Length - 1);
            Assert.Equal(2, stderr.Split("resumed=true").Length - 1);
            Assert.Equal(3, File.ReadAllLines(keylog).Count(l => l.StartsWith("CLIENT_TRAFFIC_SECRET_0 ", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(keylog);
        }
    }

    [Fact]
    public void Connect_with_a_client_certificate_is_served_by_serve_requiring_one()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess serve = OpenSslProcess.Cli($"serve --port {port} --cert {TestPki.CertPath("rsa2048")} --key {TestPki.KeyPath("rsa2048")} --client-ca {TestPki.CaPath} --count 2");
        serve.WaitFor(() => serve.Stdout.Contains("ACCEPT"), "serve to listen", 30000);
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --cert {TestPki.CertPath("ecdsa-p384")} --key {TestPki.KeyPath("ecdsa-p384")} --send mutual --idle-ms 300");
        Assert.True(exit == 0, stderr);
        Assert.Contains("mutual", stdout);
        (int refused, _, string reason) = CliProcess.Run($"connect 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --send nocert --idle-ms 300");
        Assert.NotEqual(0, refused);
        Assert.Contains("CertificateRequired", reason);
        Assert.True(serve.WaitForExit(30000));
        serve.WaitFor(() => serve.Stderr.Contains("client-certificates=1"), "the accepted client");
    }

    [PeerFact(Peer.OpenSsl)]
    public void Connect_forwards_stdin_lines_and_prints_every_reply_before_closing()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -rev -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --servername localhost --cafile {TestPki.CaPath} --idle-ms 500", stdin: "first line\nsecond line\n");
        Assert.True(exit == 0, stderr);
        Assert.Contains("enil tsrif", stdout);
        Assert.Contains("enil dnoces", stdout);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Connect_exits_non_zero_with_the_reason_when_verification_fails()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_3 -rev -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        (int exit, _, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --servername wrong.example --cafile {TestPki.CaPath} --send hi");
        Assert.NotEqual(0, exit);
        Assert.Contains("BadCertificate", stderr);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Serve_echoes_to_openssl_s_client_and_survives_a_failed_connection()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess serve = OpenSslProcess.Cli($"serve --port {port} --cert {TestPki.CertPath("ecdsa-p256")} --key {TestPki.KeyPath("ecdsa-p256")} --count 2");
        serve.WaitFor(() => serve.Stdout.Contains("ACCEPT"), "serve to listen", 30000);

        // The first connection fails: the client offers only RSA key exchange with CBC.
        using (OpenSslProcess bad = OpenSslProcess.Client(port, "-tls1_2 -cipher AES128-SHA -quiet"))
        {
            Assert.True(bad.WaitForExit());
            Assert.NotEqual(0, bad.ExitCode);
        }

        using (OpenSslProcess good = OpenSslProcess.Client(port, $"-tls1_3 -CAfile {TestPki.CaPath} -servername localhost -verify_return_error -quiet -no_ign_eof"))
        {
            good.Stdin.WriteLine("echo me");
            good.Stdin.Flush();
            good.WaitFor(() => good.Stdout.Contains("echo me"), "the echo");
            good.Stdin.Close();
            Assert.True(good.WaitForExit());
        }

        Assert.True(serve.WaitForExit(30000), "serve did not stop after --count connections");
        Assert.Equal(0, serve.ExitCode);
        serve.WaitFor(() => serve.Stderr.Contains("served 2 connection(s)"), "the summary");
        Assert.Contains("connection failed", serve.Stderr);
    }

    [Fact]
    public void Connect_with_raw_keys_and_a_record_size_limit_is_served_by_serve_pinning_its_key()
    {
        string Pub(string keyType)
        {
            string path = Path.Combine(Path.GetTempPath(), $"tlsengine-cli-{keyType}-{Environment.ProcessId}.pub.pem");
            File.WriteAllText(path, MutualTls.RawPublicKeyTests.Pem("PUBLIC KEY", MutualTls.RawPublicKeyTests.RawKey(keyType).RawPublicKey!));
            return path;
        }

        int port = OpenSslProcess.FreePort();
        using OpenSslProcess serve = OpenSslProcess.Cli($"serve --port {port} --rpk {TestPki.KeyPath("ecdsa-p256")} --peer-rpk {Pub("ed25519")} --record-size-limit 256 --count 2");
        serve.WaitFor(() => serve.Stdout.Contains("ACCEPT"), "serve to listen", 30000);
        (int exit, string stdout, string stderr) = CliProcess.Run($"connect 127.0.0.1:{port} --rpk {TestPki.KeyPath("ed25519")} --peer-rpk {Pub("ecdsa-p256")} --record-size-limit 512 --send raw-keys --idle-ms 300");
        Assert.True(exit == 0, stderr);
        Assert.Contains("raw-keys", stdout);
        // A client whose key is not pinned is refused.
        (int refused, _, string reason) = CliProcess.Run($"connect 127.0.0.1:{port} --rpk {TestPki.KeyPath("rsa2048")} --peer-rpk {Pub("ecdsa-p256")} --send other --idle-ms 300");
        Assert.NotEqual(0, refused);
        Assert.Contains("BadCertificate", reason);
        Assert.True(serve.WaitForExit(30000));
    }
}
