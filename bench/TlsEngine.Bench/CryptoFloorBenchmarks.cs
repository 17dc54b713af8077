using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace TlsEngine.Bench;

/// <summary>The crypto a handshake and a bulk transfer cannot avoid, so engine overhead shows as a ratio.</summary>
[MemoryDiagnoser]
public class CryptoFloorBenchmarks
{
    private readonly byte[] _data = new byte[16384];
    private readonly byte[] _output = new byte[16384 + 16];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _nonce = new byte[12];
    private ECDsa _ecdsa = null!;
    private byte[] _signature = null!;
    private AesGcm _gcm = null!;
    private ECDiffieHellman _peer = null!;
    private TlsEngine.Crypto.ICryptoProvider _crypto = null!;
    private TlsEngine.Crypto.IKeyShare _x25519Peer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signature = _ecdsa.SignData(_data.AsSpan(0, 130), HashAlgorithmName.SHA256);
        _gcm = new AesGcm(new byte[16], 16);
        _peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _crypto = TlsEngine.Crypto.CryptoProviders.For(preferPlatform: true);
        _x25519Peer = _crypto.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.System);
    }

    /// <summary>The engine's own X25519 (the runtime has none): a key pair from the fixed-base table.</summary>
    [Benchmark]
    public byte[] X25519_keygen()
    {
        using TlsEngine.Crypto.IKeyShare share = _crypto.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.System);
        return share.PublicKey;
    }

    /// <summary>A key pair and its agreement with a peer's public key (the ladder): one side of a handshake.</summary>
    [Benchmark]
    public byte[]? X25519_keygen_and_agreement()
    {
        using TlsEngine.Crypto.IKeyShare share = _crypto.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.System);
        return share.DeriveSharedSecret(_x25519Peer.PublicKey);
    }

    [Benchmark]
    public byte[] P256_keygen_and_agreement()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return key.DeriveRawSecretAgreement(_peer.PublicKey);
    }

    [Benchmark]
    public byte[] Ecdsa_p256_sign() => _ecdsa.SignData(_data.AsSpan(0, 130), HashAlgorithmName.SHA256);

    [Benchmark]
    public bool Ecdsa_p256_verify() => _ecdsa.VerifyData(_data.AsSpan(0, 130), _signature, HashAlgorithmName.SHA256);

    /// <summary>Per 16 KiB record; multiply by 4096 for the 64 MiB transfer.</summary>
    [Benchmark]
    public void Aes128Gcm_seal_16KiB() => _gcm.Encrypt(_nonce, _data, _output.AsSpan(0, 16384), _tag);
}
