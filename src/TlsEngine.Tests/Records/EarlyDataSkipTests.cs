using System.Text;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Records;

/// <summary>RFC 8446 §4.2.10: how a server that declines 0-RTT reads past the early records, and where that ends.</summary>
public class EarlyDataSkipTests
{
    private readonly TlsSessionCache _cache = new();
    private readonly TlsSessionTicketKeys _keys = new(TlsRandom.FromSeed(7), new FixedTimeProvider(Engines.Now));

    private (TlsClientOptions Client, TlsServerOptions Server) ResumingOptions(ulong seed, bool mutual = false)
    {
        TlsClientOptions client = Engines.Client(seed);
        client.SessionCache = _cache;
        TlsServerOptions server = Engines.Server(seed: seed + 100);
        server.SessionTicketKeys = _keys;
        server.MaxEarlyDataSize = 4096;
        if (mutual)
        {
            client.ClientCertificate = TestPki.Credential("ecdsa-p256");
            server.ClientCertificateMode = TlsClientCertificateMode.Require;
            server.ClientCertificateTrustAnchors = TestPki.Roots;
        }

        return (client, server);
    }

    private void GetTicket()
    {
        (TlsClientOptions client, TlsServerOptions server) = ResumingOptions(1);
        using TlsPair first = Engines.Pair(client, server);
        Assert.True(first.Handshake());
        Assert.Equal(TlsStatus.WantRead, first.Client.Read(new byte[16], out _));
    }

    [Fact]
    public void Client_offering_0rtt_to_a_server_that_sends_hello_retry_request_completes_and_learns_the_rejection()
    {
        GetTicket();
        (TlsClientOptions client, TlsServerOptions server) = ResumingOptions(2);
        client.EarlyData = Encoding.ASCII.GetBytes("early bytes");
        server.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 };
        using TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.True(pair.Client.HelloRetryRequested);
        Assert.Equal(TlsEarlyDataStatus.Rejected, pair.Client.EarlyDataStatus);
        Assert.Equal(TlsEarlyDataStatus.Rejected, pair.Server.EarlyDataStatus);
        pair.Client.Write("after"u8, out _);
        pair.Pump();
        var buffer = new byte[64];
        Assert.Equal(TlsStatus.Ok, pair.Server.Read(buffer, out int read));
        Assert.Equal("after"u8.ToArray(), buffer[..read]);
    }

    [Fact]
    public void Server_after_hello_retry_request_refuses_more_skipped_early_data_than_its_budget()
    {
        GetTicket();
        (TlsClientOptions client, TlsServerOptions server) = ResumingOptions(2);
        client.EarlyData = Encoding.ASCII.GetBytes("early bytes");
        server.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 };
        using TlsPair pair = Engines.Pair(client, server);
        pair.Client.Connect();
        byte[] flight = pair.Client.Outbound.ReadAll();
        pair.Server.Inbound.Write(flight);
        Assert.Equal(TlsStatus.WantWrite, pair.Server.Accept());
        pair.Server.Outbound.ReadAll();
        // An attacker keeps sending opaque "early data" records after the HelloRetryRequest.
        var fake = new byte[] { 0x17, 3, 3, 0x40, 0x00 }.Concat(new byte[0x4000]).ToArray();
        TlsStatus status = TlsStatus.WantRead;
        for (int i = 0; i < 4 && status != TlsStatus.Failed; i++)
        {
            pair.Server.Inbound.Write(fake);
            status = pair.Server.Accept();
        }

        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(TlsFailureReason.TooMuchEarlyData, pair.Server.LastError!.Reason);
        Assert.Equal((byte)TlsAlertDescription.UnexpectedMessage, Wire.PlaintextAlert(pair.Server.Outbound.ReadAll()));
    }

    [Fact]
    public void Server_rejecting_0rtt_stops_skipping_at_the_first_record_that_opens_under_the_handshake_key()
    {
        GetTicket();
        (TlsClientOptions client, TlsServerOptions server) = ResumingOptions(2, mutual: true);
        client.EarlyData = Encoding.ASCII.GetBytes("early bytes");
        var keyLog = new List<string>();
        client.KeyLog = keyLog.Add;
        // A server that cannot open the ticket answers with a full handshake, client certificate included.
        server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(8), new FixedTimeProvider(Engines.Now));
        using TlsPair pair = Engines.Pair(client, server);
        pair.HoldClientToServer = true;
        pair.Client.Connect();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        pair.Server.Accept();
        pair.Client.Inbound.Write(pair.Server.Outbound.ReadAll());
        Assert.Equal(TlsStatus.WantWrite, pair.Client.Connect());
        Assert.Equal(TlsEarlyDataStatus.Rejected, pair.Client.EarlyDataStatus);

        // The client's second flight (Certificate, CertificateVerify, Finished), re-cut into a record
        // per message under the client's handshake key.
        byte[] secret = ProtectedWire.Secret(keyLog, "CLIENT_HANDSHAKE_TRAFFIC_SECRET");
        byte[] flight = ProtectedWire.Open(pair.Client.Outbound.ReadAll(), secret).SelectMany(r => r.Plaintext).ToArray();
        var messages = new List<byte[]>();
        for (int at = 0; at < flight.Length;)
        {
            int length = 4 + ((flight[at + 1] << 16) | (flight[at + 2] << 8) | flight[at + 3]);
            messages.Add(flight[at..(at + length)]);
            at += length;
        }

        Assert.Equal(3, messages.Count);
        var records = Wire.Records(ProtectedWire.SealHandshake(secret, messages.ToArray()));
        records[1].Payload[^1] ^= 1;
        foreach ((byte type, byte[] payload) in records)
        {
            pair.Server.Inbound.Write(Wire.Record(type, payload));
        }

        Assert.Equal(TlsStatus.Failed, pair.Server.Accept());
        Assert.Equal(TlsFailureReason.BadRecordMac, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.BadRecordMac, pair.Server.LastError.Alert);
    }
}
