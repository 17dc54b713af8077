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

    [GlobalSetup]
    public void Setup()
    {
        _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signature = _ecdsa.SignData(_data.AsSpan(0, 130), HashAlgorithmName.SHA256);
        _gcm = new AesGcm(new byte[16], 16);
        _peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
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
