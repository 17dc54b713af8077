using TlsEngine;

namespace TlsEngine.Tests.Support;

/// <summary>Options and pairs the handshake tests share.</summary>
public static class Engines
{
    public static readonly DateTimeOffset Now = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TlsClientOptions Client(ulong? seed = 1, string serverName = "localhost") => new()
    {
        ServerName = serverName,
        TrustAnchors = TestPki.Roots,
        Random = seed is null ? TlsRandom.System : TlsRandom.FromSeed(seed.Value),
        TimeProvider = new FixedTimeProvider(Now),
    };

    public static TlsServerOptions Server(string keyType = "ecdsa-p256", ulong? seed = 2) => new()
    {
        Certificate = TestPki.Credential(keyType),
        Random = seed is null ? TlsRandom.System : TlsRandom.FromSeed(seed.Value),
        TimeProvider = new FixedTimeProvider(Now),
    };

    public static TlsPair Pair(TlsClientOptions client, TlsServerOptions server) =>
        new(TlsConnection.CreateClient(client), TlsConnection.CreateServer(server));

    /// <summary>A client and a server of this version with the handshake done.</summary>
    public static TlsPair Connected(TlsVersion version = TlsVersion.Tls13)
    {
        TlsClientOptions client = Client();
        client.MaxVersion = version;
        TlsPair pair = Pair(client, Server());
        if (!pair.Handshake())
        {
            throw new InvalidOperationException($"Handshake failed: {pair.Client.LastError} / {pair.Server.LastError}");
        }

        return pair;
    }
}
