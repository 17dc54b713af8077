using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Resumption;

/// <summary>TLS 1.2 resumption by RFC 5077 ticket and by session id, in memory and against openssl.</summary>
public class Tls12ResumptionTests
{
    private static TlsClientOptions Client(TlsSessionCache cache, ulong? seed = null)
    {
        TlsClientOptions options = Engines.Client(seed);
        options.MaxVersion = TlsVersion.Tls12;
        options.SessionCache = cache;
        if (seed == null)
        {
            options.TimeProvider = TimeProvider.System;
        }

        return options;
    }

    [Fact]
    public void Second_tls12_connection_resumes_with_a_ticket_and_keeps_ems()
    {
        var cache = new TlsSessionCache();
        var keys = new TlsSessionTicketKeys(TlsRandom.FromSeed(3), new FixedTimeProvider(Engines.Now));
        byte[]? firstMaster = null;
        for (int round = 0; round < 3; round++)
        {
            TlsServerOptions server = Engines.Server(seed: (ulong)(50 + round));
            server.SessionTicketKeys = keys;
            using TlsPair pair = Engines.Pair(Client(cache, (ulong)(10 + round)), server);
            Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
            Assert.Equal(TlsVersion.Tls12, pair.Client.Version);
            Assert.Equal(round > 0, pair.Client.IsResumed);
            Assert.Equal(round > 0, pair.Server.IsResumed);
            byte[] exported = pair.Client.ExportKeyingMaterial("EXPORTER-check", default, 16);
            Assert.Equal(exported, pair.Server.ExportKeyingMaterial("EXPORTER-check", default, 16));
            if (round > 0)
            {
                Assert.Empty(pair.Client.PeerCertificates);
                Assert.NotEqual(firstMaster, exported);
            }

            firstMaster ??= exported;
            pair.Client.Write("data"u8, out _);
            pair.Pump();
            Assert.Equal(TlsStatus.Ok, pair.Server.Read(new byte[8], out _));
        }
    }

    [Fact]
    public void Tls12_ticket_from_another_keyring_gives_a_full_handshake()
    {
        var cache = new TlsSessionCache();
        TlsServerOptions first = Engines.Server();
        first.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(3));
        using (TlsPair pair = Engines.Pair(Client(cache, 1), first))
        {
            Assert.True(pair.Handshake());
        }

        TlsServerOptions second = Engines.Server(seed: 9);
        second.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(4));
        using TlsPair again = Engines.Pair(Client(cache, 2), second);
        Assert.True(again.Handshake());
        Assert.False(again.Client.IsResumed);
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("")]
    [InlineData("-no_ticket")]
    public void Engine_client_resumes_with_openssl_tls12_server(string ticketMode)
    {
        int port = OpenSslProcess.FreePort();
        using OpenSslProcess server = OpenSslProcess.Server(port, $"-tls1_2 -rev {ticketMode} -cert {TestPki.CertPath("rsa2048")} -key {TestPki.KeyPath("rsa2048")}", accepts: 2);
        var cache = new TlsSessionCache();
        for (int round = 0; round < 2; round++)
        {
            using TlsStream tls = TcpHosts.ConnectClient(port, Client(cache));
            tls.Authenticate();
            tls.Write("abc\n"u8.ToArray());
            Assert.Equal("cba\n", TcpHosts.ReadLine(tls));
            Assert.Equal(round == 1, tls.Connection.IsResumed);
        }
    }

    [PeerTheory(Peer.OpenSsl)]
    [InlineData("")]
    [InlineData("-no_ticket")]
    public async Task Openssl_tls12_client_resumes_with_engine_server(string ticketMode)
    {
        var keys = new TlsSessionTicketKeys();
        string session = Path.Combine(Path.GetTempPath(), $"tlsengine-{Guid.NewGuid():N}.sess");
        try
        {
            var resumed = new List<bool>();
            for (int round = 0; round < 2; round++)
            {
                TlsServerOptions options = Engines.Server(seed: null);
                options.TimeProvider = TimeProvider.System;
                options.SessionTicketKeys = keys;
                (int port, Task done) = TcpHosts.ServeOnce(async stream =>
                {
                    await Task.Yield();
                    using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
                    tls.Authenticate();
                    resumed.Add(tls.Connection.IsResumed);
                    string line = TcpHosts.ReadLine(tls);
                    tls.Write(Encoding.ASCII.GetBytes("ok " + line));
                    var rest = new byte[64];
                    while (tls.Read(rest, 0, rest.Length) > 0)
                    {
                    }
                });
                string sessionArgs = round == 0 ? $"-sess_out {session}" : $"-sess_in {session}";
                using (OpenSslProcess client = OpenSslProcess.Client(port, $"-tls1_2 {ticketMode} -CAfile {TestPki.CaPath} -servername localhost -no_ign_eof {sessionArgs}"))
                {
                    client.Stdin.WriteLine("r" + round);
                    client.Stdin.Flush();
                    client.WaitFor(() => client.Stdout.Contains("ok r" + round), "the reply");
                    if (round == 1)
                    {
                        Assert.Contains("Reused, TLSv1.2", client.Stdout);
                    }

                    client.Stdin.Close();
                    Assert.True(client.WaitForExit());
                }

                await done.WaitAsync(TimeSpan.FromSeconds(10));
            }

            Assert.Equal(new[] { false, true }, resumed);
        }
        finally
        {
            File.Delete(session);
        }
    }
}
