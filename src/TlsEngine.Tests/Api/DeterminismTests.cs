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
    public void Seeded_transcripts_are_byte_identical_across_processes()
    {
        string Child()
        {
            var info = new System.Diagnostics.ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "TlsEngine.Fuzz.dll")}\" transcript-hash") { RedirectStandardOutput = true };
            using var process = System.Diagnostics.Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            Assert.True(process.WaitForExit(60000));
            return output;
        }

        string inProcess = TlsEngine.Fuzz.CorpusGenerator.TranscriptHash();
        Assert.Equal(64, inProcess.Length);
        Assert.Equal(inProcess, Child());
        Assert.Equal(inProcess, Child());
    }

    [Fact]
    public void Different_seeds_give_different_transcripts()
    {
        var first = Transcript(11, 22, "ecdsa-p256");
        var other = Transcript(12, 22, "ecdsa-p256");
        Assert.NotEqual(first.ToServer, other.ToServer);
    }
}
