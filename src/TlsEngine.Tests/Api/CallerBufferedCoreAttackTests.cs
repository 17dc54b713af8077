using System.Security.Cryptography;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>The caller-buffered core under hostile use: aliasing between Send's input and output, exact sizes, hostile records.</summary>
public class CallerBufferedCoreAttackTests
{
    private static (CoreEnd Client, CoreEnd Server) Connected(TlsVersion version = TlsVersion.Tls13)
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = version;
        var ends = (new CoreEnd(TlsConnection.CreateClient(client)), new CoreEnd(TlsConnection.CreateServer(Engines.Server())));
        CoreEnd.Handshake(ends.Item1, ends.Item2);
        return ends;
    }

    private static byte[] Pattern(int length, int seed = 7) => Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    [Theory]
    [InlineData(TlsVersion.Tls13, 5, 20000)]
    [InlineData(TlsVersion.Tls12, 13, 20000)]
    [InlineData(TlsVersion.Tls13, 0, 40000)]
    [InlineData(TlsVersion.Tls13, 1, 40000)]
    [InlineData(TlsVersion.Tls13, 30, 40000)]
    [InlineData(TlsVersion.Tls12, 7, 40000)]
    public void Send_seals_several_records_of_plaintext_that_sits_in_the_output(TlsVersion version, int offset, int length)
    {
        (CoreEnd client, CoreEnd server) = Connected(version);
        byte[] data = Pattern(length);
        byte[] span = new byte[client.Connection.GetSendSize(length) + offset];
        data.CopyTo(span, offset);

        Assert.Equal(TlsStatus.Ok, client.Connection.Send(span.AsSpan(offset, length), span, out int consumed, out int written));
        Assert.Equal(length, consumed);
        server.Deliver(span.AsSpan(0, written));

        Assert.Equal(data, server.Received.ToArray());
    }

    [Fact]
    public void Send_with_pending_bytes_keeps_plaintext_that_sits_in_the_output()
    {
        (CoreEnd client, CoreEnd server) = Connected();
        client.Connection.RequestKeyUpdate(requestPeerUpdate: false);
        byte[] data = Pattern(1000);
        byte[] span = new byte[client.Connection.GetSendSize(data.Length)];
        data.CopyTo(span, 5);

        client.Connection.Send(span.AsSpan(5, data.Length), span, out int consumed, out int written);
        server.Deliver(span.AsSpan(0, written));
        server.Deliver(client.SendAll(span.AsSpan(5 + consumed, data.Length - consumed).ToArray()));

        Assert.Equal(data, server.Received.ToArray());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 40000)]
    [InlineData(1, 40000)]
    public void Send_size_covers_a_due_key_update_and_pending_bytes(ulong limit, int length)
    {
        (CoreEnd client, CoreEnd server) = Connected();
        client.Connection.RequestKeyUpdate(requestPeerUpdate: false);
        client.Connection.Context.Records.UsageLimitOverride = limit;
        byte[] data = Pattern(length);
        int size = client.Connection.GetSendSize(length);
        byte[] span = new byte[size];

        Assert.Equal(TlsStatus.Ok, client.Connection.Send(data, span, out int consumed, out int written));
        Assert.Equal(length, consumed);
        Assert.Equal(size, written);
        server.Deliver(span);
        Assert.Equal(data, server.Received.ToArray());
    }

    [Theory]
    [InlineData(50, 40000, 40050)]
    [InlineData(5, 40000, 40005)]
    [InlineData(5, 100, 60)]
    public void Send_into_too_small_a_span_never_overwrites_plaintext_it_has_not_taken(int offset, int length, int outputLength)
    {
        (CoreEnd client, CoreEnd server) = Connected();
        byte[] data = Pattern(length);
        byte[] span = new byte[Math.Max(outputLength, offset + length)];
        data.CopyTo(span, offset);

        client.Connection.Send(span.AsSpan(offset, length), span.AsSpan(0, outputLength), out int consumed, out int written);

        Assert.Equal(data.AsSpan(consumed).ToArray(), span.AsSpan(offset + consumed, length - consumed).ToArray());
        server.Deliver(span.AsSpan(0, written));
        server.Deliver(client.SendAll(data.AsSpan(consumed)));
        Assert.Equal(data, server.Received.ToArray());
    }

    [Fact]
    public void Send_seals_plaintext_that_starts_before_the_output()
    {
        (CoreEnd client, CoreEnd server) = Connected();
        byte[] data = Pattern(30000);
        byte[] span = new byte[client.Connection.GetSendSize(data.Length) + 10];
        data.CopyTo(span, 3);

        Assert.Equal(TlsStatus.Ok, client.Connection.Send(span.AsSpan(3, data.Length), span.AsSpan(10), out int consumed, out int written));
        Assert.Equal(data.Length, consumed);
        server.Deliver(span.AsSpan(10, written));
        Assert.Equal(data, server.Received.ToArray());
    }

    [Fact]
    public void Send_before_the_handshake_keeps_plaintext_that_sits_in_the_output()
    {
        TlsConnection client = TlsConnection.CreateClient(Engines.Client());
        byte[] data = Pattern(3000);
        byte[] span = new byte[4096];
        data.CopyTo(span, 5);

        client.Send(span.AsSpan(5, data.Length), span, out int consumed, out int written);

        Assert.Equal(0, consumed);
        Assert.True(written <= 5);
        Assert.Equal(data, span.AsSpan(5, data.Length).ToArray());
    }

    [Theory]
    [InlineData(TlsVersion.Tls12, 0)]
    [InlineData(TlsVersion.Tls12, 1)]
    [InlineData(TlsVersion.Tls12, 7)]
    [InlineData(TlsVersion.Tls12, 8)]
    [InlineData(TlsVersion.Tls12, 23)]
    [InlineData(TlsVersion.Tls12, 24)]
    [InlineData(TlsVersion.Tls13, 0)]
    [InlineData(TlsVersion.Tls13, 16)]
    [InlineData(TlsVersion.Tls13, 17)]
    public void Receive_fails_a_record_too_short_to_authenticate_with_bad_record_mac(TlsVersion version, int payloadLength)
    {
        (CoreEnd client, CoreEnd server) = Connected(version);
        byte[] record = new byte[] { 0x17, 0x03, 0x03, 0, (byte)payloadLength }.Concat(new byte[payloadLength]).ToArray();

        Assert.Equal(TlsStatus.Failed, server.Deliver(record));
        Assert.Equal(TlsFailureReason.BadRecordMac, server.Connection.LastError!.Reason);
        client.Deliver(server.TakeOutput());
        Assert.Equal(TlsFailureReason.PeerAlert, client.Connection.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.BadRecordMac, client.Connection.LastError!.Alert);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Receive_stops_at_the_first_data_record_of_many_and_reports_it_alone_consumed(TlsVersion version)
    {
        (CoreEnd client, CoreEnd server) = Connected(version);
        var wire = new List<byte>();
        for (int i = 0; i < 2000; i++)
        {
            wire.AddRange(client.SendAll(new[] { (byte)i }));
        }

        byte[] buffer = wire.ToArray();
        int recordLength = buffer.Length / 2000;
        int total = 0;
        for (int i = 0; i < 2000; i++)
        {
            Assert.Equal(TlsStatus.Ok, server.Connection.Receive(buffer.AsSpan(total), out int consumed, out Span<byte> plaintext));
            Assert.Equal(recordLength, consumed);
            Assert.Equal((byte)i, Assert.Single(plaintext.ToArray()));
            total += consumed;
        }

        Assert.Equal(TlsStatus.WantRead, server.Connection.Receive(buffer.AsSpan(total), out int none, out _));
        Assert.Equal(0, none);
    }

    [Fact]
    public void Receive_after_failure_or_close_consumes_nothing()
    {
        (CoreEnd client, CoreEnd server) = Connected();
        byte[] data = client.SendAll(Pattern(10));
        client.Connection.Shutdown();
        byte[] close = client.TakeOutput();
        byte[] after = Pattern(50);
        server.Deliver(data.Concat(close).ToArray());
        Assert.Equal(TlsStatus.Closed, server.LastStatus);
        Assert.Equal(TlsStatus.Closed, server.Connection.Receive(after, out int consumed, out Span<byte> plaintext));
        Assert.Equal(0, consumed);
        Assert.True(plaintext.IsEmpty);

        (CoreEnd c2, CoreEnd s2) = Connected();
        Assert.Equal(TlsStatus.Failed, s2.Deliver(new byte[] { 0x17, 0x03, 0x03, 0, 20 }.Concat(new byte[20]).ToArray()));
        byte[] good = c2.SendAll(Pattern(10));
        Assert.Equal(TlsStatus.Failed, s2.Connection.Receive(good, out consumed, out plaintext));
        Assert.Equal(0, consumed);
        Assert.True(plaintext.IsEmpty);
    }

    [Fact]
    public void Server_core_hands_accepted_early_data_back_through_receive_and_completes_the_handshake()
    {
        var cache = new TlsSessionCache();
        var keys = new TlsSessionTicketKeys(TlsRandom.FromSeed(99), new FixedTimeProvider(Engines.Now));
        TlsServerOptions ServerOptions(ulong seed)
        {
            TlsServerOptions options = Engines.Server(seed: seed);
            options.SessionTicketKeys = keys;
            options.MaxEarlyDataSize = 4096;
            return options;
        }

        TlsClientOptions first = Engines.Client(1);
        first.SessionCache = cache;
        using (TlsPair pair = Engines.Pair(first, ServerOptions(1001)))
        {
            Assert.True(pair.Handshake());
            pair.Client.Read(new byte[16], out _);
        }

        TlsClientOptions second = Engines.Client(2);
        second.SessionCache = cache;
        second.EarlyData = "GET /early"u8.ToArray();
        using var client = TlsConnection.CreateClient(second);
        using var server = new CoreEnd(TlsConnection.CreateServer(ServerOptions(1002)));
        client.Connect();

        server.Deliver(client.Outbound.ReadAll());
        Assert.Equal("GET /early"u8.ToArray(), server.Received.ToArray());
        Assert.Equal(TlsEarlyDataStatus.Accepted, server.Connection.EarlyDataStatus);
        client.Inbound.Write(server.TakeOutput());
        client.Connect();
        server.Deliver(client.Outbound.ReadAll());

        Assert.True(server.Connection.IsHandshakeComplete, server.Connection.LastError?.ToString());
        client.Write("after"u8, out _);
        server.Deliver(client.Outbound.ReadAll());
        Assert.Equal("GET /earlyafter"u8.ToArray(), server.Received.ToArray());
    }

    [Fact]
    public void Transmit_resumes_the_handshake_after_the_host_signs()
    {
        TlsServerOptions options = Engines.Server();
        options.Certificate = TlsCertificateCredential.FromPemChain(File.ReadAllText(TestPki.CertPath("ecdsa-p256")));
        options.DelegatePrivateKeyOperations = true;
        using var client = new CoreEnd(TlsConnection.CreateClient(Engines.Client()));
        using var server = new CoreEnd(TlsConnection.CreateServer(options));

        Assert.Equal(TlsStatus.WantPrivateKeyOperation, server.Deliver(client.TakeOutput()));
        TlsPrivateKeyOperation operation = server.Connection.PendingPrivateKeyOperation!;
        using (var ecdsa = ECDsa.Create())
        {
            ecdsa.ImportFromPem(File.ReadAllText(TestPki.KeyPath("ecdsa-p256")));
            server.Connection.CompletePrivateKeyOperation(ecdsa.SignData(operation.Data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        // The host's loop sends what Transmit gives and then waits for the peer: the whole flight must be there.
        client.Deliver(server.TakeOutput());
        Assert.Equal(TlsStatus.WantRead, server.LastStatus);
        Assert.True(client.Connection.IsHandshakeComplete, client.Connection.LastError?.ToString());
    }

    [Fact]
    public void Transmit_carries_the_alert_of_a_host_rejection_of_the_chain()
    {
        TlsClientOptions options = Engines.Client();
        options.DelegateCertificateValidation = true;
        using var client = new CoreEnd(TlsConnection.CreateClient(options));
        using var server = new CoreEnd(TlsConnection.CreateServer(Engines.Server()));
        server.Deliver(client.TakeOutput());
        Assert.Equal(TlsStatus.WantCertificateValidation, client.Deliver(server.TakeOutput()));

        client.Connection.CompleteCertificateValidation(accept: false, TlsAlertDescription.CertificateRevoked);
        byte[] alert = client.TakeOutput();

        Assert.Equal(TlsStatus.Failed, client.LastStatus);
        Assert.Equal(TlsAlertDescription.CertificateRevoked, client.Connection.LastError!.Alert);
        server.Deliver(alert);
        Assert.Equal(TlsFailureReason.PeerAlert, server.Connection.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.CertificateRevoked, server.Connection.LastError!.Alert);
    }

    [Fact]
    public void Send_size_refuses_a_length_whose_records_exceed_int_range_rather_than_overflow()
    {
        (CoreEnd client, _) = Connected();

        int large = int.MaxValue - (200000 * 22);
        Assert.Equal((long)large + (((large + 16383L) / 16384) * 22), client.Connection.GetSendSize(large));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.Connection.GetSendSize(int.MaxValue));
    }
}
