using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

public class InMemoryHandshakeTests
{
    [Fact]
    public void Client_and_server_complete_a_handshake_and_exchange_data()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake(), string.Join("\n", pair.Log) + pair.Client.LastError + pair.Server.LastError);
        Assert.Equal(TlsVersion.Tls13, pair.Client.Version);
        Assert.Equal(TlsNamedGroup.X25519, pair.Client.Group);

        Assert.Equal(TlsStatus.Ok, pair.Client.Write("hello"u8, out int written));
        Assert.Equal(5, written);
        pair.Pump();
        var buffer = new byte[100];
        Assert.Equal(TlsStatus.Ok, pair.Server.Read(buffer, out int read));
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
    }
}
