using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Resumption;

/// <summary>
/// A resumed session skips the server's certificate: a ticket made by a client that checked less
/// (no name check, no check at all, other roots) is not offered by a client sharing its cache that checks more.
/// </summary>
public class ResumptionScopeTests
{
    private readonly TlsSessionCache _cache = new();
    private readonly TlsSessionTicketKeys _keys = new(TlsRandom.FromSeed(7), new FixedTimeProvider(Engines.Now));

    private TlsPair Connect(ulong seed, TlsVersion version, Action<TlsClientOptions> client)
    {
        TlsClientOptions clientOptions = Engines.Client(seed);
        clientOptions.SessionCache = _cache;
        clientOptions.MinVersion = clientOptions.MaxVersion = version;
        client(clientOptions);
        TlsServerOptions serverOptions = Engines.Server(seed: seed + 1000);
        serverOptions.SessionTicketKeys = _keys;
        TlsPair pair = Engines.Pair(clientOptions, serverOptions);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        pair.Client.Read(new byte[16], out _);
        return pair;
    }

    public static TheoryData<TlsVersion, string> Looser => new()
    {
        { TlsVersion.Tls13, "skip-name" },
        { TlsVersion.Tls13, "accept-any" },
        { TlsVersion.Tls13, "other-roots" },
        { TlsVersion.Tls12, "other-roots" },
        { TlsVersion.Tls12, "skip-name" },
        { TlsVersion.Tls12, "accept-any" },
    };

    private static void Loosen(TlsClientOptions options, string how)
    {
        switch (how)
        {
            case "skip-name": options.DangerousSkipHostNameCheck = true; break;
            case "accept-any": options.DangerousAcceptAnyServerCertificate = true; break;
            case "other-roots": options.TrustAnchors = TlsTrustAnchors.FromPem(File.ReadAllText(TestPki.PathOf("ca.pem")) + File.ReadAllText(TestPki.PathOf("rogue-ca.pem"))); break;
        }
    }

    [Theory]
    [MemberData(nameof(Looser))]
    public void Client_does_not_resume_a_session_made_under_looser_certificate_checks(TlsVersion version, string how)
    {
        using (TlsPair loose = Connect(1, version, o => Loosen(o, how)))
        {
            Assert.Equal(1, _cache.Count("localhost"));
        }

        using TlsPair strict = Connect(2, version, _ => { });
        Assert.False(strict.Client.IsResumed);
        Assert.NotEmpty(strict.Client.PeerCertificates);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Client_resumes_a_session_made_under_the_same_checks(TlsVersion version)
    {
        using (Connect(1, version, _ => { }))
        {
        }

        using TlsPair again = Connect(2, version, _ => { });
        Assert.True(again.Client.IsResumed);
    }
}
