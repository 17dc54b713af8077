using TlsEngine;

namespace TlsEngine.Tests.Support;

/// <summary>Options and pairs the handshake tests share.</summary>
public static class Engines
{
    public static readonly DateTimeOffset Now = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The byte-level suites (adversary peers, recorded flights, crafted hellos) were written around
    // classical shares: Client() and Server() keep those groups. PostQuantumGroupTests and the Node
    // interop tests cover the post-quantum defaults (DefaultClient/DefaultServer give them).
    public static TlsClientOptions Client(ulong? seed = 1, string serverName = "localhost")
    {
        TlsClientOptions options = DefaultClient(seed, serverName);
        options.Groups = ClassicalGroups();
        options.KeyShareGroups = new List<TlsNamedGroup> { TlsNamedGroup.X25519 };
        return options;
    }

    public static TlsServerOptions Server(string keyType = "ecdsa-p256", ulong? seed = 2)
    {
        TlsServerOptions options = DefaultServer(keyType, seed);
        options.Groups = ClassicalGroups();
        return options;
    }

    /// <summary>A client with the library's default groups and key shares (X25519MLKEM768 first).</summary>
    public static TlsClientOptions DefaultClient(ulong? seed = 1, string serverName = "localhost") => new()
    {
        ServerName = serverName,
        TrustAnchors = TestPki.Roots,
        Random = seed is null ? TlsRandom.System : TlsRandom.FromSeed(seed.Value),
        TimeProvider = new FixedTimeProvider(Now),
    };

    /// <summary>A server with the library's default groups.</summary>
    public static TlsServerOptions DefaultServer(string keyType = "ecdsa-p256", ulong? seed = 2) => new()
    {
        Certificate = TestPki.Credential(keyType),
        Random = seed is null ? TlsRandom.System : TlsRandom.FromSeed(seed.Value),
        TimeProvider = new FixedTimeProvider(Now),
    };

    private static List<TlsNamedGroup> ClassicalGroups() => new() { TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1, TlsNamedGroup.Secp384r1 };

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
