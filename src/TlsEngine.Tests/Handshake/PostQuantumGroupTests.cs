using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>ML-KEM and the hybrid groups (draft-ietf-tls-ecdhe-mlkem, draft-ietf-tls-mlkem) engine to engine.</summary>
public class PostQuantumGroupTests
{
    private const ushort KeyShareExtension = 0x0033;

    public static IEnumerable<object[]> GroupsAndProviders() =>
        from g in new[] { TlsNamedGroup.X25519MLKEM768, TlsNamedGroup.SecP256r1MLKEM768, TlsNamedGroup.SecP384r1MLKEM1024, TlsNamedGroup.MLKEM768, TlsNamedGroup.MLKEM1024 }
        from p in new[] { TlsCryptoProvider.Managed, TlsCryptoProvider.Platform }
        select new object[] { g, p };

    [Theory]
    [MemberData(nameof(GroupsAndProviders))]
    public void Each_ML_KEM_group_negotiates_engine_to_engine(TlsNamedGroup group, TlsCryptoProvider provider)
    {
        TlsClientOptions client = Engines.DefaultClient();
        TlsServerOptions server = Engines.DefaultServer();
        client.Groups = new List<TlsNamedGroup> { group, TlsNamedGroup.X25519 };
        client.KeyShareGroups = new List<TlsNamedGroup> { group };
        server.Groups = new List<TlsNamedGroup> { group };
        client.CryptoProvider = provider;
        server.CryptoProvider = provider;
        using TlsPair pair = Engines.Pair(client, server);

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(group, pair.Client.Group);
        Assert.Equal(group, pair.Server.Group);
        AssertDataFlows(pair);
    }

    [Theory]
    [InlineData(TlsCryptoProvider.Managed)]
    [InlineData(TlsCryptoProvider.Platform)]
    public void Defaults_negotiate_X25519MLKEM768_without_a_retry(TlsCryptoProvider provider)
    {
        TlsClientOptions client = Engines.DefaultClient();
        TlsServerOptions server = Engines.DefaultServer();
        client.CryptoProvider = provider;
        server.CryptoProvider = provider;
        using TlsPair pair = Engines.Pair(client, server);

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsNamedGroup.X25519MLKEM768, pair.Client.Group);
        // One flight each way before Finished: no HelloRetryRequest (whose ServerHello random is fixed, RFC 8446 §4.1.3).
        Assert.DoesNotContain(HelloRetryRandomPrefix, Hex.Of(pair.ServerToClient.ToArray()));
    }

    [Theory]
    [InlineData(TlsCryptoProvider.Managed, 0)]
    [InlineData(TlsCryptoProvider.Platform, 0)]
    [InlineData(TlsCryptoProvider.Managed, 1)]
    public void Server_asks_for_the_hybrid_when_the_client_sent_only_an_X25519_share(TlsCryptoProvider provider, int chunkSize)
    {
        TlsClientOptions client = Engines.DefaultClient();
        TlsServerOptions server = Engines.DefaultServer();
        client.KeyShareGroups = new List<TlsNamedGroup> { TlsNamedGroup.X25519 };
        client.CryptoProvider = provider;
        server.CryptoProvider = provider;
        using TlsPair pair = Engines.Pair(client, server);
        pair.ChunkSize = chunkSize;

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsNamedGroup.X25519MLKEM768, pair.Client.Group);
        Assert.Equal(TlsNamedGroup.X25519MLKEM768, pair.Server.Group);
        Assert.Contains(HelloRetryRandomPrefix, Hex.Of(pair.ServerToClient.ToArray()));
        AssertDataFlows(pair);
    }

    [Fact]
    public void Server_without_the_retry_preference_settles_for_the_X25519_share()
    {
        TlsClientOptions client = Engines.DefaultClient();
        TlsServerOptions server = Engines.DefaultServer();
        client.KeyShareGroups = new List<TlsNamedGroup> { TlsNamedGroup.X25519 };
        server.RetryForPostQuantumGroup = false;
        using TlsPair pair = Engines.Pair(client, server);

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsNamedGroup.X25519, pair.Client.Group);
    }

    [Fact]
    public void Tls12_never_negotiates_an_ML_KEM_group()
    {
        TlsClientOptions client = Engines.DefaultClient();
        client.MaxVersion = TlsVersion.Tls12;
        TlsServerOptions server = Engines.DefaultServer();
        using TlsPair pair = Engines.Pair(client, server);

        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(TlsVersion.Tls12, pair.Client.Version);
        Assert.Equal(TlsNamedGroup.X25519, pair.Client.Group);
    }

    [Fact]
    public void Options_refuse_a_TLS12_only_configuration_with_only_ML_KEM_groups()
    {
        TlsClientOptions client = Engines.DefaultClient();
        client.MaxVersion = TlsVersion.Tls12;
        client.Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519MLKEM768 };
        client.KeyShareGroups = new List<TlsNamedGroup>();
        Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(client));

        TlsClientOptions shares = Engines.DefaultClient();
        shares.Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519 };
        Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(shares)); // the default hybrid share is not in Groups
    }

    [Fact]
    public void Client_refuses_a_server_ciphertext_of_the_wrong_length()
    {
        using TlsPair pair = HybridPair();
        pair.Tamper = (fromClient, chunk) => fromClient ? chunk : RewriteShare(chunk, clientHello: false, share => share[..^1]);

        AssertFails(pair, client: true, TlsFailureReason.InvalidKeyShareLength);
    }

    [Fact]
    public void Client_refuses_a_server_hybrid_share_with_a_bad_X25519_point()
    {
        using TlsPair pair = HybridPair();
        // An all-zero X25519 point gives an all-zero secret (RFC 8446 §7.4.2).
        pair.Tamper = (fromClient, chunk) => fromClient ? chunk : RewriteShare(chunk, clientHello: false, share => share[..^32].Concat(new byte[32]).ToArray());

        AssertFails(pair, client: true, TlsFailureReason.InvalidKeyShare);
    }

    [Fact]
    public void Server_refuses_a_truncated_client_hybrid_share()
    {
        using TlsPair pair = HybridPair();
        pair.Tamper = (fromClient, chunk) => fromClient ? RewriteShare(chunk, clientHello: true, share => share[..^1]) : chunk;

        AssertFails(pair, client: false, TlsFailureReason.InvalidKeyShareLength);
    }

    [Fact]
    public void Server_refuses_an_encapsulation_key_failing_the_modulus_check()
    {
        using TlsPair pair = HybridPair();
        pair.Tamper = (fromClient, chunk) => fromClient ? RewriteShare(chunk, clientHello: true, share =>
        {
            // X25519MLKEM768 puts ek first: its first 12-bit coefficient becomes 4095 >= q.
            share[0] = 0xFF;
            share[1] |= 0x0F;
            return share;
        }) : chunk;

        AssertFails(pair, client: false, TlsFailureReason.InvalidEncapsulationKey);
    }

    // The first 8 bytes of SHA-256("HelloRetryRequest"), the HRR's ServerHello.random.
    private const string HelloRetryRandomPrefix = "cf21ad74e59a6111";

    private static TlsPair HybridPair()
    {
        TlsClientOptions client = Engines.DefaultClient();
        client.KeyShareGroups = new List<TlsNamedGroup> { TlsNamedGroup.X25519MLKEM768 };
        TlsServerOptions server = Engines.DefaultServer();
        return Engines.Pair(client, server);
    }

    private static void AssertFails(TlsPair pair, bool client, TlsFailureReason reason)
    {
        Assert.False(pair.Handshake());
        TlsConnection failing = client ? pair.Client : pair.Server;
        Assert.Equal(reason, failing.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.IllegalParameter, failing.LastError.Alert);
        // The alert went out in plaintext: 15 03 03 00 02 02 2f.
        List<byte> sent = client ? pair.ClientToServer : pair.ServerToClient;
        Assert.EndsWith("150303000202" + "2f", Hex.Of(sent.ToArray()));
    }

    private static void AssertDataFlows(TlsPair pair)
    {
        byte[] message = "post-quantum"u8.ToArray();
        Assert.Equal(TlsStatus.Ok, pair.Client.Write(message, out _));
        byte[] buffer = new byte[64];
        int read = 0;
        for (int step = 0; step < 10000 && read == 0; step++)
        {
            pair.Pump();
            pair.Server.Read(buffer, out read);
        }

        Assert.Equal(message, buffer[..read]);
    }

    /// <summary>
    /// Rewrites the key share in the first handshake record of a chunk (ClientHello or ServerHello),
    /// fixing every enclosing length; the rest of the chunk is left as it was.
    /// </summary>
    private static byte[] RewriteShare(byte[] chunk, bool clientHello, Func<byte[], byte[]> edit)
    {
        if (chunk.Length < 9 || chunk[0] != 0x16 || chunk[5] != (clientHello ? 1 : 2))
        {
            return chunk;
        }

        int recordLength = (chunk[3] << 8) | chunk[4];
        byte[] body = chunk[9..(5 + recordLength)];
        int p = 2 + 32;
        p += 1 + body[p];
        if (clientHello)
        {
            p += 2 + ((body[p] << 8) | body[p + 1]);
            p += 1 + body[p];
        }
        else
        {
            p += 3;
        }

        int extensionsStart = p + 2;
        var output = new List<byte>(body[..p]);
        var extensions = new List<byte>();
        int q = extensionsStart;
        while (q < body.Length)
        {
            int type = (body[q] << 8) | body[q + 1];
            int length = (body[q + 2] << 8) | body[q + 3];
            byte[] data = body[(q + 4)..(q + 4 + length)];
            if (type == KeyShareExtension)
            {
                int entry = clientHello ? 2 : 0;
                int shareLength = (data[entry + 2] << 8) | data[entry + 3];
                byte[] share = edit(data[(entry + 4)..(entry + 4 + shareLength)].ToArray());
                var rebuilt = new List<byte>(data[..(entry + 2)]) { (byte)(share.Length >> 8), (byte)share.Length };
                rebuilt.AddRange(share);
                rebuilt.AddRange(data[(entry + 4 + shareLength)..]);
                if (clientHello)
                {
                    rebuilt[0] = (byte)((rebuilt.Count - 2) >> 8);
                    rebuilt[1] = (byte)(rebuilt.Count - 2);
                }

                data = rebuilt.ToArray();
            }

            extensions.AddRange(new[] { body[q], body[q + 1], (byte)(data.Length >> 8), (byte)data.Length });
            extensions.AddRange(data);
            q += 4 + length;
        }

        output.Add((byte)(extensions.Count >> 8));
        output.Add((byte)extensions.Count);
        output.AddRange(extensions);
        var record = new List<byte> { 0x16, chunk[1], chunk[2], (byte)((output.Count + 4) >> 8), (byte)(output.Count + 4), chunk[5], (byte)(output.Count >> 16), (byte)(output.Count >> 8), (byte)output.Count };
        record.AddRange(output);
        record.AddRange(chunk[(5 + recordLength)..]);
        return record.ToArray();
    }
}
