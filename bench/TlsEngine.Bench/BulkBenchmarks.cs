using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using TlsEngine.Cli;

namespace TlsEngine.Bench;

/// <summary>64 MiB in 16 KiB writes over an established connection, per suite, one direction and both.</summary>
[MemoryDiagnoser]
public class BulkBenchmarks
{
    private const int Total = 64 << 20;
    private const int Chunk = 16384;
    private readonly byte[] _data = new byte[Chunk];
    private readonly byte[] _buffer = new byte[65536];
    private TlsConnection _client = null!;
    private TlsConnection _server = null!;
    private SslStream _sslClient = null!;
    private SslStream _sslServer = null!;

    [Params(TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public TlsCipherSuite Suite { get; set; }

    [Params(TlsCryptoProvider.Platform, TlsCryptoProvider.Managed)]
    public TlsCryptoProvider Provider { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var client = new TlsClientOptions { ServerName = "localhost", TrustAnchors = Pki.Anchors, CryptoProvider = Provider, CipherSuites = new List<TlsCipherSuite> { Suite } };
        var server = new TlsServerOptions { Certificate = Pki.Credential("ecdsa-p256"), CryptoProvider = Provider };
        (_client, _server) = Pki.Handshake(client, server, _buffer);
        (Stream a, Stream b) = InMemoryDuplex.CreatePair();
        _sslClient = new SslStream(a);
        _sslServer = new SslStream(b);
        var cipher = Suite switch
        {
            TlsCipherSuite.TLS_AES_256_GCM_SHA384 => System.Net.Security.TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 => System.Net.Security.TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            _ => System.Net.Security.TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        };
        SslClientAuthenticationOptions clientOptions = Pki.SslClientOptions();
        clientOptions.CipherSuitesPolicy = new CipherSuitesPolicy(new[] { cipher });
        Task.WaitAll(
            _sslClient.AuthenticateAsClientAsync(clientOptions),
            _sslServer.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Pki.ServerCertificate("ecdsa-p256"), EnabledSslProtocols = SslProtocols.Tls13 }));
    }

    [Benchmark]
    public long Engine_one_direction() => Transfer(_client, _server);

    [Benchmark]
    public long Engine_both_directions() => Transfer(_client, _server) + Transfer(_server, _client);

    [Benchmark(Baseline = true)]
    public long SslStream_one_direction() => SslTransfer(_sslClient, _sslServer);

    [Benchmark]
    public long SslStream_both_directions() => SslTransfer(_sslClient, _sslServer) + SslTransfer(_sslServer, _sslClient);

    private long SslTransfer(SslStream from, SslStream to)
    {
        Task<long> reader = Task.Run(async () =>
        {
            byte[] sink = new byte[65536];
            long total = 0;
            while (total < Total)
            {
                total += await to.ReadAsync(sink);
            }

            return total;
        });
        for (int sent = 0; sent < Total; sent += Chunk)
        {
            from.Write(_data);
        }

        return reader.Result;
    }

    private long Transfer(TlsConnection from, TlsConnection to)
    {
        long received = 0;
        for (int sent = 0; sent < Total; sent += Chunk)
        {
            from.Write(_data, out _);
            Pki.Move(from, to, _buffer);
            while (to.Read(_buffer, out int n) == TlsStatus.Ok && n > 0)
            {
                received += n;
            }
        }

        return received;
    }
}
