using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>
/// The caller-buffered core: handshakes and data through Receive, Send and Transmit alone, with the
/// host owning every buffer; plaintext decrypted in place; records sealed straight into the host's span.
/// </summary>
public class CallerBufferedCoreTests
{
    private static (CoreEnd Client, CoreEnd Server) Ends(TlsVersion version = TlsVersion.Tls13, TlsCryptoProvider provider = TlsCryptoProvider.Auto)
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = version;
        client.CryptoProvider = provider;
        TlsServerOptions server = Engines.Server();
        server.CryptoProvider = provider;
        return (new CoreEnd(TlsConnection.CreateClient(client)), new CoreEnd(TlsConnection.CreateServer(server)));
    }

    private static byte[] Pattern(int length, int seed = 7) => Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    [Theory]
    [InlineData(TlsVersion.Tls13, TlsCryptoProvider.Managed)]
    [InlineData(TlsVersion.Tls13, TlsCryptoProvider.Platform)]
    [InlineData(TlsVersion.Tls12, TlsCryptoProvider.Managed)]
    [InlineData(TlsVersion.Tls12, TlsCryptoProvider.Platform)]
    public void Core_alone_runs_a_handshake_and_decrypts_data_in_the_hosts_buffer(TlsVersion version, TlsCryptoProvider provider)
    {
        (CoreEnd client, CoreEnd server) = Ends(version, provider);
        CoreEnd.Handshake(client, server);
        Assert.Equal(version, client.Connection.Version);

        byte[] request = Pattern(40000);
        server.Deliver(client.SendAll(request));
        byte[] reply = Pattern(70000, 3);
        client.Deliver(server.SendAll(reply));

        Assert.Equal(request, server.Received);
        Assert.Equal(reply, client.Received);
        Assert.True(server.AllPlaintextInPlace && client.AllPlaintextInPlace, "plaintext was not a slice of the receive buffer");
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Core_accepts_input_one_byte_at_a_time(TlsVersion version)
    {
        (CoreEnd client, CoreEnd server) = Ends(version);
        CoreEnd.Handshake(client, server, chunk: 1);
        byte[] wire = client.SendAll(Pattern(5000));
        foreach (byte b in wire)
        {
            server.Deliver(new[] { b });
        }

        Assert.Equal(Pattern(5000), server.Received);
    }

    [Fact]
    public void Core_transcript_matches_the_buffer_pair_byte_for_byte()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        var coreWire = new List<byte>();
        for (int round = 0; round < 10; round++)
        {
            byte[] fromClient = client.TakeOutput();
            server.Deliver(fromClient);
            byte[] fromServer = server.TakeOutput();
            client.Deliver(fromServer);
            coreWire.AddRange(fromClient.Concat(fromServer));
        }

        TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        var pairWire = new List<byte>();
        for (int round = 0; round < 10; round++)
        {
            pair.Client.Connect();
            byte[] fromClient = pair.Client.Outbound.ReadAll();
            pair.Server.Inbound.Write(fromClient);
            pair.Server.Accept();
            byte[] fromServer = pair.Server.Outbound.ReadAll();
            pair.Client.Inbound.Write(fromServer);
            pair.Client.Read(new byte[100], out _);
            pairWire.AddRange(fromClient.Concat(fromServer));
        }

        Assert.True(client.Connection.IsHandshakeComplete && pair.Client.IsHandshakeComplete && pair.Server.IsHandshakeComplete);
        Assert.Equal(pairWire.Count, coreWire.Count);
        Assert.Equal(pairWire, coreWire);
    }

    [Fact]
    public void Send_fragments_to_fit_a_small_span_and_reports_want_write()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        CoreEnd.Handshake(client, server);
        byte[] data = Pattern(3000);
        byte[] span = new byte[1000];

        Assert.Equal(TlsStatus.WantWrite, client.Connection.Send(data, span, out int consumed, out int written));
        // TLS 1.3 with AES-GCM: a 5-byte header, the inner type byte and a 16-byte tag around the content.
        Assert.Equal(1000 - 22, consumed);
        Assert.Equal(1000, written);
        server.Deliver(span.AsSpan(0, written));
        server.Deliver(client.SendAll(data.AsSpan(consumed), spanSize: 1000));

        Assert.Equal(data, server.Received);
    }

    [Fact]
    public void Send_into_a_span_too_small_for_any_record_takes_nothing()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        CoreEnd.Handshake(client, server);
        byte[] span = new byte[22];

        Assert.Equal(TlsStatus.WantWrite, client.Connection.Send(new byte[] { 1, 2, 3 }, span, out int consumed, out int written));
        Assert.Equal(0, consumed);
        Assert.Equal(0, written);
        Assert.Equal(3 + 22, client.Connection.GetSendSize(3));
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, 1)]
    [InlineData(TlsVersion.Tls13, 16384)]
    [InlineData(TlsVersion.Tls13, 50000)]
    [InlineData(TlsVersion.Tls12, 16385)]
    public void Send_size_is_exactly_the_room_one_send_needs(TlsVersion version, int length)
    {
        (CoreEnd client, CoreEnd server) = Ends(version);
        CoreEnd.Handshake(client, server);
        byte[] data = Pattern(length);
        int size = client.Connection.GetSendSize(length);
        byte[] span = new byte[size];

        Assert.Equal(TlsStatus.Ok, client.Connection.Send(data, span, out int consumed, out int written));
        Assert.Equal(length, consumed);
        Assert.Equal(size, written);
        server.Deliver(span);
        Assert.Equal(data, server.Received);
    }

    [Fact]
    public void Send_seals_plaintext_that_already_sits_in_the_output_span()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        CoreEnd.Handshake(client, server);
        byte[] data = Pattern(1200);
        byte[] span = new byte[client.Connection.GetSendSize(data.Length)];
        data.CopyTo(span, 5);

        Assert.Equal(TlsStatus.Ok, client.Connection.Send(span.AsSpan(5, data.Length), span, out int consumed, out int written));
        Assert.Equal(data.Length, consumed);
        server.Deliver(span.AsSpan(0, written));

        Assert.Equal(data, server.Received);
    }

    [Fact]
    public void Send_before_the_handshake_takes_nothing_and_hands_over_the_client_hello()
    {
        (CoreEnd client, _) = Ends();
        byte[] span = new byte[4096];

        TlsStatus status = client.Connection.Send(new byte[] { 1 }, span, out int consumed, out int written);

        Assert.Equal(TlsStatus.WantRead, status);
        Assert.Equal(0, consumed);
        Assert.True(written > 0);
        Assert.Equal(0x16, span[0]);
    }

    [Fact]
    public void Receive_failure_leaves_the_alert_for_transmit()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        CoreEnd.Handshake(client, server);
        byte[] garbage = { 0x17, 0x03, 0x03, 0x00, 0x20 };
        byte[] record = garbage.Concat(new byte[0x20]).ToArray();

        Assert.Equal(TlsStatus.Failed, server.Deliver(record));
        Assert.Equal(TlsFailureReason.BadRecordMac, server.Connection.LastError!.Reason);
        Assert.True(server.Connection.PendingTransmit > 0);
        byte[] alert = server.TakeOutput();
        Assert.Equal(TlsStatus.Failed, server.LastStatus);
        Assert.Equal(0x17, alert[0]);
        client.Deliver(alert);
        Assert.Equal(TlsStatus.Failed, client.LastStatus);
        Assert.Equal(TlsAlertDescription.BadRecordMac, client.Connection.LastError!.Alert);
    }

    [Fact]
    public void Receive_reports_closed_after_the_peers_close_notify_and_keeps_data_before_it()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        CoreEnd.Handshake(client, server);
        byte[] data = client.SendAll(Pattern(100));
        Assert.Equal(TlsStatus.WantWrite, client.Connection.Shutdown());
        byte[] close = client.TakeOutput();

        server.Deliver(data.Concat(close).ToArray());

        Assert.Equal(TlsStatus.Closed, server.LastStatus);
        Assert.Equal(Pattern(100), server.Received);
    }

    [Fact]
    public void Automatic_key_update_goes_out_ahead_of_the_record_it_protects()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        CoreEnd.Handshake(client, server);
        client.Connection.Context.Records.UsageLimitOverride = 3;
        byte[] data = Pattern(16384 * 8);

        server.Deliver(client.SendAll(data, spanSize: 20000));

        Assert.Equal(data, server.Received);
        Assert.NotEqual(TlsStatus.Failed, server.LastStatus);
    }

    [Fact]
    public void A_peer_key_update_request_is_answered_through_transmit()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        CoreEnd.Handshake(client, server);
        Assert.Equal(TlsStatus.WantWrite, client.Connection.RequestKeyUpdate(requestPeerUpdate: true));

        Assert.Equal(TlsStatus.WantWrite, server.Deliver(client.TakeOutput()));
        client.Deliver(server.TakeOutput());
        client.Deliver(server.SendAll(Pattern(10)));

        Assert.Equal(Pattern(10), client.Received);
    }

    [Fact]
    public void Steady_state_records_allocate_nothing_with_the_platform_provider()
    {
        (CoreEnd client, CoreEnd server) = Ends(provider: TlsCryptoProvider.Platform);
        CoreEnd.Handshake(client, server);
        byte[] data = Pattern(16384);
        byte[] wire = new byte[client.Connection.GetSendSize(data.Length)];
        int received = 0;
        void OneRecord()
        {
            client.Connection.Send(data, wire, out _, out int written);
            Span<byte> span = wire.AsSpan(0, written);
            server.Connection.Receive(span, out _, out Span<byte> plaintext);
            received += plaintext.Length;
        }

        for (int i = 0; i < 2000; i++)
        {
            OneRecord();
        }

        // A round can catch a one-off runtime allocation (tiering, a timer); a per-record one shows in every round.
        long fewest = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 500; i++)
            {
                OneRecord();
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(3500 * 16384, received);
        Assert.Equal(0, fewest);
    }

    [Fact]
    public void Receive_refuses_a_connection_whose_inbound_queue_holds_bytes()
    {
        (CoreEnd client, CoreEnd server) = Ends();
        CoreEnd.Handshake(client, server);
        server.Connection.Inbound.Write(client.SendAll(Pattern(10)));

        Assert.Throws<InvalidOperationException>(() => server.Connection.Receive(new byte[10], out _, out _));
    }
}
