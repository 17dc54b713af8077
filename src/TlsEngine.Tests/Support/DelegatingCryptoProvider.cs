using TlsEngine.Crypto;

namespace TlsEngine.Tests.Support;

/// <summary>
/// A provider that hands every call to another one: spies derive from it and override only the
/// calls they count or check.
/// </summary>
internal abstract class DelegatingCryptoProvider : ICryptoProvider
{
    protected DelegatingCryptoProvider(ICryptoProvider inner) => Inner = inner;

    protected ICryptoProvider Inner { get; }

    public virtual string Name => Inner.Name;

    public virtual IHashContext CreateHash(HashAlgorithmId algorithm) => Inner.CreateHash(algorithm);

    public virtual byte[] Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => Inner.Hmac(algorithm, key, data);

    public virtual int Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) => Inner.Hmac(algorithm, key, data, destination);

    public virtual IHmac CreateHmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key) => Inner.CreateHmac(algorithm, key);

    public virtual IAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => Inner.CreateAead(algorithm, key);

    public virtual IRecordNumberMask CreateRecordNumberMask(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => Inner.CreateRecordNumberMask(algorithm, key);

    public virtual bool SupportsGroup(TlsNamedGroup group) => Inner.SupportsGroup(group);

    public virtual IKeyShare GenerateKeyShare(TlsNamedGroup group, TlsRandom random) => Inner.GenerateKeyShare(group, random);

    public virtual KeyExchangeResponse? Encapsulate(TlsNamedGroup group, ReadOnlySpan<byte> clientShare, TlsRandom random) => Inner.Encapsulate(group, clientShare, random);

    public virtual ICertificate? ParseCertificate(byte[] der) => Inner.ParseCertificate(der);

    public virtual IPrivateKey? ParsePrivateKey(string pemLabel, byte[] der) => Inner.ParsePrivateKey(pemLabel, der);

    public virtual IPublicKey? ParsePublicKey(byte[] subjectPublicKeyInfo) => Inner.ParsePublicKey(subjectPublicKeyInfo);

    public virtual byte[] Sign(IPrivateKey key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, TlsRandom random) => Inner.Sign(key, scheme, data, random);

    public virtual bool Verify(IPublicKey key, TlsSignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, bool anyCurve = false) =>
        Inner.Verify(key, scheme, data, signature, anyCurve);
}
