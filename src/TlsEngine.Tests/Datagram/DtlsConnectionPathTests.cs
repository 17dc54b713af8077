using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>DTLS connections through retries, client certificates, small MTUs, hostile datagrams, and DTLS 1.2.</summary>
public class DtlsConnectionPathTests
{
    private static readonly LinkProfile Lossy = new() { DropRate = 0.2, DuplicateRate = 0.1, ReorderRate = 0.2 };

    private static TlsDatagramOptions Patient() => new() { MaxRetransmissions = 12 };

    private static Func<ManualTimeProvider, TlsClientOptions> Client(Action<TlsClientOptions> change) => clock =>
    {
        TlsClientOptions options = DtlsRun.DefaultClient(clock);
        change(options);
        return options;
    };

    private static Func<ManualTimeProvider, TlsServerOptions> Server(Action<TlsServerOptions> change) => clock =>
    {
        TlsServerOptions options = DtlsRun.DefaultServer(clock);
        change(options);
        return options;
    };

    [Fact]
    public void Mutual_authentication_completes_over_datagrams()
    {
        using var run = new DtlsRun(3, Lossy,
            Client(o => o.ClientCertificate = TestPki.Credential("ecdsa-p256")),
            Server(o =>
            {
                o.ClientCertificateMode = TlsClientCertificateMode.Require;
                o.ClientCertificateTrustAnchors = TestPki.Roots;
            }),
            Patient(), Patient());

        Assert.True(run.Handshake(TimeSpan.FromHours(1)), $"{run.Client.LastError} / {run.Server.LastError}");

        DtlsConnectionTests.AssertConnected(run);
    }

    [Fact]
    public void Group_mismatch_is_resolved_by_a_hello_retry_request()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect, server: Server(o => o.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 }),
            serverDatagram: new TlsDatagramOptions { ValidatePeerAddress = false });

        Assert.True(run.Handshake());

        DtlsConnectionTests.AssertConnected(run);
        Assert.True(run.Server.HelloRetryRequested);
        Assert.Equal(TlsNamedGroup.Secp256r1, run.Client.NegotiatedGroup);
        DtlsConnectionTests.ExchangeMessages(run, 1);
    }

    [Fact]
    public void Second_client_hello_is_accepted_by_a_fresh_server_sharing_the_cookie_key()
    {
        var shared = new TlsDatagramOptions { CookieKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray() };
        using var run = new DtlsRun(1, LinkProfile.Perfect, serverDatagram: shared);
        run.Client.Connect();
        run.RunUntil(() => run.ServerSent.Count == 1, TimeSpan.FromMilliseconds(50));
        Assert.False(run.Server.IsHandshakeComplete);
        Assert.Null(run.Server.NextTimeout); // stateless: the HelloRetryRequest is not retransmitted on a timer

        run.ReplaceServer();
        Assert.True(run.Handshake());

        DtlsConnectionTests.AssertConnected(run);
        Assert.True(run.Server.HelloRetryRequested);
        DtlsConnectionTests.ExchangeMessages(run, 1);
    }

    [Fact]
    public void Second_client_hello_is_refused_by_a_server_with_another_cookie_key()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        run.Client.Connect();
        foreach (byte[] datagram in run.Take(run.Client))
        {
            run.Server.ReceiveDatagram(datagram);
        }

        foreach (byte[] datagram in run.Take(run.Server))
        {
            run.Client.ReceiveDatagram(datagram);
        }

        // Another options instance without a CookieKey has its own random key.
        using DtlsConnection other = DtlsConnection.CreateServer(run.ServerOptions, new TlsDatagramOptions(), DtlsRun.Address);
        other.Accept();
        TlsStatus status = TlsStatus.WantRead;
        foreach (byte[] datagram in run.Take(run.Client))
        {
            status = other.ReceiveDatagram(datagram);
        }

        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(TlsFailureReason.InvalidCookie, other.LastError!.Reason);
        Assert.True(other.LastError.AlertSent);
        Assert.Equal(1, other.PendingDatagrams);
    }

    [Fact]
    public void Small_mtu_fragments_the_certificate_flight_and_every_datagram_fits()
    {
        using var run = new DtlsRun(7, new LinkProfile { DropRate = 0.1, ReorderRate = 0.2 }, server: Server(o => o.Certificate = TestPki.Credential("rsa2048")),
            clientDatagram: new TlsDatagramOptions { Mtu = 300, MaxRetransmissions = 12 }, serverDatagram: new TlsDatagramOptions { Mtu = 300, MaxRetransmissions = 12 });

        Assert.True(run.Handshake(TimeSpan.FromHours(1)), $"{run.Client.LastError} / {run.Server.LastError}");

        DtlsConnectionTests.AssertConnected(run);
        Assert.All(run.ClientSent.Concat(run.ServerSent), d => Assert.True(d.Length <= 300, $"{d.Length}"));
        Assert.True(run.ServerSent.Count >= 6, "a certificate flight of over a kilobyte takes several datagrams");
        Assert.Equal(300 - 22, run.Client.MaxMessageSize);
        Assert.Throws<ArgumentException>(() => run.Client.Send(new byte[run.Client.MaxMessageSize + 1]));
    }

    [Fact]
    public void Garbage_replayed_truncated_and_tampered_datagrams_are_dropped_and_counted()
    {
        var random = new Random(5);
        int tampered = 0;
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        run.Inject = (at, datagram) =>
        {
            byte[] garbage = new byte[40];
            random.NextBytes(garbage);
            garbage[0] = 0xFF;
            byte[] truncated = datagram.AsSpan(0, Math.Max(1, datagram.Length / 2)).ToArray();
            return new[] { datagram, garbage, truncated };
        };
        run.Tamper = (from, datagram) =>
        {
            // Flip a ciphertext bit in protected (unified header) records once: the AEAD refuses it, the flight is resent.
            if ((datagram[0] & 0xE0) == 0x20 && tampered++ == 0)
            {
                byte[] copy = (byte[])datagram.Clone();
                copy[copy.Length - 1] ^= 1;
                return copy;
            }

            return datagram;
        };

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");

        DtlsConnectionTests.AssertConnected(run);
        Assert.True(run.Client.DroppedRecords + run.Server.DroppedRecords >= 10, $"{run.Client.DroppedRecords} + {run.Server.DroppedRecords}");
        run.Inject = null;
        run.Tamper = null;
        DtlsConnectionTests.ExchangeMessages(run, 2);
    }

    [Fact]
    public void Replayed_application_record_is_delivered_once()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        Assert.True(run.Handshake());
        run.Client.Send(new byte[] { 1, 2, 3 });
        byte[] record = run.Take(run.Client).Single();
        long dropped = run.Server.DroppedRecords;

        run.Server.ReceiveDatagram(record);
        run.Server.ReceiveDatagram(record);

        Assert.Equal(1, run.Server.PendingMessages);
        Assert.Equal(dropped + 1, run.Server.DroppedRecords);
    }

    [Fact]
    public void Plaintext_alert_after_keys_is_dropped_and_a_protected_fatal_alert_ends_the_connection()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        Assert.True(run.Handshake());
        long dropped = run.Client.DroppedRecords;

        // DTLSPlaintext epoch 0: alert(21), 0xFEFD, epoch 0, seq 99, length 2, fatal handshake_failure.
        run.Client.ReceiveDatagram(new byte[] { 21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 99, 0, 2, 2, 40 });
        Assert.True(run.Client.IsHandshakeComplete);
        Assert.Null(run.Client.LastError);
        Assert.Equal(dropped + 1, run.Client.DroppedRecords);

        Assert.Equal(TlsStatus.WantWrite, run.Server.Close());
        foreach (byte[] datagram in run.Take(run.Server))
        {
            Assert.Equal(TlsStatus.Closed, run.Client.ReceiveDatagram(datagram));
        }
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0.0, 1)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 0.0, 2)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0.2, 3)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 0.3, 4)]
    public void Dtls12_handshake_with_hello_verify_request_completes(TlsCipherSuite suite, double loss, int seed)
    {
        var profile = new LinkProfile { DropRate = loss, DuplicateRate = loss / 2, ReorderRate = loss };
        using var run = new DtlsRun(seed, profile, Client(o =>
        {
            o.MaxVersion = TlsVersion.Tls12;
            o.CipherSuites = new List<TlsCipherSuite> { suite };
        }), clientDatagram: Patient(), serverDatagram: Patient());

        Assert.True(run.Handshake(TimeSpan.FromHours(1)), $"{run.Client.LastError} / {run.Server.LastError}");

        DtlsConnectionTests.AssertConnected(run, TlsVersion.Tls12);
        Assert.Equal(suite, run.Client.CipherSuite);
        Assert.True(run.Server.HelloRetryRequested || run.ServerSent.Count > 0);
        DtlsConnectionTests.ExchangeMessages(run, 3);
    }

    [Fact]
    public void Dtls12_server_answers_a_client_hello_without_cookie_with_a_hello_verify_request()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect, Client(o => o.MaxVersion = TlsVersion.Tls12));
        run.Client.Connect();
        run.RunUntil(() => run.ServerSent.Count == 1, TimeSpan.FromMilliseconds(50));

        byte[] hvr = run.ServerSent[0];
        Assert.Equal(22, hvr[0]);
        Assert.Equal(3, hvr[13]); // hello_verify_request
        Assert.Null(run.Server.NextTimeout);

        Assert.True(run.Handshake());
        DtlsConnectionTests.AssertConnected(run, TlsVersion.Tls12);
    }

    [Theory]
    [InlineData("EarlyData")]
    [InlineData("DelegateCertificateValidation")]
    public void Client_options_that_cannot_work_over_datagrams_are_refused(string option)
    {
        TlsClientOptions options = Engines.Client();
        switch (option)
        {
            case "EarlyData": options.EarlyData = new byte[] { 1 }; break;
            default: options.DelegateCertificateValidation = true; break;
        }

        ArgumentException refused = Assert.ThrowsAny<ArgumentException>(() => DtlsConnection.CreateClient(options));
        Assert.Equal(option, refused.ParamName);
    }

    [Fact]
    public void Mtu_below_the_minimum_is_refused()
    {
        ArgumentException refused = Assert.ThrowsAny<ArgumentException>(() => DtlsConnection.CreateClient(Engines.Client(), new TlsDatagramOptions { Mtu = 255 }));
        Assert.Equal(nameof(TlsDatagramOptions.Mtu), refused.ParamName);
    }
}
