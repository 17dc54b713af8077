namespace TlsEngine.Fuzz;

/// <summary>
/// The keys of a recorded flight, recovered by replaying it into the seeded engine it was recorded
/// against with a key log: the seeds fix both key shares, so the secrets are the recording's own.
/// </summary>
public static class FlightKeys
{
    /// <summary>The input format of each target, for the mutator.</summary>
    public static InputFormat FormatOf(string target) => target switch
    {
        "client" or "server" => InputFormat.Flight,
        "messages" => InputFormat.MessageBody,
        "chain" => InputFormat.Chain,
        _ => InputFormat.Bytes,
    };

    /// <summary>
    /// For the client target: the server's TLS 1.3 handshake traffic protection of an input, so
    /// EncryptedExtensions, CertificateRequest and Certificate can be edited. Cached per input array
    /// (corpus entries are mutated from many times). Null for other targets or when there is none.
    /// </summary>
    public static Func<byte[], RecordCipher?>? For(string target)
    {
        if (target != "client")
        {
            return null;
        }

        var cache = new Dictionary<byte[], RecordCipher?>(ReferenceEqualityComparer.Instance);
        return input =>
        {
            if (!cache.TryGetValue(input, out RecordCipher? cipher))
            {
                cipher = ServerHandshakeCipher(input);
                cache[input] = cipher;
            }

            return cipher;
        };
    }

    /// <summary>Replays a client-target input with a key log and returns the server's handshake traffic protection.</summary>
    public static RecordCipher? ServerHandshakeCipher(byte[] input)
    {
        string? secret = null;
        TlsClientOptions options = FuzzSetup.Client();
        options.KeyLog = line =>
        {
            if (line.StartsWith("SERVER_HANDSHAKE_TRAFFIC_SECRET ", StringComparison.Ordinal))
            {
                secret = line.Split(' ')[2];
            }
        };
        using var client = TlsConnection.CreateClient(options);
        client.DoHandshake();
        client.Outbound.ReadAll();
        for (int offset = 1; offset < input.Length && client.LastError == null;)
        {
            int taken = client.Inbound.Write(input.AsSpan(offset));
            offset += taken;
            client.DoHandshake();
            client.Outbound.ReadAll();
            if (taken == 0)
            {
                break;
            }
        }

        return secret != null && client.CipherSuite is { } suite && client.Version == TlsVersion.Tls13
            ? RecordCipher.Tls13(suite, Convert.FromHexString(secret))
            : null;
    }
}
