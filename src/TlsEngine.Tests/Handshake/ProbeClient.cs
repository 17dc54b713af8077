using System.Security.Cryptography;
using System.Text;
using TlsEngine.Fuzz;
using TlsEngine.Messages;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// A TLS 1.3 client cut down to what a conformance probe needs (in the manner of tlsfuzzer): it
/// sends whatever ClientHello the test shapes around its own P-256 key share, then completes the
/// handshake with .NET's primitives (RFC 8446 §7.1 key schedule, TLS_AES_128_GCM_SHA256 only)
/// and without judging the server's certificate. It exists for hellos the engine's own client
/// never sends, such as an old legacy_version or a maximal cipher suite list.
/// </summary>
internal sealed class ProbeClient : IDisposable
{
    private const ushort Suite = 0x1301;
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public ProbeClient()
    {
        ECParameters point = _key.ExportParameters(includePrivateParameters: false);
        byte[] share = [4, .. point.Q.X!, .. point.Q.Y!];
        Hello = new ClientHello
        {
            Random = RandomNumberGenerator.GetBytes(32),
            LegacySessionId = RandomNumberGenerator.GetBytes(32),
            CipherSuites = { Suite },
            Extensions =
            {
                new Extension(ExtensionType.SupportedVersions, ExtensionBlock.U16List(new ushort[] { 0x0304 }, 1)),
                new Extension(ExtensionType.SupportedGroups, ExtensionBlock.U16List(new ushort[] { 0x0017 }, 2)),
                new Extension(ExtensionType.SignatureAlgorithms, ExtensionBlock.U16List(new ushort[] { 0x0403, 0x0804 }, 2)),
                new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeClientKeyShares(new[] { new KeyShareEntry(0x0017, share) })),
            },
        };
    }

    /// <summary>The hello to send; tests edit it before <see cref="Run"/>.</summary>
    public ClientHello Hello { get; }

    /// <summary>
    /// Sends the hello (in as many records and Inbound writes as it takes), reads the server's flight
    /// and answers with the client Finished. Returns the server's status after its last step.
    /// </summary>
    public TlsStatus Run(TlsConnection server)
    {
        byte[] hello = Hello.Encode();
        TlsStatus status = Deliver(server, Records(hello));
        if (status == TlsStatus.Failed)
        {
            return status;
        }

        byte[] flight = server.Outbound.ReadAll();
        byte[] serverHello = RecordedFlight.Parse(flight).Messages[0].Message;
        ServerHello parsed = ServerHello.TryParse(serverHello.AsSpan(4)) ?? throw new InvalidOperationException("The server's first message is not a ServerHello.");
        Extension keyShare = parsed.Find(ExtensionType.KeyShare) ?? throw new InvalidOperationException("The ServerHello has no key_share.");
        ExtensionCodecs.TryDecodeServerKeyShare(keyShare.Data, out KeyShareEntry entry);
        byte[] shared = SharedSecret(entry.KeyExchange);

        // RFC 8446 §7.1 with no PSK: Early Secret, then the handshake secret from the (EC)DHE output.
        byte[] early = HKDF.Extract(HashAlgorithmName.SHA256, new byte[32], new byte[32]);
        byte[] handshake = HKDF.Extract(HashAlgorithmName.SHA256, shared, ExpandLabel(early, "derived", SHA256.HashData(Array.Empty<byte>())));
        byte[] helloHash = SHA256.HashData([.. hello, .. serverHello]);
        byte[] clientSecret = ExpandLabel(handshake, "c hs traffic", helloHash);
        byte[] serverSecret = ExpandLabel(handshake, "s hs traffic", helloHash);

        var transcript = new List<byte>(hello.Concat(serverHello));
        foreach ((byte[] message, bool isProtected) in RecordedFlight.Parse(flight, RecordCipher.Tls13(TlsCipherSuite.TLS_AES_128_GCM_SHA256, serverSecret)).Messages)
        {
            if (isProtected)
            {
                transcript.AddRange(message);
            }
        }

        // RFC 8446 §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(ClientHello .. server Finished)).
        byte[] verifyData = HMACSHA256.HashData(ExpandLabel(clientSecret, "finished", Array.Empty<byte>()), SHA256.HashData(transcript.ToArray()));
        byte[] finished = RecordCipher.Tls13(TlsCipherSuite.TLS_AES_128_GCM_SHA256, clientSecret).Seal(0, 22, RecordedFlight.Message(20, verifyData));
        return Deliver(server, [20, 3, 3, 0, 1, 1, .. finished]);
    }

    public void Dispose() => _key.Dispose();

    /// <summary>Writes everything into the server, calling Accept whenever Inbound is full.</summary>
    private static TlsStatus Deliver(TlsConnection server, byte[] bytes)
    {
        TlsStatus status = TlsStatus.WantRead;
        for (int offset = 0; offset < bytes.Length && status != TlsStatus.Failed;)
        {
            offset += server.Inbound.Write(bytes.AsSpan(offset));
            status = server.Accept();
        }

        return status;
    }

    private static byte[] Records(byte[] handshake)
    {
        var records = new List<byte>();
        for (int offset = 0; offset < handshake.Length; offset += 16384)
        {
            int length = Math.Min(16384, handshake.Length - offset);
            records.AddRange(new byte[] { 22, 3, 1, (byte)(length >> 8), (byte)length });
            records.AddRange(handshake.AsSpan(offset, length).ToArray());
        }

        return records.ToArray();
    }

    private byte[] SharedSecret(byte[] serverPoint)
    {
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = serverPoint[1..33], Y = serverPoint[33..65] },
        };
        using var peer = ECDiffieHellman.Create(parameters);
        return _key.DeriveRawSecretAgreement(peer.PublicKey);
    }

    /// <summary>HKDF-Expand-Label to the hash length (RFC 8446 §7.1).</summary>
    private static byte[] ExpandLabel(byte[] secret, string label, byte[] context)
    {
        byte[] fullLabel = Encoding.ASCII.GetBytes("tls13 " + label);
        byte[] info = [0, 32, (byte)fullLabel.Length, .. fullLabel, (byte)context.Length, .. context];
        return HKDF.Expand(HashAlgorithmName.SHA256, secret, 32, info);
    }
}
