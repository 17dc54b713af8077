using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Hosting;

public class TlsStreamAsyncTests
{
    [Fact]
    public async Task Async_client_stream_talks_to_SslStream_server_and_honours_cancellation()
    {
        using X509Certificate2 certificate = SslStreams.ServerCertificate("ecdsa-p256");
        var release = new TaskCompletionSource();
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var ssl = new SslStream(stream);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 });
            var buffer = new byte[64];
            int n = await ssl.ReadAsync(buffer);
            await ssl.WriteAsync(buffer.AsMemory(0, n));
            await release.Task;
        });

        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new TlsStream(tcp.GetStream(), TlsConnection.CreateClient(Engines.Client(seed: null)));
        await tls.AuthenticateAsync();
        await tls.WriteAsync("async hello"u8.ToArray());
        await tls.FlushAsync();
        var reply = new byte[64];
        int read = await tls.ReadAsync(reply);
        Assert.Equal("async hello", Encoding.ASCII.GetString(reply, 0, read));

        // Nothing more will come: a cancelled read must end promptly.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => Assert.True(await tls.ReadAsync(reply, cancel.Token) >= 0));
        release.SetResult();
        await done.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [PeerFact(Peer.OpenSsl)]
    public async Task Async_server_stream_serves_openssl_client()
    {
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var tls = new TlsStream(stream, TlsConnection.CreateServer(Engines.Server(seed: null)));
            await tls.AuthenticateAsync();
            var buffer = new byte[64];
            int n = await tls.ReadAsync(buffer);
            await tls.WriteAsync(Encoding.ASCII.GetBytes("async: " + Encoding.ASCII.GetString(buffer, 0, n)));
            while (await tls.ReadAsync(buffer) > 0)
            {
            }
        });
        using OpenSslProcess client = OpenSslProcess.Client(port, $"-tls1_3 -CAfile {TestPki.CaPath} -servername localhost -quiet -no_ign_eof");
        client.Stdin.WriteLine("ping");
        client.Stdin.Flush();
        client.WaitFor(() => client.Stdout.Contains("async: ping"), "the reply");
        client.Stdin.Close();
        Assert.True(client.WaitForExit());
        await done.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
