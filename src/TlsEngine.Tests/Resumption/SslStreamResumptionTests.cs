using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Resumption;

/// <summary>.NET's SslStream (over OpenSSL on Linux) caches sessions per target host: it resumes with the engine's tickets.</summary>
public class SslStreamResumptionTests
{
    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task SslStream_client_resumes_with_engine_server_ticket(SslProtocols protocol)
    {
        var keys = new TlsSessionTicketKeys();
        var resumed = new List<bool>();
        for (int round = 0; round < 3; round++)
        {
            TlsServerOptions options = Engines.Server(seed: null);
            options.TimeProvider = TimeProvider.System;
            options.SessionTicketKeys = keys;
            (int port, Task done) = TcpHosts.ServeOnce(async stream =>
            {
                await using var tls = new TlsStream(stream, TlsConnection.CreateServer(options));
                await tls.AuthenticateAsync();
                var buffer = new byte[16];
                int n = await tls.ReadAsync(buffer);
                resumed.Add(tls.Connection.IsResumed);
                await tls.WriteAsync(buffer.AsMemory(0, n));
                while (await tls.ReadAsync(buffer) > 0)
                {
                }
            });
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            await using (var ssl = new SslStream(tcp.GetStream()))
            {
                await ssl.AuthenticateAsClientAsync(SslStreams.ClientOptions(protocol));
                await ssl.WriteAsync("r"u8.ToArray());
                var reply = new byte[1];
                Assert.Equal(1, await ssl.ReadAsync(reply));
                await ssl.ShutdownAsync();
            }

            await done.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.False(resumed[0]);
        Assert.Contains(true, resumed.Skip(1));
    }
}
