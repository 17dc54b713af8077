using TlsEngine;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.KeySchedule;

/// <summary>
/// HKDF-Expand's intermediate blocks T(i) are key material: none outlives the call. They are computed
/// into stack memory (which Expand clears before it returns), never into heap arrays a GC could copy.
/// </summary>
public class HkdfZeroingTests
{
    [Fact]
    public void Expand_computes_every_intermediate_block_off_the_heap()
    {
        var spy = new HmacSpy(CryptoProviders.Default);
        var hkdf = new Hkdf(spy, HashAlgorithmId.Sha256);
        byte[] output = hkdf.Expand(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 }, "info"u8, 80);
        Assert.Contains(output, b => b != 0);
        Assert.Empty(spy.Blocks);
        Assert.Equal(3, spy.BlocksIntoSpans);
    }

    [Fact]
    public void Expand_label_matches_rfc5869_expand_over_the_encoded_label()
    {
        var hkdf = new Hkdf(CryptoProviders.Default, HashAlgorithmId.Sha256);
        byte[] secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] context = { 9, 8, 7 };
        // HkdfLabel: length (2), "tls13 " + label (vector8), context (vector8).
        byte[] info = new byte[] { 0, 40, 6 + 3 }.Concat("tls13 key"u8.ToArray()).Concat(new byte[] { 3 }).Concat(context).ToArray();

        Assert.Equal(hkdf.Expand(secret, info, 40), hkdf.ExpandLabel(secret, "key", context, 40));
    }

    private sealed class HmacSpy : DelegatingCryptoProvider
    {
        public HmacSpy(ICryptoProvider inner)
            : base(inner)
        {
        }

        public List<byte[]> Blocks { get; } = new();

        public int BlocksIntoSpans { get; private set; }

        public override int Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
        {
            BlocksIntoSpans++;
            return Inner.Hmac(algorithm, key, data, destination);
        }

        public override IHmac CreateHmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key) => new CountingHmac(this, Inner.CreateHmac(algorithm, key));

        public override byte[] Hmac(HashAlgorithmId algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
        {
            byte[] block = Inner.Hmac(algorithm, key, data);
            Blocks.Add(block);
            return block;
        }

        private sealed class CountingHmac : IHmac
        {
            private readonly HmacSpy _spy;
            private readonly IHmac _inner;

            public CountingHmac(HmacSpy spy, IHmac inner)
            {
                _spy = spy;
                _inner = inner;
            }

            public int Length => _inner.Length;

            public int Compute(ReadOnlySpan<byte> data, Span<byte> destination)
            {
                _spy.BlocksIntoSpans++;
                return _inner.Compute(data, destination);
            }

            public void Dispose() => _inner.Dispose();
        }
    }
}
