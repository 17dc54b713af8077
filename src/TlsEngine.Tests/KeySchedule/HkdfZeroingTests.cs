using TlsEngine;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using Xunit;

namespace TlsEngine.Tests.KeySchedule;

/// <summary>HKDF-Expand's intermediate blocks T(i) are key material: none outlives the call.</summary>
public class HkdfZeroingTests
{
    [Fact]
    public void Expand_zeroes_every_intermediate_block()
    {
        var spy = new HmacSpy(CryptoProviders.Default);
        var hkdf = new Hkdf(spy, HashAlgorithmId.Sha256);
        byte[] output = hkdf.Expand(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 }, "info"u8, 80);
        Assert.Contains(output, b => b != 0);
        Assert.Equal(3, spy.Blocks.Count);
        Assert.All(spy.Blocks, block => Assert.All(block, b => Assert.Equal(0, b)));
    }

    private sealed class HmacSpy : ICryptoProvider
    {
        private readonly ICryptoProvider _inner;

        public HmacSpy(ICryptoProvider inner) => _inner = inner;

        public List<byte[]> Blocks { get; } = new();

        public string Name => _inner.Name;

        public IHashContext CreateHash(HashAlgorithmId algorithm) => _inner.CreateHash(algorithm);

        public byte[] Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
        {
            byte[] block = _inner.Hmac(algorithm, key, data);
            Blocks.Add(block);
            return block;
        }

        public IAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => _inner.CreateAead(algorithm, key);

        public bool SupportsGroup(TlsNamedGroup group) => _inner.SupportsGroup(group);

        public IKeyShare GenerateKeyShare(TlsNamedGroup group, TlsRandom random) => _inner.GenerateKeyShare(group, random);

        public KeyExchangeResponse? Encapsulate(TlsNamedGroup group, ReadOnlySpan<byte> clientShare, TlsRandom random) => _inner.Encapsulate(group, clientShare, random);

        public ICertificate? ParseCertificate(byte[] der) => _inner.ParseCertificate(der);

        public IPrivateKey? ParsePrivateKey(string pemLabel, byte[] der) => _inner.ParsePrivateKey(pemLabel, der);

        public IPublicKey? ParsePublicKey(byte[] subjectPublicKeyInfo) => _inner.ParsePublicKey(subjectPublicKeyInfo);

        public byte[] Sign(IPrivateKey key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, TlsRandom random) => _inner.Sign(key, scheme, data, random);

        public bool Verify(IPublicKey certificate, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false) =>
            _inner.Verify(certificate, scheme, data, signature, anyCurve);
    }
}
