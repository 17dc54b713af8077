using TlsEngine;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Records;

/// <summary>
/// Records and sequences a hostile peer or an on-path attacker sends, held against the record
/// policy: alerts after HelloRetryRequest, nothing after close_notify, the automatic KeyUpdate and
/// Outbound's capacity, the 0-RTT skip allowance, inner content types and key-change alignment.
/// </summary>
public class RecordReviewTests
{
    private readonly TlsSessionCache _cache = new();
    private readonly TlsSessionTicketKeys _keys = new(TlsRandom.FromSeed(17), new FixedTimeProvider(Engines.Now));

    private static TlsPair Connected(TlsVersion version = TlsVersion.Tls13) => Engines.Connected(version);

    private static byte[] Record(byte type, params byte[] payload) =>
        Wire.Record(type, payload);

    /// <summary>Client and server up to the point where the server has sent HelloRetryRequest (and the client answered it).</summary>
    private static TlsPair AfterHelloRetryRequest(bool clientAnswered)
    {
        TlsServerOptions server = Engines.Server();
        server.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 };
        TlsPair pair = Engines.Pair(Engines.Client(), server);
        pair.Client.Connect();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        Assert.Equal(TlsStatus.WantWrite, pair.Server.Accept());
        byte[] retry = pair.Server.Outbound.ReadAll();
        if (clientAnswered)
        {
            pair.Client.Inbound.Write(retry);
            Assert.Equal(TlsStatus.WantWrite, pair.Client.Connect());
            Assert.True(pair.Client.HelloRetryRequested);
        }

        return pair;
    }

    // RFC 8446 §4.1.4 and §4.2.1: HelloRetryRequest carries supported_versions, so TLS 1.3 is negotiated
    // from there on; RFC 8446 §6: the level is ignored and every alert but close_notify and user_canceled is fatal.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Client_after_hello_retry_request_applies_tls13_alert_rules(byte level)
    {
        using TlsPair pair = AfterHelloRetryRequest(clientAnswered: true);
        pair.Client.Outbound.ReadAll();
        pair.Client.Inbound.Write(Record(0x15, level, (byte)TlsAlertDescription.HandshakeFailure));
        Assert.Equal(TlsStatus.Failed, pair.Client.Connect());
        Assert.Equal(TlsFailureReason.PeerAlert, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, pair.Client.LastError.Alert);
        Assert.Equal(0, pair.Client.Outbound.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Server_after_hello_retry_request_applies_tls13_alert_rules(byte level)
    {
        using TlsPair pair = AfterHelloRetryRequest(clientAnswered: false);
        pair.Server.Inbound.Write(Record(0x15, level, (byte)TlsAlertDescription.HandshakeFailure));
        Assert.Equal(TlsStatus.Failed, pair.Server.Accept());
        Assert.Equal(TlsFailureReason.PeerAlert, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, pair.Server.LastError.Alert);
        Assert.Equal(0, pair.Server.Outbound.Length);
    }

    [Fact]
    public void Server_after_hello_retry_request_refuses_a_second_change_cipher_spec()
    {
        using TlsPair pair = AfterHelloRetryRequest(clientAnswered: true);
        // The client's second flight carries its one compatibility change_cipher_spec.
        byte[] second = pair.Client.Outbound.ReadAll();
        Assert.Contains(Wire.Records(second), r => r.Type == 0x14);
        pair.Server.Inbound.Write(second);
        pair.Server.Inbound.Write(Record(0x14, 1));
        Assert.Equal(TlsStatus.Failed, pair.Server.Accept());
        Assert.Equal(TlsFailureReason.UnexpectedChangeCipherSpec, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, pair.Server.LastError.Alert);
    }

    // RFC 8446 §6.1: close_notify means the sender will not send any more messages on this connection.
    [Fact]
    public void Update_requested_after_our_close_notify_is_not_answered_with_a_key_update()
    {
        using TlsPair pair = Connected();
        Assert.Equal(TlsStatus.WantWrite, pair.Client.Shutdown());
        pair.Client.Outbound.ReadAll();
        Assert.Equal(TlsStatus.WantWrite, pair.Server.RequestKeyUpdate(requestPeerUpdate: true));
        pair.Server.Write("after"u8, out _);
        pair.Pump();
        var buffer = new byte[64];
        Assert.Equal(TlsStatus.Ok, pair.Client.Read(buffer, out int read));
        Assert.Equal("after"u8.ToArray(), buffer[..read]);
        Assert.Equal(0, pair.Client.Outbound.Length);
        Assert.Null(pair.Client.LastError);
    }

    [Fact]
    public void No_alert_follows_our_close_notify_when_the_peer_then_misbehaves()
    {
        using TlsPair pair = Connected();
        pair.Client.Shutdown();
        pair.Client.Outbound.ReadAll();
        pair.Client.Inbound.Write(Record(0x15, 1, 0));
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[16], out _));
        Assert.Equal(TlsFailureReason.UnprotectedRecordUnderKeys, pair.Client.LastError!.Reason);
        Assert.False(pair.Client.LastError.AlertSent);
        Assert.Equal(0, pair.Client.Outbound.Length);
    }

    // RFC 8446 §5.5: the KeyUpdate the engine sends on its own is part of what Write produces; it must fit.
    [Fact]
    public void Automatic_key_update_does_not_push_outbound_past_its_capacity()
    {
        using TlsPair pair = Connected();
        pair.Client.Outbound.ReadAll();
        pair.Client.Context.Records.UsageLimitOverride = 1;
        var data = new byte[pair.Client.Outbound.Capacity];
        new Random(3).NextBytes(data);
        Assert.Equal(TlsStatus.Ok, pair.Client.Write(data, out int written));
        Assert.True(written > 0);
        Assert.InRange(pair.Client.Outbound.Length, 1, pair.Client.Outbound.Capacity);
        Assert.True(pair.Client.Outbound.Available >= 0);
        Assert.Contains(Wire.Records(pair.Client.Outbound.Peek().ToArray()), r => r.Payload.Length == 5 + 1 + 16);

        pair.Pump();
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (pair.Server.Read(buffer, out int read) == TlsStatus.Ok)
        {
            received.AddRange(buffer[..read]);
        }

        Assert.Null(pair.Server.LastError);
        Assert.Equal(data[..written], received.ToArray());
    }

    [Fact]
    public void Tls12_never_sends_a_key_update_when_a_write_key_reaches_its_usage_limit()
    {
        using TlsPair pair = Connected(TlsVersion.Tls12);
        pair.Client.Outbound.ReadAll();
        pair.Client.Context.Records.UsageLimitOverride = 1;
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(TlsStatus.Ok, pair.Client.Write(new[] { (byte)i }, out _));
        }

        var records = Wire.Records(pair.Client.Outbound.Peek().ToArray());
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(0x17, r.Type));
        pair.Pump();
        var received = new List<byte>();
        var buffer = new byte[16];
        while (pair.Server.Read(buffer, out int read) == TlsStatus.Ok)
        {
            received.AddRange(buffer[..read]);
        }

        Assert.Null(pair.Server.LastError);
        Assert.Equal(new byte[] { 0, 1, 2 }, received);
    }

    private void GetTicket(uint maxEarlyDataSize)
    {
        TlsClientOptions client = Engines.Client(1);
        client.SessionCache = _cache;
        TlsServerOptions server = Engines.Server(seed: 101);
        server.SessionTicketKeys = _keys;
        server.MaxEarlyDataSize = maxEarlyDataSize;
        using TlsPair first = Engines.Pair(client, server);
        Assert.True(first.Handshake());
        Assert.Equal(TlsStatus.WantRead, first.Client.Read(new byte[16], out _));
        Assert.NotEmpty(first.Client.SessionTickets);
    }

    // RFC 8446 §4.2.10: a server that declines 0-RTT skips up to max_early_data_size bytes of early data;
    // records carry a header, the inner type and the tag on top, which must not eat into that allowance.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Server_declining_0rtt_skips_a_full_max_early_data_size_sent_in_full_records(bool helloRetry)
    {
        const uint max = 1 << 20;
        GetTicket(max);
        TlsClientOptions client = Engines.Client(2);
        client.SessionCache = _cache;
        client.EarlyData = new byte[max];
        client.OutboundCapacity = 2 * (int)max;
        TlsServerOptions server = Engines.Server(seed: 102);
        server.MaxEarlyDataSize = max;
        if (helloRetry)
        {
            server.SessionTicketKeys = _keys;
            server.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 };
        }
        else
        {
            // Keys that cannot open the ticket: a full handshake that declines the early data.
            server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(18), new FixedTimeProvider(Engines.Now));
        }

        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsEarlyDataStatus.Rejected, pair.Client.EarlyDataStatus);
        Assert.Equal(helloRetry, pair.Client.HelloRetryRequested);
    }

    [Fact]
    public void Server_with_accepted_0rtt_refuses_early_data_inside_a_fragmented_handshake_message()
    {
        GetTicket(4096);
        TlsClientOptions client = Engines.Client(3);
        client.SessionCache = _cache;
        client.EarlyData = "early"u8.ToArray();
        TlsServerOptions server = Engines.Server(seed: 103);
        server.SessionTicketKeys = _keys;
        server.MaxEarlyDataSize = 4096;
        using TlsPair pair = Engines.Pair(client, server);
        pair.Client.Connect();
        // Still under client_early_traffic_secret: half an EndOfEarlyData header, then more early data.
        pair.Client.WriteRawRecord(ContentType.Handshake, new byte[] { 5, 0 });
        pair.Client.WriteRawRecord(ContentType.ApplicationData, "more"u8);
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        Assert.Equal(TlsStatus.Failed, pair.Server.Accept());
        Assert.Equal(TlsEarlyDataStatus.Accepted, pair.Server.EarlyDataStatus);
        Assert.Equal(TlsFailureReason.InterleavedContentType, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, pair.Server.LastError.Alert);
    }

    // RFC 8446 §5.4: a TLSInnerPlaintext of zeros only has no content type.
    [Fact]
    public void All_zero_inner_plaintext_is_refused_as_missing_its_content_type()
    {
        using TlsPair pair = Connected();
        pair.Server.WriteRawRecord(0, new byte[3]);
        pair.Pump();
        RecordAttackTests.AssertRefused(pair.Client, pair.Server, TlsFailureReason.MissingInnerContentType, TlsAlertDescription.UnexpectedMessage);
    }

    // RFC 8446 §5: an unknown record type is the same failure whether it travels in the clear or inside protection.
    [Theory]
    [InlineData(24)]
    [InlineData(99)]
    public void Unknown_inner_content_type_is_refused_as_an_unknown_content_type(byte type)
    {
        using TlsPair pair = Connected();
        pair.Server.WriteRawRecord((ContentType)type, "x"u8);
        pair.Pump();
        RecordAttackTests.AssertRefused(pair.Client, pair.Server, TlsFailureReason.UnknownContentType, TlsAlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Protected_change_cipher_spec_is_refused_in_tls13()
    {
        using TlsPair pair = Connected();
        pair.Server.Context.Records.WriteProtection!.Seal(ContentType.ChangeCipherSpec, new byte[] { 1 }, pair.Server.Outbound);
        pair.Pump();
        RecordAttackTests.AssertRefused(pair.Client, pair.Server, TlsFailureReason.UnexpectedChangeCipherSpec, TlsAlertDescription.UnexpectedMessage);
    }

    // RFC 8446 §5.1: messages before a key change must end at a record boundary; a complete message
    // sharing ServerHello's plaintext record would otherwise be read as if it had been protected.
    [Fact]
    public void Client_refuses_a_handshake_message_that_shares_server_hellos_plaintext_record()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.Client.Connect();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        pair.Server.Accept();
        (byte type, byte[] serverHello) = Wire.Records(pair.Server.Outbound.ReadAll())[0];
        Assert.Equal(0x16, type);
        // A complete, empty EncryptedExtensions appended to ServerHello in the clear.
        pair.Client.Inbound.Write(Record(0x16, serverHello.Concat(new byte[] { 8, 0, 0, 2, 0, 0 }).ToArray()));
        Assert.Equal(TlsStatus.Failed, pair.Client.Connect());
        Assert.Equal(TlsFailureReason.HandshakeMessageSpansKeyChange, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, pair.Client.LastError.Alert);
    }

    // RFC 8446 §6.1: user_canceled should be followed by close_notify, which then closes cleanly.
    [Fact]
    public void User_canceled_then_close_notify_is_a_clean_close_in_tls13()
    {
        using TlsPair pair = Connected();
        pair.Server.WriteRawRecord(ContentType.Alert, new byte[] { 2, (byte)TlsAlertDescription.UserCanceled });
        pair.Server.Write("bye"u8, out _);
        Assert.Equal(TlsStatus.WantWrite, pair.Server.Shutdown());
        pair.Pump();
        var buffer = new byte[16];
        Assert.Equal(TlsStatus.Ok, pair.Client.Read(buffer, out int read));
        Assert.Equal("bye"u8.ToArray(), buffer[..read]);
        Assert.Equal(TlsStatus.Closed, pair.Client.Read(buffer, out _));
        Assert.Null(pair.Client.LastError);
    }

    // RFC 5246 §7.2: warnings do not end a TLS 1.2 connection; the bound is on warnings in a row only.
    [Fact]
    public void Tls12_warning_alert_count_starts_again_after_other_records()
    {
        using TlsPair pair = Connected(TlsVersion.Tls12);
        var buffer = new byte[16];
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 4; i++)
            {
                pair.Server.WriteRawRecord(ContentType.Alert, new byte[] { 1, (byte)TlsAlertDescription.UnrecognizedName });
            }

            pair.Server.Write(new[] { (byte)round }, out _);
            pair.Pump();
            Assert.Equal(TlsStatus.Ok, pair.Client.Read(buffer, out int read));
            Assert.Equal(new[] { (byte)round }, buffer[..read]);
        }

        Assert.Null(pair.Client.LastError);
    }
    // The early traffic secret has done its work once the 0-RTT record keys exist; keeping it until
    // the connection is disposed would outlive the keys it protected.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Early_traffic_secret_is_zeroed_once_its_record_keys_exist(bool server)
    {
        GetTicket(4096);
        var clientLog = new List<string>();
        var serverLog = new List<string>();
        TlsClientOptions client = Engines.Client(4);
        client.SessionCache = _cache;
        client.EarlyData = "early"u8.ToArray();
        client.KeyLog = clientLog.Add;
        TlsServerOptions serverOptions = Engines.Server(seed: 104);
        serverOptions.SessionTicketKeys = _keys;
        serverOptions.MaxEarlyDataSize = 4096;
        serverOptions.KeyLog = serverLog.Add;
        using TlsPair pair = Engines.Pair(client, serverOptions);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsEarlyDataStatus.Accepted, pair.Client.EarlyDataStatus);

        string line = (server ? serverLog : clientLog).Single(l => l.StartsWith("CLIENT_EARLY_TRAFFIC_SECRET ", StringComparison.Ordinal));
        byte[] secret = Convert.FromHexString(line.Split(' ')[2]);
        TlsConnection connection = server ? pair.Server : pair.Client;
        var owned = (List<byte[]>)typeof(TlsEngine.Handshake.HandshakeContext)
            .GetField("_secrets", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(connection.Context)!;
        Assert.NotEmpty(owned);
        Assert.DoesNotContain(owned, held => held.AsSpan().SequenceEqual(secret));
    }
}
