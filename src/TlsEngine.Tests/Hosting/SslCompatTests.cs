using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Hosting;

/// <summary>The rules of the SSL_connect / SSL_read / SSL_get_error man pages, over the engine.</summary>
public class SslCompatTests
{
    private static void Shuttle(SslCompat from, SslCompat to)
    {
        var buffer = new byte[65536];
        int n;
        while ((n = from.ReadOutbound(buffer)) > 0)
        {
            Assert.Equal(n, to.WriteInbound(buffer.AsSpan(0, n)));
        }
    }

    private static (SslCompat Client, SslCompat Server) Connected()
    {
        var client = new SslCompat(TlsConnection.CreateClient(Engines.Client()));
        var server = new SslCompat(TlsConnection.CreateServer(Engines.Server()));
        for (int i = 0; i < 10 && !(client.Connection.IsHandshakeComplete && server.Connection.IsHandshakeComplete && client.PendingOutbound == 0); i++)
        {
            client.Connect();
            Shuttle(client, server);
            server.Accept();
            Shuttle(server, client);
        }

        return (client, server);
    }

    [Fact]
    public void Connect_returns_negative_with_want_read_or_want_write_then_1_on_success()
    {
        using var client = new SslCompat(TlsConnection.CreateClient(Engines.Client()));
        using var server = new SslCompat(TlsConnection.CreateServer(Engines.Server()));
        int rc = client.Connect();
        Assert.True(rc < 0);
        Assert.Equal(SslCompat.SSL_ERROR_WANT_WRITE, client.GetError(rc));
        Shuttle(client, server);
        rc = client.Connect();
        Assert.Equal(SslCompat.SSL_ERROR_WANT_READ, client.GetError(rc));
        Assert.True(server.Accept() < 0);
        Shuttle(server, client);
        client.Connect();
        Shuttle(client, server);
        Assert.Equal(1, client.Connect());
        Assert.Equal(SslCompat.SSL_ERROR_NONE, client.GetError(1));
        Assert.Equal(1, server.Accept());
    }

    [Fact]
    public void Read_returns_bytes_then_want_read_then_0_with_zero_return_after_close_notify()
    {
        (SslCompat client, SslCompat server) = Connected();
        using (client)
        using (server)
        {
            Assert.Equal(5, client.Write("hello"u8));
            Shuttle(client, server);
            var buffer = new byte[16];
            Assert.Equal(5, server.Read(buffer));
            int rc = server.Read(buffer);
            Assert.True(rc < 0);
            Assert.Equal(SslCompat.SSL_ERROR_WANT_READ, server.GetError(rc));
            Assert.Equal(0, client.Shutdown());
            Shuttle(client, server);
            rc = server.Read(buffer);
            Assert.Equal(0, rc);
            Assert.Equal(SslCompat.SSL_ERROR_ZERO_RETURN, server.GetError(rc));
            Assert.Equal(1, server.Shutdown());
        }
    }

    [Fact]
    public void Protocol_failure_is_ssl_error_ssl_with_the_typed_reason()
    {
        using var client = new SslCompat(TlsConnection.CreateClient(Engines.Client()));
        client.Connect();
        client.ReadOutbound(new byte[4096]);
        client.WriteInbound(new byte[] { 22, 3, 3, 0, 4, 99, 0, 0, 0 });
        int rc = client.Connect();
        Assert.True(rc < 0);
        Assert.Equal(SslCompat.SSL_ERROR_SSL, client.GetError(rc));
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, client.LastError!.Alert);
        Assert.True(client.PendingOutbound > 0, "the alert waits in the write BIO");
    }

    [Fact]
    public void Transport_end_without_close_notify_is_ssl_error_syscall()
    {
        (SslCompat client, SslCompat server) = Connected();
        using (client)
        using (server)
        {
            server.SetTransportEnded();
            int rc = server.Read(new byte[16]);
            Assert.Equal(SslCompat.SSL_ERROR_SYSCALL, server.GetError(rc));
        }
    }
}
