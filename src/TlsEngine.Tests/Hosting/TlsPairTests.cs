using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Hosting;

public class TlsPairTests
{
    [Fact]
    public void Held_direction_stalls_the_handshake_until_released()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.HoldServerToClient = true;
        Assert.False(pair.Handshake());
        Assert.False(pair.Client.IsHandshakeComplete);
        Assert.Null(pair.Client.LastError);
        pair.HoldServerToClient = false;
        Assert.True(pair.Handshake());
    }

    [Fact]
    public void Corrupting_a_byte_of_the_server_flight_fails_the_client()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.CorruptAt(fromClient: false, offset: 400);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.BadRecordMac, pair.Client.LastError!.Alert);
    }

    [Fact]
    public void Truncated_stream_leaves_the_client_waiting_not_failed()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.TruncateAt(fromClient: false, offset: 200);
        Assert.False(pair.Handshake());
        Assert.Null(pair.Client.LastError);
        Assert.Equal(TlsStatus.WantRead, pair.Client.Connect());
    }

    [Fact]
    public void Step_log_names_each_side_and_transfer()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        Assert.Contains("client: WantWrite", pair.Log);
        Assert.Contains(pair.Log, l => l.StartsWith("server -> client: ", StringComparison.Ordinal));
    }
}

public class CoalescingTests
{
    [Fact]
    public void Data_written_before_the_handshake_leaves_with_the_final_flight()
    {
        using var client = TlsConnection.CreateClient(Engines.Client());
        using var server = TlsConnection.CreateServer(Engines.Server());
        Assert.Equal(TlsStatus.WantWrite, client.Write("GET / HTTP/1.1\r\n\r\n"u8, out int queued));
        Assert.Equal(18, queued);
        Assert.True(client.OutboundHoldsFlight);
        server.Inbound.Write(client.Outbound.ReadAll());
        server.Accept();
        client.Inbound.Write(server.Outbound.ReadAll());
        Assert.Equal(TlsStatus.WantWrite, client.Connect());
        byte[] finalFlight = client.Outbound.ReadAll();
        // CCS, Finished, then the queued request: one send carries all of it.
        Assert.Equal(3, Wire.Records(finalFlight).Count);
        server.Inbound.Write(finalFlight);
        Assert.Equal(TlsStatus.Ok, server.Accept());
        var buffer = new byte[64];
        Assert.Equal(TlsStatus.Ok, server.Read(buffer, out int read));
        Assert.Equal("GET / HTTP/1.1\r\n\r\n", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public void Application_data_alone_is_not_an_urgent_flight()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        pair.Client.Write("batch me"u8, out _);
        Assert.True(pair.Client.Outbound.Length > 0);
        Assert.False(pair.Client.OutboundHoldsFlight);
    }
}
