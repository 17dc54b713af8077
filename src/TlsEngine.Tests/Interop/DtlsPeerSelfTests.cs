using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>
/// Each DTLS peer against itself over UDP on 127.0.0.1: proves the installed peer and the support in
/// <see cref="DtlsPeers"/> work, before the engine is put in one of the roles.
/// </summary>
public class DtlsPeerSelfTests
{
    private const int TimeoutMs = 20000;

    [PeerFact(Peer.WolfSslDtls13)]
    public void WolfSsl_client_and_server_complete_dtls13_with_connection_ids_and_echo_data()
    {
        string keyLog = Path.Combine(Path.GetTempPath(), $"tlsengine-wolfssl-{Environment.ProcessId}-{Guid.NewGuid():N}.keylog");
        try
        {
            (OpenSslProcess server, int port) = DtlsPeers.WolfSslServer(4, "-e --cid ab");
            using (server)
            using (OpenSslProcess client = DtlsPeers.WolfSslClient(port, 4, "--cid cd", keyLog))
            {
                Assert.True(client.WaitForExit(TimeoutMs), "wolfssl-client did not finish");
                Assert.True(server.WaitForExit(TimeoutMs), "wolfssl-server did not finish");
                Assert.True(client.ExitCode == 0, client.Stdout + client.Stderr);
                Assert.Contains("SSL version is DTLSv1.3", client.Stdout, StringComparison.Ordinal);
                Assert.Contains("SSL version is DTLSv1.3", server.Stdout, StringComparison.Ordinal);
                Assert.Contains("CID extension was negotiated", client.Stdout, StringComparison.Ordinal);
                // The server echoes the client's message, and the client prints what it reads.
                Assert.EndsWith(DtlsPeers.WolfSslClientMessage, client.Stdout.TrimEnd(), StringComparison.Ordinal);
            }

            // The key-log library wrote the client's four (D)TLS 1.3 traffic secrets.
            string[] labels = File.ReadAllLines(keyLog).Select(line => line.Split(' ')[0]).ToArray();
            Assert.Equal(
                new[] { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0" },
                labels);
        }
        finally
        {
            File.Delete(keyLog);
        }
    }

    [PeerFact(Peer.WolfSslDtls13)]
    public void WolfSsl_client_and_server_complete_dtls12()
    {
        (OpenSslProcess server, int port) = DtlsPeers.WolfSslServer(3, "-e");
        using (server)
        using (OpenSslProcess client = DtlsPeers.WolfSslClient(port, 3))
        {
            Assert.True(client.WaitForExit(TimeoutMs), "wolfssl-client did not finish");
            Assert.True(client.ExitCode == 0, client.Stdout + client.Stderr);
            Assert.Contains("SSL version is DTLSv1.2", client.Stdout, StringComparison.Ordinal);
            Assert.EndsWith(DtlsPeers.WolfSslClientMessage, client.Stdout.TrimEnd(), StringComparison.Ordinal);
        }
    }

    [PeerFact(Peer.OpenSsl)]
    public void OpenSsl_client_and_server_complete_dtls12_and_exchange_lines()
    {
        (OpenSslProcess server, int port) = DtlsPeers.OpenSslServer();
        using (server)
        using (OpenSslProcess client = DtlsPeers.OpenSslClient(port, "-groups X25519:P-256"))
        {
            server.WaitFor(() => server.Stdout.Contains("CIPHER is ", StringComparison.Ordinal), "the DTLS handshake", TimeoutMs);
            client.WaitFor(() => client.Stdout.Contains("Protocol  : DTLSv1.2", StringComparison.Ordinal), "s_client's session summary", TimeoutMs);

            client.Stdin.WriteLine("ping from s_client");
            client.Stdin.Flush();
            server.WaitFor(() => server.Stdout.Contains("ping from s_client", StringComparison.Ordinal), "s_server to print the client's line", TimeoutMs);
            server.Stdin.WriteLine("pong from s_server");
            server.Stdin.Flush();
            client.WaitFor(() => client.Stdout.Contains("pong from s_server", StringComparison.Ordinal), "s_client to print the server's line", TimeoutMs);

            client.Stdin.Close();
            Assert.True(client.WaitForExit(TimeoutMs), "s_client did not end at the end of its input");
            Assert.True(server.WaitForExit(TimeoutMs), "s_server did not end after its one connection");
        }
    }

    [PeerFact(Peer.GnuTls)]
    public void GnuTls_client_and_server_complete_dtls12_and_echo_a_line()
    {
        (OpenSslProcess server, int port) = DtlsPeers.GnuTlsServer();
        using (server)
        using (OpenSslProcess client = DtlsPeers.GnuTlsClient(port))
        {
            client.WaitFor(() => (client.Stdout + client.Stderr).Contains("- Handshake was completed", StringComparison.Ordinal), "the DTLS handshake", TimeoutMs);
            Assert.Contains("(DTLS1.2-X.509)", client.Stdout + client.Stderr, StringComparison.Ordinal);

            client.Stdin.WriteLine("echo me over dtls");
            client.Stdin.Flush();
            client.WaitFor(
                () => client.Stdout.Split('\n').Any(line => line.TrimEnd() == "echo me over dtls"),
                "gnutls-cli to print the echoed line", TimeoutMs);

            client.Stdin.Close();
            Assert.True(client.WaitForExit(TimeoutMs), "gnutls-cli did not end at the end of its input");
        }
    }
}
