using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.KeySchedule;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>The finished_key each direction keeps between its handshake keys and its Finished (RFC 8446 §4.4.4).</summary>
public class TrafficSecretsTests
{
    private static readonly Dictionary<string, byte[]> V = Hex.ReadVectors("rfc8448/simple-1rtt.txt");
    private static readonly Hkdf Hkdf = new(CryptoProviders.Default, HashAlgorithmId.Sha256);

    [Fact]
    public void Finished_key_gives_rfc8448_verify_data_once_and_is_zeroed()
    {
        using var traffic = new TrafficSecrets((byte[])V["client_handshake_traffic_secret"].Clone(), (byte[])V["server_handshake_traffic_secret"].Clone());
        byte[] key = traffic.NewFinishedKey(client: true, 32);
        Hkdf.ExpandLabel(V["client_handshake_traffic_secret"], "finished", default, key);

        byte[] verifyData = traffic.FinishedVerifyData(Hkdf, client: true, V["hash_ch_server_finished"]);

        Assert.Equal(Hex.Of(V["client_finished_message"][4..]), Hex.Of(verifyData));
        Assert.All(key, b => Assert.Equal(0, b));
        // Without the key the secret itself gives the same value.
        Assert.Equal(Hex.Of(verifyData), Hex.Of(traffic.FinishedVerifyData(Hkdf, client: true, V["hash_ch_server_finished"])));
    }

    [Fact]
    public void Finished_keys_not_used_are_zeroed_at_dispose()
    {
        var traffic = new TrafficSecrets(new byte[32], new byte[32]);
        byte[] client = traffic.NewFinishedKey(client: true, 32);
        byte[] server = traffic.NewFinishedKey(client: false, 32);
        Array.Fill(client, (byte)1);
        Array.Fill(server, (byte)2);

        traffic.Dispose();

        Assert.All(client, b => Assert.Equal(0, b));
        Assert.All(server, b => Assert.Equal(0, b));
    }
}
