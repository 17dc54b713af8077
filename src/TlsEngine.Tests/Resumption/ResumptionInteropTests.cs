using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Resumption;

/// <summary>Resumption and 0-RTT against openssl in both roles.</summary>
public class ResumptionInteropTests
{
    private static string ServerArgs => $"-tls1_3 -cert {TestPki.CertPath("ecdsa-p256")} -key {TestPki.KeyPath("ecdsa-p256")}";

    private static TlsClientOptions Client(TlsSessionCache cache, byte[]? earlyData = null)
    {
        TlsClientOptions options = Engines.Client(seed: null);
        options.TimeProvider = TimeProvider.System;
        options.SessionCache = cache;
        options.EarlyData = earlyData;
        return options;
    }

    [PeerFact(Peer.OpenSsl)]
    public void Engine_client_resumes_with_openssl_server_ticket()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, "-rev " + ServerArgs, accepts: 2);
        var cache = new TlsSessionCache();
        using (TlsStream first = TcpHosts.ConnectClient(port, Client(cache)))
        {
            first.Authenticate();
            first.Write("one\n"u8.ToArray());
            Assert.Equal("eno\n", TcpHosts.ReadLine(first));
            Assert.False(first.Connection.IsResumed);
        }

        Assert.True(cache.Count("localhost") > 0);
        using TlsStream second = TcpHosts.ConnectClient(port, Client(cache));
        second.Authenticate();
        second.Write("two\n"u8.ToArray());
        Assert.Equal("owt\n", TcpHosts.ReadLine(second));
        Assert.True(second.Connection.IsResumed);
    }

    [PeerFact(Peer.OpenSsl)]
    public void Engine_client_sends_early_data_that_openssl_accepts()
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, "-early_data " + ServerArgs, accepts: 2);
        var cache = new TlsSessionCache();
        using (TlsStream first = TcpHosts.ConnectClient(port, Client(cache)))
        {
            first.Authenticate();
            first.Write("first\n"u8.ToArray());
            server.WaitFor(() => server.Stdout.Contains("first"), "the first line");
            // s_server sends its stdin to the client; reading that line takes in the tickets sent before it.
            server.Stdin.WriteLine("from server");
            server.Stdin.Flush();
            Assert.Equal("from server\n", TcpHosts.ReadLine(first));
        }

        Assert.True(cache.Count("localhost") > 0, "no ticket was kept");
        using TlsStream second = TcpHosts.ConnectClient(port, Client(cache, Encoding.ASCII.GetBytes("zero-rtt hello\n")));
        second.Authenticate();
        Assert.True(second.Connection.IsResumed);
        Assert.Equal(TlsEarlyDataStatus.Accepted, second.Connection.EarlyDataStatus);
        server.WaitFor(() => server.Stdout.Contains("zero-rtt hello"), "openssl to print the early data");
    }

    [PeerFact(Peer.OpenSsl)]
    public async Task Openssl_client_resumes_with_engine_server_ticket_and_sends_early_data()
    {
        var keys = new TlsSessionTicketKeys();
        string session = Path.Combine(Path.GetTempPath(), $"tlsengine-{Guid.NewGuid():N}.sess");
        string early = Path.Combine(Path.GetTempPath(), $"tlsengine-{Guid.NewGuid():N}.txt");
        File.WriteAllText(early, "early bird\n");
        try
        {
            var results = new List<(bool Resumed, TlsEarlyDataStatus Early, string Line)>();
            for (int round = 0; round < 2; round++)
            {
                TlsServerOptions options = Engines.Server(seed: null);
                options.TimeProvider = TimeProvider.System;
                options.SessionTicketKeys = keys;
                options.MaxEarlyDataSize = 1024;
                (int port, Task done) = TcpHosts.ServeOnce(async stream =>
                {
                    await Task.Yield();
                    using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
                    tls.Authenticate();
                    string line = TcpHosts.ReadLine(tls);
                    results.Add((tls.Connection.IsResumed, tls.Connection.EarlyDataStatus, line));
                    tls.Write(Encoding.ASCII.GetBytes("got " + line));
                    var rest = new byte[64];
                    while (tls.Read(rest, 0, rest.Length) > 0)
                    {
                    }
                });
                string args = round == 0 ? $"-sess_out {session}" : $"-sess_in {session} -early_data {early}";
                using (OpenSslProcess client = OpenSslProcess.Client(port, $"-tls1_3 -CAfile {TestPki.CaPath} -servername localhost -no_ign_eof {args}"))
                {
                    if (round == 0)
                    {
                        client.Stdin.WriteLine("full");
                        client.Stdin.Flush();
                    }

                    client.WaitFor(() => client.Stdout.Contains("got "), "the reply");
                    if (round == 0)
                    {
                        client.WaitFor(() => File.Exists(session) && new FileInfo(session).Length > 0, "the session file");
                    }
                    else
                    {
                        Assert.Contains("Reused, TLSv1.3", client.Stdout);
                    }

                    client.Stdin.Close();
                    Assert.True(client.WaitForExit());
                }

                await done.WaitAsync(TimeSpan.FromSeconds(10));
            }

            Assert.False(results[0].Resumed);
            Assert.True(results[1].Resumed);
            Assert.Equal(TlsEarlyDataStatus.Accepted, results[1].Early);
            Assert.Equal("early bird\n", results[1].Line);
        }
        finally
        {
            File.Delete(session);
            File.Delete(early);
        }
    }
}
