using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>The engine against .NET's SslStream over loopback TCP, in both roles, TLS 1.3 only.</summary>
public class SslStreamTests
{
    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("ecdsa-p384")]
    [InlineData("rsa2048")]
    public async Task Engine_client_talks_to_SslStream_server(string keyType)
    {
        using X509Certificate2 certificate = SslStreams.ServerCertificate(keyType);
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            using var ssl = new SslStream(stream);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = SslProtocols.Tls13,
            });
            string line = TcpHosts.ReadLine(ssl);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("sslstream: " + line));
            await ssl.FlushAsync();
            var rest = new byte[64];
            while (await ssl.ReadAsync(rest) > 0)
            {
            }
        });

        using (TlsStream tls = TcpHosts.ConnectClient(port, Engines.Client(seed: null)))
        {
            tls.Authenticate();
            tls.Write("hi\n"u8.ToArray());
            Assert.Equal("sslstream: hi\n", TcpHosts.ReadLine(tls));
            Assert.Equal(TlsVersion.Tls13, tls.Connection.Version);
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("ecdsa-p384")]
    [InlineData("rsa2048")]
    public async Task SslStream_client_talks_to_engine_server(string keyType)
    {
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await Task.Yield();
            using var tls = new TlsStream(stream, TlsConnection.CreateServer(Engines.Server(keyType, seed: null)));
            tls.Authenticate();
            string line = TcpHosts.ReadLine(tls);
            tls.Write(Encoding.ASCII.GetBytes("engine: " + line));
            var rest = new byte[64];
            while (tls.Read(rest, 0, rest.Length) > 0)
            {
            }
        });

        using var tcp = new TcpClient();
        tcp.Connect("127.0.0.1", port);
        tcp.ReceiveTimeout = TcpHosts.TimeoutMs;
        using (var ssl = new SslStream(tcp.GetStream()))
        {
            ssl.AuthenticateAsClient(SslStreams.ClientOptions(SslProtocols.Tls13));
            Assert.Equal(SslProtocols.Tls13, ssl.SslProtocol);
            ssl.Write("hello\n"u8);
            Assert.Equal("engine: hello\n", TcpHosts.ReadLine(ssl));
            await ssl.ShutdownAsync();
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
