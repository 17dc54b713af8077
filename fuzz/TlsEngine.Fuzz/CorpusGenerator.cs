using TlsEngine.Messages;

namespace TlsEngine.Fuzz;

/// <summary>
/// Records the flights of deterministic handshakes (every suite, group, HRR, key type) so the
/// seed corpus stays valid as the engine changes: regenerate it with `generate-corpus`.
/// </summary>
public static class CorpusGenerator
{
    public static int Generate(string directory)
    {
        int files = 0;
        void Save(string target, string name, byte[] data)
        {
            string folder = Path.Combine(directory, target);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), data);
            files++;
        }

        foreach ((string name, TlsServerOptions server) in ServerVariants())
        {
            (byte[] toServer, byte[] toClient) = Record(FuzzSetup.Client(), server);
            Save("client", name, Prefix(0, toClient));
            Save("client", name + "-chunk7", Prefix(7, toClient));
            Save("deframer", "server-" + name, toClient);
        }

        foreach ((string name, TlsClientOptions client) in ClientVariants())
        {
            (byte[] toServer, _) = Record(client, FuzzSetup.Server());
            Save("server", name, Prefix(0, toServer));
            Save("server", name + "-chunk5", Prefix(5, toServer));
            Save("deframer", "client-" + name, toServer);
        }

        foreach ((string name, TlsClientOptions client) in ResumingClients())
        {
            (byte[] toServer, _) = Record(client, FuzzSetup.Server());
            Save("server", name, Prefix(0, toServer));
            Save("deframer", "client-" + name, toServer);
        }

        (byte[] hello, byte[] reply) = Record(FuzzSetup.Client(), FuzzSetup.Server());
        Save("messages", "client-hello", Prefix(0, hello.AsSpan(9, (hello[3] << 8 | hello[4]) - 4).ToArray()));
        Save("messages", "server-hello", Prefix(1, reply.AsSpan(9, (reply[3] << 8 | reply[4]) - 4).ToArray()));
        Save("messages", "encrypted-extensions", Prefix(2, new EncryptedExtensions { Extensions = { new Extension(ExtensionType.Alpn, ExtensionCodecs.EncodeAlpn(new[] { "h2" })), new Extension(ExtensionType.ServerName, Array.Empty<byte>()) } }.Encode()[4..]));
        var certificate = new CertificateMessage();
        foreach (byte[] der in FuzzSetup.EcdsaCredential.ChainDer)
        {
            certificate.Certificates.Add(der);
        }

        Save("messages", "certificate", Prefix(3, certificate.Encode()[4..]));
        Save("messages", "certificate-verify", Prefix(4, new CertificateVerifyMessage { Scheme = 0x0403, Signature = new byte[71] }.Encode()[4..]));
        Save("messages", "new-session-ticket", Prefix(5, new NewSessionTicketMessage { Lifetime = 7200, AgeAdd = 1, Nonce = new byte[] { 0 }, Ticket = new byte[64] }.Encode()[4..]));
        Save("messages", "alpn", Prefix(6, ExtensionCodecs.EncodeAlpn(new[] { "h2", "http/1.1" })));

        Save("certificates", "ecdsa-leaf", FuzzSetup.EcdsaCredential.ChainDer[0]);
        Save("certificates", "rsa-leaf", FuzzSetup.RsaCredential.ChainDer[0]);
        Save("chain", "server", ChainTarget.Encode(0, FuzzSetup.EcdsaCredential.ChainDer));
        foreach ((string name, byte[] input) in ChainSeeds())
        {
            Save("chain", name, input);
        }

        byte[] keyUpdate = KeyUpdateMessage.Encode(true);
        byte[] ticket = new NewSessionTicketMessage { Lifetime = 60, AgeAdd = 7, Nonce = new byte[] { 1 }, Ticket = new byte[32] }.Encode();
        Save("post-handshake", "key-update", Chunks((2, keyUpdate), (3, "data"u8.ToArray())));
        Save("post-handshake", "ticket-then-close", Chunks((2, ticket), (3, "x"u8.ToArray()), (1, new byte[] { 1, 0 })));
        Save("post-handshake", "fragmented-ticket", Chunks((2, ticket[..10]), (2, ticket[10..])));
        foreach ((string target, string name, byte[] data) in DtlsTargets.Seeds().Concat(DtlsConnectionTargets.Seeds()))
        {
            Save(target, name, data);
        }

        return files;
    }

    /// <summary>
    /// The path-validation PKI's chains: each as presented under the fuzz root; with its own root as
    /// the anchor where it has one; and with its top intermediate as the anchor, so edits of that
    /// CA's constraints are checked against a leaf whose signature still verifies.
    /// </summary>
    private static IEnumerable<(string, byte[])> ChainSeeds()
    {
        System.Reflection.Assembly assembly = typeof(FuzzSetup).Assembly;
        var files = assembly.GetManifestResourceNames().Where(n => n.StartsWith("paths/", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => (Name: Path.GetFileNameWithoutExtension(n), Chain: X509.Pem.Decode(FuzzSetup.Resource(n)).Select(c => c.Der).ToList()))
            .ToList();
        var roots = new List<Crypto.ICertificate>();
        foreach ((_, List<byte[]> chain) in files)
        {
            if (chain.Count == 1 && Crypto.CryptoProviders.Default.ParseCertificate(chain[0]) is { } single && single.SubjectDer.AsSpan().SequenceEqual(single.IssuerDer))
            {
                roots.Add(single);
            }
        }

        foreach ((string name, List<byte[]> chain) in files)
        {
            byte flags = name.StartsWith("eku-client", StringComparison.Ordinal) ? ChainTarget.ForClient : (byte)0;
            yield return (name, ChainTarget.Encode(flags, chain));
            Crypto.ICertificate top = Crypto.CryptoProviders.Default.ParseCertificate(chain[^1])!;
            Crypto.ICertificate? root = roots.FirstOrDefault(r => r.SubjectDer.AsSpan().SequenceEqual(top.IssuerDer) && !ReferenceEquals(r.Der, chain[^1]) && !r.Der.AsSpan().SequenceEqual(chain[^1]));
            if (root != null)
            {
                yield return (name + "-own-root", ChainTarget.Encode((byte)(flags | ChainTarget.AnchorLast), chain.Append(root.Der)));
            }

            if (chain.Count >= 2)
            {
                yield return (name + "-int-anchor", ChainTarget.Encode((byte)(flags | ChainTarget.AnchorLast), chain));
            }
        }
    }

    private static IEnumerable<(string, TlsServerOptions)> ServerVariants()
    {
        yield return ("default", FuzzSetup.Server());
        TlsServerOptions rsa = FuzzSetup.Server();
        rsa.Certificate = FuzzSetup.RsaCredential;
        yield return ("rsa", rsa);
        foreach (TlsCipherSuite suite in Enum.GetValues<TlsCipherSuite>())
        {
            TlsServerOptions options = FuzzSetup.Server();
            options.CipherSuites = new List<TlsCipherSuite> { suite };
            if (suite.ToString().Contains("_RSA_"))
            {
                options.Certificate = FuzzSetup.RsaCredential;
            }

            yield return (suite.ToString(), options);
        }

        foreach (TlsNamedGroup group in new[] { TlsNamedGroup.Secp256r1, TlsNamedGroup.Secp384r1 })
        {
            TlsServerOptions options = FuzzSetup.Server();
            options.Groups = new List<TlsNamedGroup> { group };
            yield return ("hrr-" + group, options);
        }
    }

    /// <summary>Clients holding a ticket from a first handshake with the fuzz server: PSK, 0-RTT and TLS 1.2 tickets.</summary>
    private static IEnumerable<(string, TlsClientOptions)> ResumingClients()
    {
        foreach ((string name, TlsVersion version, byte[]? early) in new[] { ("resume", TlsVersion.Tls13, (byte[]?)null), ("resume-0rtt", TlsVersion.Tls13, "GET /0rtt"u8.ToArray()), ("resume-tls12", TlsVersion.Tls12, null) })
        {
            var cache = new TlsSessionCache();
            TlsClientOptions first = FuzzSetup.Client();
            first.SessionCache = cache;
            first.MaxVersion = version;
            Record(first, FuzzSetup.Server());
            TlsClientOptions second = FuzzSetup.Client();
            second.SessionCache = cache;
            second.MaxVersion = version;
            second.EarlyData = early;
            yield return (name, second);
        }
    }

    private static IEnumerable<(string, TlsClientOptions)> ClientVariants()
    {
        yield return ("default", FuzzSetup.Client());
        foreach (TlsNamedGroup group in new[] { TlsNamedGroup.Secp256r1, TlsNamedGroup.Secp384r1 })
        {
            TlsClientOptions options = FuzzSetup.Client();
            options.KeyShareGroups = new List<TlsNamedGroup> { group };
            yield return ("share-" + group, options);
        }

        TlsClientOptions retry = FuzzSetup.Client();
        retry.KeyShareGroups = new List<TlsNamedGroup>();
        yield return ("hrr", retry);
        TlsClientOptions chacha = FuzzSetup.Client();
        chacha.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 };
        yield return ("chacha", chacha);
        TlsClientOptions tls12 = FuzzSetup.Client();
        tls12.MaxVersion = TlsVersion.Tls12;
        yield return ("tls12", tls12);
        TlsClientOptions tls12Chacha = FuzzSetup.Client();
        tls12Chacha.MaxVersion = TlsVersion.Tls12;
        tls12Chacha.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 };
        yield return ("tls12-chacha", tls12Chacha);
    }

    /// <summary>SHA-256 over the seeded default handshakes (TLS 1.3 and 1.2): equal in every process on every run.</summary>
    public static string TranscriptHash()
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        var all = new List<byte>();
        (byte[] toServer, byte[] toClient) = Record(FuzzSetup.Client(), FuzzSetup.Server());
        all.AddRange(toServer);
        all.AddRange(toClient);
        TlsClientOptions tls12 = FuzzSetup.Client();
        tls12.MaxVersion = TlsVersion.Tls12;
        (toServer, toClient) = Record(tls12, FuzzSetup.Server());
        all.AddRange(toServer);
        all.AddRange(toClient);
        return Convert.ToHexString(sha.ComputeHash(all.ToArray()));
    }

    /// <summary>A handshake, data both ways, a KeyUpdate and close_notify; returns both byte streams.</summary>
    private static (byte[] ToServer, byte[] ToClient) Record(TlsClientOptions clientOptions, TlsServerOptions serverOptions)
    {
        using var client = TlsConnection.CreateClient(clientOptions);
        using var server = TlsConnection.CreateServer(serverOptions);
        var pair = new TlsPair(client, server);
        if (!pair.Handshake())
        {
            throw new InvalidOperationException($"corpus handshake failed: {client.LastError} / {server.LastError}");
        }

        client.Write("GET / HTTP/1.1\r\n\r\n"u8, out _);
        server.Write("HTTP/1.1 200 OK\r\n\r\n"u8, out _);
        if (client.Version == TlsVersion.Tls13)
        {
            client.RequestKeyUpdate(requestPeerUpdate: true);
            server.RequestKeyUpdate(requestPeerUpdate: false);
        }
        pair.Pump();
        var sink = new byte[1024];
        client.Read(sink, out _);
        server.Read(sink, out _);
        client.Shutdown();
        server.Shutdown();
        pair.Pump();
        return (pair.ClientToServer.ToArray(), pair.ServerToClient.ToArray());
    }

    private static byte[] Prefix(byte first, byte[] data) => new[] { first }.Concat(data).ToArray();

    private static byte[] Chunks(params (byte Type, byte[] Data)[] chunks)
    {
        var bytes = new List<byte>();
        foreach ((byte type, byte[] data) in chunks)
        {
            bytes.Add(type);
            bytes.Add((byte)data.Length);
            bytes.AddRange(data);
        }

        return bytes.ToArray();
    }
}
