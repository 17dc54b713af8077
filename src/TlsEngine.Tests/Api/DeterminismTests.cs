using System.Security.Cryptography;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

public class DeterminismTests
{
    private static (byte[] ToServer, byte[] ToClient) Transcript(ulong clientSeed, ulong serverSeed, string keyType)
    {
        using TlsPair pair = Engines.Pair(Engines.Client(clientSeed), Engines.Server(keyType, serverSeed));
        Assert.True(pair.Handshake());
        pair.Client.Write("deterministic"u8, out _);
        pair.Server.Write("replies"u8, out _);
        pair.Pump();
        return (pair.ClientToServer.ToArray(), pair.ServerToClient.ToArray());
    }

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("rsa2048")]
    [InlineData("ed25519")]
    public void Same_seed_and_clock_give_byte_identical_transcripts(string keyType)
    {
        var first = Transcript(11, 22, keyType);
        var second = Transcript(11, 22, keyType);
        Assert.Equal(SHA256.HashData(first.ToServer), SHA256.HashData(second.ToServer));
        Assert.Equal(SHA256.HashData(first.ToClient), SHA256.HashData(second.ToClient));
    }

    [Fact]
    public void Different_seeds_give_different_transcripts()
    {
        var first = Transcript(11, 22, "ecdsa-p256");
        var other = Transcript(12, 22, "ecdsa-p256");
        Assert.NotEqual(first.ToServer, other.ToServer);
    }
}
