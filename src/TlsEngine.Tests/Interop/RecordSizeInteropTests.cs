using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>
/// record_size_limit (RFC 8449) against GnuTLS (--recordsize) and max_fragment_length (RFC 6066 §4)
/// against OpenSSL (-maxfraglen), with the engine in both roles. A long line goes each way, so the
/// peer's records must keep to the engine's limit (else record_overflow) and the engine's to the peer's.
/// </summary>
public class RecordSizeInteropTests
{
    private static readonly string LongLine = new('x', 3000);

    private static void EchoLongLine(TlsStream tls)
    {
        tls.Write(Encoding.ASCII.GetBytes(LongLine + "\n"));
        var received = new StringBuilder();
        while (received.Length < LongLine.Length)
        {
            string part = TcpHosts.ReadLine(tls);
            Assert.NotEmpty(part);
            received.Append(part.TrimEnd('\n'));
        }
    }

    /// <summary>The engine serves one connection: it reads one line and answers "echo: " and the line, twice.</summary>
    private static (int Port, Task Done) EchoServer(TlsServerOptions options, Action<TlsConnection> inspect) =>
        TcpHosts.ServeOnce(async stream =>
        {
            await Task.Yield();
            using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
            tls.Authenticate();
            inspect(tls.Connection);
            string line = TcpHosts.ReadLine(tls);
            tls.Write(Encoding.ASCII.GetBytes("echo: " + line + "echo: " + line));
            var rest = new byte[256];
            while (tls.Read(rest, 0, rest.Length) > 0)
            {
            }
        });

    private static void SendLineAndAwaitEcho(OpenSslProcess client, Task server, string line)
    {
        client.Stdin.WriteLine(line);
        client.Stdin.Flush();
        client.WaitFor(() => client.Stdout.Contains($"echo: {line}\necho: {line}"), "the engine's echo");
        client.Stdin.Close();
        Assert.True(client.WaitForExit(), "the client did not exit");
        Assert.True(server.Wait(TimeSpan.FromSeconds(10)), "the engine server did not finish");
    }

    [GnuTlsTheory]
    [InlineData(TlsVersion.Tls13, 512)]
    [InlineData(TlsVersion.Tls12, 512)]
    public void Engine_client_keeps_to_the_record_size_limit_of_a_gnutls_server(TlsVersion version, int fragment)
    {
        (OpenSslProcess server, int port) = GnuTlsPeer.Serve($"--echo --recordsize 512 --x509certfile {TestPki.CertPath("ecdsa-p256")} --x509keyfile {TestPki.KeyPath("ecdsa-p256")} --priority {GnuTlsPeer.Priority(version)}");
        using (server)
        {
            TlsClientOptions options = Engines.Client(seed: null);
            options.RecordSizeLimit = 1024;
            using TlsStream tls = TcpHosts.ConnectClient(port, options);
            tls.Authenticate();
            Assert.Equal(version, tls.Connection.Version);
            Assert.Equal(fragment, tls.Connection.Context.Records.MaxSendFragment);
            EchoLongLine(tls);
        }
    }

    [GnuTlsTheory]
    [InlineData(TlsVersion.Tls13, 512)]
    [InlineData(TlsVersion.Tls12, 512)]
    public void Engine_server_keeps_to_the_record_size_limit_of_a_gnutls_client(TlsVersion version, int fragment)
    {
        TlsServerOptions options = Engines.Server(seed: null);
        options.RecordSizeLimit = 1024;
        int sent = 0;
        (int port, Task done) = EchoServer(options, c => sent = c.Context.Records.MaxSendFragment);
        using OpenSslProcess client = OpenSslProcess.Start("gnutls-cli", $"--recordsize 512 --x509cafile {TestPki.CaPath} --priority {GnuTlsPeer.Priority(version)} -p {port} 127.0.0.1");
        // gnutls-cli 3.7 did not deliver longer lines whole here, so the line stays within 512 bytes;
        // the echo needs two records of at most 512.
        SendLineAndAwaitEcho(client, done, new string('x', 400));
        Assert.Equal(fragment, sent);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public void Engine_client_negotiates_max_fragment_length_with_openssl_server(string version)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"{version} -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}");
        TlsClientOptions options = Engines.Client(seed: null);
        options.MaxFragmentLength = 512;
        using TlsStream tls = TcpHosts.ConnectClient(port, options);
        tls.Authenticate();
        Assert.Equal(512, tls.Connection.Context.Records.MaxSendFragment);
        // s_server prints what it reads: a line far longer than the fragment length must arrive whole.
        tls.Write(Encoding.ASCII.GetBytes(LongLine + "\n"));
        server.WaitFor(() => server.Stdout.Contains(LongLine), "s_server to print the line");
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public void Engine_server_echoes_max_fragment_length_of_openssl_client(string version)
    {
        int sent = 0;
        (int port, Task done) = EchoServer(Engines.Server(seed: null), c => sent = c.Context.Records.MaxSendFragment);
        using OpenSslProcess client = OpenSslProcess.Client(port, $"{version} -maxfraglen 512 -CAfile {TestPki.CaPath} -servername localhost -verify_return_error -quiet -no_ign_eof");
        SendLineAndAwaitEcho(client, done, LongLine);
        Assert.Equal(512, sent);
    }
}
