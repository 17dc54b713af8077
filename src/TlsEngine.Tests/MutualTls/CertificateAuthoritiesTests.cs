using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsEngine;
using TlsEngine.Handshake;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.MutualTls;

/// <summary>The certificate_authorities hint is sent only when every root's name fits its 2^16-1-byte vector.</summary>
public class CertificateAuthoritiesTests
{
    private static string SelfSignedPem(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }

    [Fact]
    public void Certificate_authorities_hint_names_the_configured_roots()
    {
        TlsServerOptions options = Engines.Server();
        options.ClientCertificateMode = TlsClientCertificateMode.Request;
        options.ClientCertificateTrustAnchors = TestPki.Roots;
        byte[]? authorities = ClientAuthentication.Authorities(OptionSnapshots.Server(options));
        Assert.NotNull(authorities);
        Assert.Equal(authorities!.Length - 2, (authorities[0] << 8) | authorities[1]);
    }

    [Fact]
    public void Certificate_authorities_hint_is_left_out_when_the_names_do_not_fit()
    {
        // Three roots whose names take about 25 KB each: more than the vector holds together.
        string pem = string.Concat(Enumerable.Range(0, 3).Select(i => SelfSignedPem($"CN=root {i}, O={new string('o', 25000)}")));
        TlsServerOptions options = Engines.Server();
        options.ClientCertificateMode = TlsClientCertificateMode.Request;
        options.ClientCertificateTrustAnchors = TlsTrustAnchors.FromPem(pem);
        Assert.Null(ClientAuthentication.Authorities(OptionSnapshots.Server(options)));

        // And the handshake goes on without it, in both versions.
        foreach (TlsVersion version in new[] { TlsVersion.Tls13, TlsVersion.Tls12 })
        {
            TlsClientOptions client = Engines.Client();
            client.MaxVersion = version;
            using TlsPair pair = Engines.Pair(client, options);
            Assert.True(pair.Handshake(), $"{version}: {pair.Client.LastError} {pair.Server.LastError}");
        }
    }
}
