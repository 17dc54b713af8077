using System.Reflection;

namespace TlsEngine.Fuzz;

/// <summary>
/// The fixed configuration every target and the corpus generator share: a recorded flight only
/// replays against an engine with the same options, seed and clock.
/// </summary>
public static class FuzzSetup
{
    public const ulong ClientSeed = 1;
    public const ulong ServerSeed = 2;
    public static readonly DateTimeOffset Now = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<TlsTrustAnchors> Anchors = new(() => TlsTrustAnchors.FromPem(Resource("ca.pem")));
    private static readonly Lazy<TlsCertificateCredential> Ecdsa = new(() => TlsCertificateCredential.FromPem(Resource("server.pem"), Resource("server.key.pem")));
    private static readonly Lazy<TlsCertificateCredential> Rsa = new(() => TlsCertificateCredential.FromPem(Resource("rsa.pem"), Resource("rsa.key.pem")));

    public static TlsTrustAnchors TrustAnchors => Anchors.Value;

    public static TlsCertificateCredential EcdsaCredential => Ecdsa.Value;

    public static TlsCertificateCredential RsaCredential => Rsa.Value;

    public static TlsClientOptions Client() => new()
    {
        ServerName = "localhost",
        TrustAnchors = TrustAnchors,
        ApplicationProtocols = { "h2", "http/1.1" },
        Random = TlsRandom.FromSeed(ClientSeed),
        TimeProvider = new FixedClock(Now),
        // The committed corpus was recorded with classical shares; a 1,216-byte hybrid share would
        // also spend most mutations on ML-KEM key bytes.
        Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1, TlsNamedGroup.Secp384r1 },
        KeyShareGroups = new List<TlsNamedGroup> { TlsNamedGroup.X25519 },
    };

    public static TlsServerOptions Server() => new()
    {
        Certificate = EcdsaCredential,
        ApplicationProtocols = { "h2" },
        Random = TlsRandom.FromSeed(ServerSeed),
        TimeProvider = new FixedClock(Now),
        Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1, TlsNamedGroup.Secp384r1 },
        // Seeded keys: recorded tickets and binders stay valid for every replay.
        SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(3), new FixedClock(Now)),
        MaxEarlyDataSize = 1024,
    };

    public static string Resource(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"missing resource {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class FixedClock : TimeProvider
    {
        private readonly DateTimeOffset _now;

        public FixedClock(DateTimeOffset now) => _now = now;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
