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
