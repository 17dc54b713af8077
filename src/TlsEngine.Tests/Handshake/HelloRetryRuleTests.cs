using TlsEngine;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>RFC 8446 §4.1.2: what a second ClientHello may and may not change after a HelloRetryRequest.</summary>
public class HelloRetryRuleTests
{
    private static TlsPair RetryPairTamperingSecondHello(Action<ClientHello> tamper)
    {
        TlsServerOptions server = Engines.Server();
        server.Groups = new List<TlsNamedGroup> { TlsNamedGroup.Secp256r1 };
        TlsPair pair = Engines.Pair(Engines.Client(), server);
        int hellos = 0;
        pair.Tamper = (fromClient, bytes) =>
        {
            if (!fromClient)
            {
                return bytes;
            }

            var output = new List<byte>();
            foreach ((byte type, byte[] payload) in Wire.Records(bytes))
            {
                byte[] body = payload;
                if (type == 22 && payload[0] == HandshakeType.ClientHello && ++hellos == 2)
                {
                    ClientHello hello = ClientHello.TryParse(payload.AsSpan(4))!;
                    tamper(hello);
                    body = hello.Encode();
                }

                output.AddRange(new byte[] { type, 3, 3, (byte)(body.Length >> 8), (byte)body.Length });
                output.AddRange(body);
            }

            return output.ToArray();
        };
        return pair;
    }

    [Fact]
    public void Server_refuses_a_second_client_hello_that_offers_early_data()
    {
        using TlsPair pair = RetryPairTamperingSecondHello(h => h.Extensions.Insert(0, new Extension(ExtensionType.EarlyData, Array.Empty<byte>())));
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.InvalidSecondClientHello, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.IllegalParameter, pair.Client.LastError!.Alert);
        Assert.Equal(TlsFailureReason.PeerAlert, pair.Client.LastError.Reason);
    }

    [Fact]
    public void Server_refuses_a_second_client_hello_with_another_random()
    {
        using TlsPair pair = RetryPairTamperingSecondHello(h => h.Random = new byte[32]);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.InvalidSecondClientHello, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.IllegalParameter, pair.Client.LastError!.Alert);
    }

    [Fact]
    public void Untampered_retry_completes()
    {
        using TlsPair pair = RetryPairTamperingSecondHello(_ => { });
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.True(pair.Client.HelloRetryRequested);
    }
}
