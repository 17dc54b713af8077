using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>The handshake matrix under each crypto provider, and across providers.</summary>
public class CryptoProviderTests
{
    public static IEnumerable<object[]> Matrix()
    {
        foreach (TlsCryptoProvider client in new[] { TlsCryptoProvider.Managed, TlsCryptoProvider.Platform })
        {
            foreach (TlsCryptoProvider server in new[] { TlsCryptoProvider.Managed, TlsCryptoProvider.Platform })
            {
                foreach (string key in TestPki.KeyTypes)
                {
                    foreach (TlsVersion version in new[] { TlsVersion.Tls12, TlsVersion.Tls13 })
                    {
                        yield return new object[] { client, server, key, version };
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Handshake_and_data_work_with_every_provider_pairing(TlsCryptoProvider clientProvider, TlsCryptoProvider serverProvider, string keyType, TlsVersion version)
    {
        TlsClientOptions client = Engines.Client(seed: null);
        client.CryptoProvider = clientProvider;
        client.MaxVersion = version;
        client.ClientCertificate = TestPki.Credential("ecdsa-p384");
        TlsServerOptions server = Engines.Server(keyType, seed: null);
        server.CryptoProvider = serverProvider;
        server.ClientCertificateMode = TlsClientCertificateMode.Require;
        server.ClientCertificateTrustAnchors = TestPki.Roots;
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(clientProvider == TlsCryptoProvider.Platform, pair.Client.CryptoProviderName.StartsWith("platform"));
        pair.Client.Write(new byte[3000], out _);
        pair.Pump();
        Assert.Equal(TlsStatus.Ok, pair.Server.Read(new byte[4000], out int read));
        Assert.Equal(3000, read);
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsNamedGroup.Secp256r1)]
    [InlineData(TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsNamedGroup.Secp384r1)]
    [InlineData(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsNamedGroup.X25519)]
    public void Platform_and_managed_interoperate_on_every_suite_and_group(TlsCipherSuite suite, TlsNamedGroup group)
    {
        TlsClientOptions client = Engines.Client(seed: null);
        client.CryptoProvider = TlsCryptoProvider.Platform;
        client.KeyShareGroups = new List<TlsNamedGroup> { group };
        TlsServerOptions server = Engines.Server(seed: 4);
        server.CryptoProvider = TlsCryptoProvider.Managed;
        server.CipherSuites = new List<TlsCipherSuite> { suite };
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(group, pair.Server.Group);
        Assert.Equal(suite, pair.Server.CipherSuite);
    }

    [Fact]
    public void Seeded_random_selects_the_managed_provider_and_system_random_the_platform()
    {
        using var seeded = TlsConnection.CreateClient(Engines.Client(seed: 1));
        using var system = TlsConnection.CreateClient(Engines.Client(seed: null));
        Assert.StartsWith("managed", seeded.CryptoProviderName);
        Assert.StartsWith("platform", system.CryptoProviderName);
    }
}
