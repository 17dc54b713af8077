using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using TlsEngine.Cli;

namespace TlsEngine.Bench;

/// <summary>Full and resumed TLS 1.3 handshakes, client and server in one process, against SslStream in memory.</summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private readonly byte[] _buffer = new byte[65536];
    private TlsCertificateCredential _credential = null!;
    private X509Certificate2 _sslCertificate = null!;
    private TlsSessionTicketKeys _keys = null!;
    private TlsSessionCache? _resumptionCache;

    [Params("ecdsa-p256", "rsa2048", "ed25519")]
    public string KeyType { get; set; } = "ecdsa-p256";

    [Params(TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1)]
    public TlsNamedGroup Group { get; set; }

    [Params(TlsCryptoProvider.Platform, TlsCryptoProvider.Managed)]
    public TlsCryptoProvider Provider { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _credential = Pki.Credential(KeyType);
        _keys = new TlsSessionTicketKeys();
        _resumptionCache = null;
        if (KeyType != "ed25519")
        {
            _sslCertificate = Pki.ServerCertificate(KeyType);
        }
    }

    private TlsClientOptions ClientOptions(TlsSessionCache? cache = null) => new()
    {
        ServerName = "localhost",
        TrustAnchors = Pki.Anchors,
        CryptoProvider = Provider,
        Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1 },
        KeyShareGroups = new List<TlsNamedGroup> { Group },
        SessionCache = cache,
    };

    private TlsServerOptions ServerOptions() => new() { Certificate = _credential, CryptoProvider = Provider, SessionTicketKeys = _keys };

    [Benchmark]
    public void Engine_full_handshake()
    {
        (TlsConnection client, TlsConnection server) = Pki.Handshake(ClientOptions(), ServerOptions(), _buffer);
        client.Dispose();
        server.Dispose();
    }

    /// <summary>
    /// One resumption alone: the cache starts with a ticket from a full handshake, and each resumed
    /// handshake leaves the fresh ticket the server issues for the next one.
    /// </summary>
    [Benchmark]
    public void Engine_resumed_handshake()
    {
        _resumptionCache ??= NewTicket();
        (TlsConnection client, TlsConnection server) = Pki.Handshake(ClientOptions(_resumptionCache), ServerOptions(), _buffer);
        bool resumed = client.IsResumed;
        client.Read(_buffer, out _);
        client.Dispose();
        server.Dispose();
        if (!resumed)
        {
            throw new InvalidOperationException("The session was not resumed: the benchmark would time a full handshake.");
        }
    }

    private TlsSessionCache NewTicket()
    {
        var cache = new TlsSessionCache();
        (TlsConnection client, TlsConnection server) = Pki.Handshake(ClientOptions(cache), ServerOptions(), _buffer);
        client.Read(_buffer, out _);
        client.Dispose();
        server.Dispose();
        return cache;
    }

    [Benchmark(Baseline = true)]
    public void SslStream_full_handshake()
    {
        if (_sslCertificate == null)
        {
            return; // SslStream on Linux cannot load Ed25519 certificates.
        }

        (Stream a, Stream b) = InMemoryDuplex.CreatePair();
        using var client = new SslStream(a);
        using var server = new SslStream(b);
        Task.WaitAll(
            client.AuthenticateAsClientAsync(Pki.SslClientOptions()),
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _sslCertificate, EnabledSslProtocols = SslProtocols.Tls13 }));
    }
}
