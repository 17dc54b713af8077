using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.KeySchedule;

/// <summary>
/// The transcript asks its hash for the current value once per point of the transcript, hands out
/// copies, and frees every hash context it stops using.
/// </summary>
public class TranscriptHashTests
{
    [Fact]
    public void Current_is_computed_once_per_point_and_handed_out_as_copies()
    {
        var spy = new HashSpy(CryptoProviders.Default);
        var transcript = new TranscriptHash(spy, keepRaw: false);
        transcript.Add("client hello"u8);
        transcript.SetAlgorithm(HashAlgorithmId.Sha256);

        byte[] first = transcript.Current();
        first[0] ^= 0xFF;
        byte[] second = transcript.Current();

        Assert.Equal(1, spy.Snapshots);
        Assert.NotEqual(first, second);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("client hello"u8), second);

        transcript.Add("server hello"u8);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("client helloserver hello"u8), transcript.Current());
        Assert.Equal(2, spy.Snapshots);
    }

    [Fact]
    public void Every_hash_context_is_disposed_once_the_transcript_is_released()
    {
        var spy = new HashSpy(CryptoProviders.Default);
        var transcript = new TranscriptHash(spy, keepRaw: false);
        transcript.Add("client hello"u8);
        transcript.SetAlgorithm(HashAlgorithmId.Sha256);
        transcript.ReplaceWithMessageHash(HashAlgorithmId.Sha256);
        transcript.HashWith(HashAlgorithmId.Sha256, "binders"u8);
        transcript.Add("hello retry request"u8);
        _ = transcript.Current();

        transcript.Release();

        Assert.Equal(3, spy.Created.Count);
        Assert.All(spy.Created, context => Assert.True(context.Disposed));
    }

    private sealed class HashSpy : DelegatingCryptoProvider
    {
        public HashSpy(ICryptoProvider inner)
            : base(inner)
        {
        }

        public List<CountingHash> Created { get; } = new();

        public int Snapshots { get; set; }

        public override IHashContext CreateHash(HashAlgorithmId algorithm)
        {
            var context = new CountingHash(this, Inner.CreateHash(algorithm));
            Created.Add(context);
            return context;
        }
    }

    private sealed class CountingHash : IHashContext
    {
        private readonly HashSpy _spy;
        private readonly IHashContext _inner;

        public CountingHash(HashSpy spy, IHashContext inner)
        {
            _spy = spy;
            _inner = inner;
        }

        public bool Disposed { get; private set; }

        public int HashLength => _inner.HashLength;

        public void Update(ReadOnlySpan<byte> data) => _inner.Update(data);

        public byte[] GetCurrentHash()
        {
            _spy.Snapshots++;
            return _inner.GetCurrentHash();
        }

        public IHashContext Clone()
        {
            var clone = new CountingHash(_spy, _inner.Clone());
            _spy.Created.Add(clone);
            return clone;
        }

        public void Dispose()
        {
            Disposed = true;
            _inner.Dispose();
        }
    }
}
