using System.Security.Cryptography;

namespace TlsEngine.Cli;

/// <summary>
/// What the bench compares the engine against: the cryptography a TLS 1.3 handshake or record cannot do
/// without, timed alone through the same .NET primitives the platform provider uses.
/// </summary>
internal static class BenchFloors
{
    // Typical sizes in the bench's handshake (X25519 share, one P-256 certificate of about 450 bytes).
    private static readonly byte[] ClientHello = new byte[250];
    private static readonly byte[] ServerHello = new byte[90];
    private static readonly byte[] EncryptedExtensions = new byte[10];
    private static readonly byte[] Certificate = new byte[450];
    private static readonly byte[] CertificateVerify = new byte[80];
    private static readonly byte[] Finished = new byte[36];
    private static readonly byte[] Zeros = new byte[32];

    /// <summary>Two X25519 key pairs and agreements, one CertificateVerify signature and its check, through the platform provider.</summary>
    public static void PublicKey(TlsCertificateCredential credential)
    {
        TlsEngine.Crypto.ICryptoProvider crypto = TlsEngine.Crypto.CryptoProviders.For(preferPlatform: true);
        using TlsEngine.Crypto.IKeyShare client = crypto.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.System);
        using TlsEngine.Crypto.IKeyShare server = crypto.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.System);
        server.DeriveSharedSecret(client.PublicKey);
        client.DeriveSharedSecret(server.PublicKey);
        byte[] transcript = new byte[130];
        byte[] signature = crypto.Sign(credential.Key!, TlsSignatureScheme.EcdsaSecp256r1Sha256, transcript, TlsRandom.System);
        crypto.Verify(credential.Chain[0], TlsSignatureScheme.EcdsaSecp256r1Sha256, transcript, signature);
    }

    /// <summary>
    /// <see cref="PublicKey"/> plus, for each side, the rest of a TLS 1.3 full handshake's cryptography at its
    /// least (RFC 8446 §7.1, §4.4): the random values, the transcript hash and its four snapshots, the key
    /// schedule's HKDF calls with one HMAC key per secret, four AES-GCM keys, and one handshake record sealed
    /// and opened each way. Constants that need no input (the early secret without a PSK) are left out, as
    /// the engine computes them once per process.
    /// </summary>
    public static void Handshake(TlsCertificateCredential credential)
    {
        PublicKey(credential);
        using var client = new Side(server: false);
        using var server = new Side(server: true);
        byte[] tag = new byte[16];

        // The server's encrypted flight, then the client's Finished: sealed by one side, opened by the other
        // (every key here comes from the same inputs, so the peer's read key is the writer's key).
        server.Flight();
        server.Seal(server.HandshakeWrite!, ServerFlight, tag);
        client.Flight();
        client.Open(client.HandshakeRead!, ServerFlight, tag);
        client.Seal(client.HandshakeWrite!, ClientFlight, tag);
        server.Open(server.HandshakeRead!, ClientFlight, tag);
    }

    private static readonly byte[] ServerFlight = new byte[EncryptedExtensions.Length + Certificate.Length + CertificateVerify.Length + Finished.Length + 1];
    private static readonly byte[] ClientFlight = new byte[Finished.Length + 1];

    /// <summary>One side's transcript, key schedule and record keys.</summary>
    private sealed class Side : IDisposable
    {
        private readonly IncrementalHash _transcript = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _hash = new byte[32];
        private readonly byte[] _secret = new byte[32];
        private readonly byte[] _clientHandshake = new byte[32];
        private readonly byte[] _serverHandshake = new byte[32];
        private readonly bool _server;

        public Side(bool server)
        {
            _server = server;
            // Client: random and legacy_session_id (compatibility mode); server: random. The key share's
            // private key is drawn in PublicKey.
            Span<byte> random = stackalloc byte[32];
            RandomNumberGenerator.Fill(random);
            if (!server)
            {
                RandomNumberGenerator.Fill(random);
            }

            _transcript.AppendData(ClientHello);
            _transcript.AppendData(ServerHello);
            _transcript.GetCurrentHash(_hash);

            // handshake_secret = HKDF-Extract(derived, (EC)DHE); two traffic secrets and "derived".
            HMACSHA256.HashData(Zeros, Zeros, _secret);
            using (var handshakeSecret = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret))
            {
                Expand(handshakeSecret, _clientHandshake);
                Expand(handshakeSecret, _serverHandshake);
                Expand(handshakeSecret, _secret);
            }

            HandshakeWrite = Keys(server ? _serverHandshake : _clientHandshake);
            HandshakeRead = Keys(server ? _clientHandshake : _serverHandshake);
        }

        public AesGcm? HandshakeWrite { get; private set; }

        public AesGcm? HandshakeRead { get; private set; }

        public AesGcm? ApplicationWrite { get; private set; }

        public AesGcm? ApplicationRead { get; private set; }

        /// <summary>From EncryptedExtensions to the application traffic keys: both Finished messages and the master secret.</summary>
        public void Flight()
        {
            _transcript.AppendData(EncryptedExtensions);
            _transcript.AppendData(Certificate);
            _transcript.GetCurrentHash(_hash);
            _transcript.AppendData(CertificateVerify);
            _transcript.GetCurrentHash(_hash);
            Finish(_serverHandshake, _hash);
            _transcript.AppendData(Finished);
            _transcript.GetCurrentHash(_hash);

            // master_secret = HKDF-Extract(derived, 0); application traffic secrets and the exporter secret.
            HMACSHA256.HashData(_secret, Zeros, _secret);
            byte[] clientApplication = new byte[32];
            byte[] serverApplication = new byte[32];
            using (var masterSecret = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret))
            {
                Expand(masterSecret, clientApplication);
                Expand(masterSecret, serverApplication);
                Expand(masterSecret, _secret);
            }

            Finish(_clientHandshake, _hash);
            ApplicationWrite = Keys(_server ? serverApplication : clientApplication);
            ApplicationRead = Keys(_server ? clientApplication : serverApplication);
        }

        public void Seal(AesGcm aead, byte[] content, byte[] tag) => aead.Encrypt(new byte[12], content, content, tag, new byte[5]);

        public void Open(AesGcm aead, byte[] content, byte[] tag) => aead.Decrypt(new byte[12], content, tag, content, new byte[5]);

        public void Dispose()
        {
            _transcript.Dispose();
            HandshakeWrite?.Dispose();
            HandshakeRead?.Dispose();
            ApplicationWrite?.Dispose();
            ApplicationRead?.Dispose();
        }
    }

    /// <summary>HKDF-Expand-Label for one 32-byte output: one HMAC block with a key set once per secret.</summary>
    private static void Expand(IncrementalHash prk, Span<byte> output)
    {
        Span<byte> info = stackalloc byte[50];
        prk.AppendData(info);
        prk.GetHashAndReset(output);
    }

    /// <summary>A traffic secret's key and IV (two HKDF-Expand-Label calls) and the AES-GCM instance for it.</summary>
    private static AesGcm Keys(byte[] trafficSecret)
    {
        Span<byte> key = stackalloc byte[32];
        using var prk = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, trafficSecret);
        Expand(prk, key);
        Expand(prk, key);
        return new AesGcm(key.Slice(0, 16), 16);
    }

    /// <summary>The finished_key and one verify_data (RFC 8446 §4.4.4).</summary>
    private static void Finish(byte[] trafficSecret, ReadOnlySpan<byte> transcriptHash)
    {
        Span<byte> finishedKey = stackalloc byte[32];
        using (var prk = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, trafficSecret))
        {
            Expand(prk, finishedKey);
        }

        Span<byte> verifyData = stackalloc byte[32];
        HMACSHA256.HashData(finishedKey, transcriptHash, verifyData);
    }

    /// <summary>
    /// MB/s of plaintext sealed and opened in place with .NET's AES-128-GCM, 16 KiB at a time. Record-shaped,
    /// each call also carries what TLS 1.3 cannot leave out (RFC 8446 §5.2): the content type byte inside the
    /// encryption and the record header as additional data, which .NET hands to OpenSSL as one more call.
    /// </summary>
    public static double Aead(double seconds, bool recordShaped)
    {
        using var gcm = new AesGcm(new byte[16], 16);
        byte[] data = new byte[BenchCommand.Chunk + 1];
        byte[] tag = new byte[16];
        byte[] nonce = new byte[12];
        byte[] header = new byte[5];
        int sealedLength = recordShaped ? BenchCommand.Chunk + 1 : BenchCommand.Chunk;
        return BenchCommand.Throughput(seconds, () =>
        {
            Span<byte> inPlace = data.AsSpan(0, sealedLength);
            gcm.Encrypt(nonce, inPlace, inPlace, tag, recordShaped ? header : default);
            gcm.Decrypt(nonce, inPlace, tag, inPlace, recordShaped ? header : default);
            return BenchCommand.Chunk;
        });
    }
}
