using TlsEngine;
using TlsEngine.Crypto;
using TlsEngine.Fuzz;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.X509;

/// <summary>
/// Certificates under 1 KB whose DER lengths declare gigabytes (fuzz findings kept in the corpus)
/// are refused as malformed before any parser allocates what they declare.
/// </summary>
public class DeclaredLengthTests
{
    private const long AllocationBound = 1 << 20;

    private static string CorpusFile(string target, string name)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir != null && !Directory.Exists(Path.Combine(dir, "fuzz", "corpus")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? throw new DirectoryNotFoundException("fuzz/corpus"), "fuzz", "corpus", target, name);
    }

    private static byte[] HugeLengthCertificate => File.ReadAllBytes(CorpusFile("certificates", "finding-declared-length-1.4GB.bin"));

    private static byte[] HugeLengthServerFlight => File.ReadAllBytes(CorpusFile("client", "finding-certificate-declared-length-0.6GB.bin"));

    /// <summary>Runs the action twice (the first warms static tables) and returns what the second allocated.</summary>
    private static long AllocatedBy(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static TlsConnection FeedClient(byte[] flight)
    {
        // The corpus format: one byte of delivery chunk size (0: all at once), then the server's bytes.
        var client = TlsConnection.CreateClient(FuzzSetup.Client());
        client.DoHandshake();
        client.Outbound.ReadAll();
        client.Inbound.Write(flight.AsSpan(1));
        client.DoHandshake();
        return client;
    }

    [Fact]
    public void Client_refuses_a_server_certificate_declaring_gigabytes_without_allocating_them()
    {
        TlsConnection? client = null;
        long allocated = AllocatedBy(() =>
        {
            client?.Dispose();
            client = FeedClient(HugeLengthServerFlight);
        });

        using (client)
        {
            Assert.True(allocated < AllocationBound, $"allocated {allocated} bytes");
            Assert.Equal(TlsFailureReason.CertificateMalformed, client!.LastError!.Reason);
            Assert.Equal(TlsAlertDescription.BadCertificate, client.LastError.Alert);
            Assert.Equal((byte)TlsAlertDescription.BadCertificate, Wire.PlaintextAlert(client.Outbound.ReadAll()));
        }
    }

    [Fact]
    public void Client_refuses_the_certificates_finding_inside_a_tls12_flight_without_allocating_it()
    {
        // The ServerHello of the client finding, then a Certificate message holding the certificates finding.
        byte[] flight = HugeLengthServerFlight;
        int serverHelloEnd = 1 + 5 + ((flight[4] << 8) | flight[5]);
        byte[] der = HugeLengthCertificate;
        byte[] certificate = new byte[5 + 4 + 3 + 3 + der.Length];
        int body = 3 + 3 + der.Length;
        int[] header = { 0x16, 0x03, 0x03, (4 + body) >> 8, (4 + body) & 0xff, 0x0b, 0, body >> 8, body & 0xff, 0, (3 + der.Length) >> 8, (3 + der.Length) & 0xff, 0, der.Length >> 8, der.Length & 0xff };
        for (int i = 0; i < header.Length; i++)
        {
            certificate[i] = (byte)header[i];
        }

        der.CopyTo(certificate, header.Length);
        byte[] crafted = flight.AsSpan(0, serverHelloEnd).ToArray().Concat(certificate).ToArray();
        TlsConnection? client = null;
        long allocated = AllocatedBy(() =>
        {
            client?.Dispose();
            client = FeedClient(crafted);
        });

        using (client)
        {
            Assert.True(allocated < AllocationBound, $"allocated {allocated} bytes");
            Assert.Equal(TlsFailureReason.CertificateMalformed, client!.LastError!.Reason);
            Assert.Equal((byte)TlsAlertDescription.BadCertificate, Wire.PlaintextAlert(client.Outbound.ReadAll()));
        }
    }

    [Fact]
    public void Certificate_parsing_refuses_the_finding_without_allocating_the_declared_length()
    {
        byte[] der = HugeLengthCertificate;
        foreach (ICryptoProvider provider in Providers())
        {
            ICertificate? parsed = null;
            long allocated = AllocatedBy(() => parsed = provider.ParseCertificate(der));
            Assert.True(allocated < AllocationBound, $"{provider.Name} allocated {allocated} bytes");
            Assert.Null(parsed);
        }
    }

    [Fact]
    public void Pem_loading_refuses_the_finding_as_a_bad_argument()
    {
        string pem = "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(HugeLengthCertificate, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ArgumentException>(() => TlsTrustAnchors.FromPem(pem));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
    }

    private static IEnumerable<ICryptoProvider> Providers()
    {
        yield return CryptoProviders.Default;
        yield return TlsEngine.Crypto.Platform.PlatformCryptoProvider.Instance;
    }
}
