using TlsEngine;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Records;

/// <summary>
/// record_size_limit (RFC 8449) and max_fragment_length (RFC 6066 §4): each side keeps to the limit
/// the other announced, in the buffer pair and the caller-buffered core, and refuses records over its own.
/// </summary>
public class RecordSizeLimitTests
{
    private static TlsPair Connect(TlsVersion version, int? clientLimit, int? serverLimit, int? fragment = null)
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = version;
        client.RecordSizeLimit = clientLimit;
        client.MaxFragmentLength = fragment;
        TlsServerOptions server = Engines.Server();
        server.RecordSizeLimit = serverLimit;
        var pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        return pair;
    }

    /// <summary>The largest payload (ciphertext) of the records in <paramref name="wire"/> from <paramref name="from"/> on.</summary>
    private static int LargestPayload(List<byte> wire, int from) =>
        Wire.Records(wire.Skip(from)).Max(r => r.Payload.Length);

    private static byte[] Exchange(TlsConnection sender, TlsConnection receiver, TlsPair pair, byte[] data)
    {
        int offset = 0;
        while (offset < data.Length)
        {
            Assert.Equal(TlsStatus.Ok, sender.Write(data.AsSpan(offset), out int written));
            offset += written;
            pair.Pump();
        }

        var received = new List<byte>();
        var buffer = new byte[4096];
        while (received.Count < data.Length && receiver.Read(buffer, out int n) == TlsStatus.Ok)
        {
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        return received.ToArray();
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, 256, 512, 255 + 1 + 16, 511 + 1 + 16)]
    [InlineData(TlsVersion.Tls12, 256, 512, 256 + 8 + 16, 512 + 8 + 16)]
    public void Each_side_sends_records_within_the_limit_the_other_announced(TlsVersion version, int clientLimit, int serverLimit, int toClient, int toServer)
    {
        using TlsPair pair = Connect(version, clientLimit, serverLimit);
        int serverMark = pair.ServerToClient.Count;
        int clientMark = pair.ClientToServer.Count;
        byte[] data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        Assert.Equal(data, Exchange(pair.Server, pair.Client, pair, data));
        Assert.Equal(data, Exchange(pair.Client, pair.Server, pair, data));
        Assert.Equal(toClient, LargestPayload(pair.ServerToClient, serverMark));
        Assert.Equal(toServer, LargestPayload(pair.ClientToServer, clientMark));
    }

    [Fact]
    public void Tls13_server_fragments_its_encrypted_flight_to_the_client_limit()
    {
        using TlsPair pair = Connect(TlsVersion.Tls13, 64, null);
        // Every protected record the server sent (after ServerHello) carries at most 63 bytes of content.
        List<(byte Type, byte[] Payload)> records = Wire.Records(pair.ServerToClient);
        Assert.All(records.Where(r => r.Type == 23), r => Assert.True(r.Payload.Length <= 64 + 16));
        Assert.True(records.Count(r => r.Type == 23) > 10);
    }

    [Fact]
    public void Core_send_keeps_to_the_peer_limit_and_get_send_size_counts_the_records()
    {
        using TlsPair pair = Connect(TlsVersion.Tls13, 128, null);
        byte[] data = new byte[1000];
        var output = new byte[pair.Server.GetSendSize(data.Length)];
        Assert.Equal(TlsStatus.Ok, pair.Server.Send(data, output, out int consumed, out int written));
        Assert.Equal(data.Length, consumed);
        Assert.Equal(output.Length, written);
        List<(byte Type, byte[] Payload)> records = Wire.Records(output);
        Assert.Equal(8, records.Count);
        Assert.All(records, r => Assert.True(r.Payload.Length <= 127 + 1 + 16));
    }

    [Fact]
    public void A_server_answers_the_client_limit_with_the_protocol_maximum_when_it_sets_none()
    {
        using TlsPair pair = Connect(TlsVersion.Tls12, 1000, null);
        int mark = pair.ClientToServer.Count;
        Exchange(pair.Client, pair.Server, pair, new byte[20000]);
        Assert.Equal(16384 + 8 + 16, LargestPayload(pair.ClientToServer, mark));
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void A_record_over_the_announced_limit_is_record_overflow(TlsVersion version)
    {
        using TlsPair pair = Connect(version, 256, null);
        // The server ignores the client's limit on purpose.
        pair.Server.Context.Records.MaxSendFragment = 16384;
        Assert.Equal(TlsStatus.Ok, pair.Server.Write(new byte[300], out _));
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[1000], out _));
        Assert.Equal(TlsFailureReason.RecordOverflow, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.RecordOverflow, pair.Client.LastError.Alert);
        Assert.True(pair.Client.LastError.AlertSent);
        pair.Pump();
        pair.Server.Read(new byte[10], out _);
        Assert.Equal(TlsAlertDescription.RecordOverflow, pair.Server.LastError!.Alert);
    }

    [Fact]
    public void A_record_at_the_announced_limit_is_accepted()
    {
        using TlsPair pair = Connect(TlsVersion.Tls13, 256, null);
        pair.Server.Context.Records.MaxSendFragment = 16384;
        Assert.Equal(new byte[255], Exchange(pair.Server, pair.Client, pair, new byte[255]));
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Max_fragment_length_is_echoed_and_bounds_both_directions(TlsVersion version)
    {
        using TlsPair pair = Connect(version, null, null, fragment: 512);
        int serverMark = pair.ServerToClient.Count;
        int clientMark = pair.ClientToServer.Count;
        Exchange(pair.Server, pair.Client, pair, new byte[3000]);
        Exchange(pair.Client, pair.Server, pair, new byte[3000]);
        int overhead = version == TlsVersion.Tls13 ? 1 + 16 : 8 + 16;
        Assert.Equal(512 + overhead, LargestPayload(pair.ServerToClient, serverMark));
        Assert.Equal(512 + overhead, LargestPayload(pair.ClientToServer, clientMark));
    }

    [Fact]
    public void A_server_ignores_max_fragment_length_beside_record_size_limit()
    {
        using TlsPair pair = Connect(TlsVersion.Tls12, 2000, null, fragment: 512);
        int mark = pair.ServerToClient.Count;
        Exchange(pair.Server, pair.Client, pair, new byte[5000]);
        Assert.Equal(2000 + 8 + 16, LargestPayload(pair.ServerToClient, mark));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(16386)]
    public void Options_refuse_a_limit_outside_64_to_16385(int limit)
    {
        TlsClientOptions options = Engines.Client();
        options.RecordSizeLimit = limit;
        ArgumentException error = Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(options));
        Assert.Equal(nameof(TlsOptions.RecordSizeLimit), error.ParamName);
    }

    [Fact]
    public void Options_refuse_an_undefined_max_fragment_length()
    {
        TlsClientOptions options = Engines.Client();
        options.MaxFragmentLength = 1000;
        ArgumentException error = Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(options));
        Assert.Equal(nameof(TlsClientOptions.MaxFragmentLength), error.ParamName);
    }
}
