using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Hosting;

public class TlsDuplexPipeTests
{
    private const int Large = 1 << 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Client_pipe_exchanges_a_megabyte_each_way_with_SslStream_server_and_closes_cleanly()
    {
        byte[] up = Pattern(Large, 7);
        byte[] down = Pattern(Large, 11);
        using X509Certificate2 certificate = SslStreams.ServerCertificate("ecdsa-p256");
        var serverReceived = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var ssl = new SslStream(stream);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 });
            Task<byte[]> reading = ReadToEndAsync(ssl);
            await ssl.WriteAsync(down);
            await ssl.FlushAsync();
            // ReadToEndAsync returns at the client's close_notify: a truncation would throw instead.
            serverReceived.SetResult(await reading);
            await ssl.ShutdownAsync();
        });

        await using SocketPipe transport = await SocketPipe.ConnectAsync(port);
        await using var tls = new TlsDuplexPipe(transport, TlsConnection.CreateClient(Engines.Client(seed: null)));
        await tls.AuthenticateAsync().WaitAsync(Bound);
        Assert.Equal(TlsVersion.Tls13, tls.Connection.Version);

        Task<byte[]> received = ReadToEndAsync(tls.Input);
        await tls.Output.WriteAsync(up);
        await tls.Output.CompleteAsync();

        Assert.Equal(up, await serverReceived.Task.WaitAsync(Bound));
        // Input completes without an exception only at the server's close_notify.
        Assert.Equal(down, await received.WaitAsync(Bound));
        await done.WaitAsync(Bound);
    }

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task Server_pipe_echoes_a_megabyte_to_SslStream_client_and_closes_cleanly(SslProtocols protocol)
    {
        byte[] payload = Pattern(Large, 3);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task serving = Task.Run(async () =>
        {
            using Socket socket = await listener.AcceptSocketAsync().WaitAsync(Bound);
            await using var transport = new SocketPipe(socket);
            await using var tls = new TlsDuplexPipe(transport, TlsConnection.CreateServer(Engines.Server(seed: null)));
            await tls.AuthenticateAsync().WaitAsync(Bound);
            await EchoAsync(tls);
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var ssl = new SslStream(client.GetStream());
        await ssl.AuthenticateAsClientAsync(SslStreams.ClientOptions(protocol)).WaitAsync(Bound);
        Assert.Equal(protocol, ssl.SslProtocol);

        Task<byte[]> echoed = ReadToEndAsync(ssl);
        await ssl.WriteAsync(payload);
        await ssl.FlushAsync();
        await ssl.ShutdownAsync();

        // The echo came back whole, and the server answered our close_notify with its own (no truncation error).
        Assert.Equal(payload, await echoed.WaitAsync(Bound));
        await serving.WaitAsync(Bound);
    }

    [Fact]
    public async Task Client_pipe_fails_with_the_reason_and_sends_unknown_ca_when_the_server_certificate_is_untrusted()
    {
        using X509Certificate2 untrusted = SelfSigned();
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var ssl = new SslStream(stream);
            await Assert.ThrowsAnyAsync<Exception>(() => ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = untrusted, EnabledSslProtocols = SslProtocols.Tls13 }));
        });

        TlsClientOptions options = Engines.Client(seed: null);
        options.TimeProvider = TimeProvider.System;
        await using SocketPipe transport = await SocketPipe.ConnectAsync(port);
        await using var tls = new TlsDuplexPipe(transport, TlsConnection.CreateClient(options));
        TlsException failure = await Assert.ThrowsAsync<TlsException>(() => tls.AuthenticateAsync().WaitAsync(Bound));

        Assert.Equal(TlsFailureReason.CertificateUnknownIssuer, failure.Error.Reason);
        Assert.Equal(TlsAlertDescription.UnknownCa, failure.Error.Alert);
        Assert.True(failure.Error.AlertSent);
        await done.WaitAsync(Bound);
    }

    [Fact]
    public async Task Handshake_honours_cancellation_when_the_server_never_answers()
    {
        var release = new TaskCompletionSource();
        (int port, Task done) = TcpHosts.ServeOnce(_ => release.Task);
        await using SocketPipe transport = await SocketPipe.ConnectAsync(port);
        await using var tls = new TlsDuplexPipe(transport, TlsConnection.CreateClient(Engines.Client(seed: null)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tls.AuthenticateAsync(cancel.Token).WaitAsync(Bound));
        release.SetResult();
        await done.WaitAsync(Bound);
    }

    private static async Task EchoAsync(TlsDuplexPipe tls)
    {
        while (true)
        {
            ReadResult result = await tls.Input.ReadAsync().AsTask().WaitAsync(Bound);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                await tls.Output.WriteAsync(segment);
            }

            tls.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await tls.Output.CompleteAsync();
    }

    private static async Task<byte[]> ReadToEndAsync(PipeReader reader)
    {
        var all = new MemoryStream();
        while (true)
        {
            ReadResult result = await reader.ReadAsync();
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                all.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return all.ToArray();
            }
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var all = new MemoryStream();
        await stream.CopyToAsync(all);
        return all.ToArray();
    }

    private static byte[] Pattern(int length, int step)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * step) + (i >> 12));
        }

        return bytes;
    }

    private static X509Certificate2 SelfSigned()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
