using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using TlsEngine.Crypto;
using TlsEngine.Datagram;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>
/// RFC 9147 publishes no test vectors for record number encryption (nor do its errata), so the
/// masks are checked against the ciphers' own published vectors (FIPS-197 for AES) and against
/// BouncyCastle's independent ChaCha20 for the block function with a chosen counter.
/// </summary>
public class RecordNumberEncryptionTests
{
    public static IEnumerable<object[]> Providers()
    {
        yield return new object[] { "managed" };
        yield return new object[] { "platform" };
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Aes128_mask_is_one_ecb_block_of_the_sample(string provider)
    {
        // FIPS-197 Appendix C.1.
        using IRecordNumberMask mask = Provider(provider).CreateRecordNumberMask(AeadAlgorithm.Aes128Gcm, Hex.Parse("000102030405060708090a0b0c0d0e0f"));
        byte[] output = new byte[16];
        mask.Compute(Hex.Parse("00112233445566778899aabbccddeeff"), output);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Hex.Of(output));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Aes256_mask_is_one_ecb_block_of_the_sample(string provider)
    {
        // FIPS-197 Appendix C.3.
        using IRecordNumberMask mask = Provider(provider).CreateRecordNumberMask(
            AeadAlgorithm.Aes256Gcm, Hex.Parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        byte[] output = new byte[16];
        mask.Compute(Hex.Parse("00112233445566778899aabbccddeeff"), output);
        Assert.Equal("8ea2b7ca516745bfeafc49904b496089", Hex.Of(output));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(7u)]
    public void ChaCha20_mask_is_the_block_at_the_samples_counter(uint counter)
    {
        byte[] key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] nonce = Hex.Parse("000000090000004a00000000");
        byte[] sample = new byte[16];
        BitConverter.GetBytes(counter).CopyTo(sample, 0); // little-endian block counter
        nonce.CopyTo(sample, 4);

        var reference = new ChaCha7539Engine();
        reference.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] stream = new byte[64 * (counter + 1)];
        reference.ProcessBytes(new byte[stream.Length], 0, stream.Length, stream, 0);

        foreach (string provider in new[] { "managed", "platform" })
        {
            using IRecordNumberMask mask = Provider(provider).CreateRecordNumberMask(AeadAlgorithm.ChaCha20Poly1305, key);
            byte[] output = new byte[16];
            mask.Compute(sample, output);
            Assert.Equal(Hex.Of(stream.AsSpan((int)(64 * counter), 16).ToArray()), Hex.Of(output));
        }
    }

    [Fact]
    public void ChaCha20_block_matches_rfc8439_section_2_3_2()
    {
        using var chacha = new ChaCha20RecordNumberMask(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        byte[] block = new byte[64];
        chacha.Block(1, Hex.Parse("000000090000004a00000000"), block);
        Assert.StartsWith("10f1e7e4d13b5915500fdd1fa32071c4", Hex.Of(block));
    }

    [Theory]
    [InlineData((int)AeadAlgorithm.Aes128Gcm, 16, false)]
    [InlineData((int)AeadAlgorithm.Aes256Gcm, 32, true)]
    [InlineData((int)AeadAlgorithm.ChaCha20Poly1305, 32, true)]
    public void Sequence_bits_round_trip_through_encryption(int algorithmId, int keyLength, bool longSequence)
    {
        var algorithm = (AeadAlgorithm)algorithmId;
        using IRecordNumberMask mask = CryptoProviders.Default.CreateRecordNumberMask(algorithm, new byte[keyLength].Select((_, i) => (byte)(i * 3)).ToArray());
        var random = new Random(42);
        for (int i = 0; i < 200; i++)
        {
            ulong sequence = (ulong)random.NextInt64(0, 1L << 48);
            byte[] record = new byte[UnifiedHeaderCodec.HeaderLength(0, longSequence, true) + 16 + random.Next(0, 40)];
            int headerLength = UnifiedHeaderCodec.Write(record, 3, default, sequence, longSequence, record.Length - UnifiedHeaderCodec.HeaderLength(0, longSequence, true));
            random.NextBytes(record.AsSpan(headerLength));
            Assert.Equal(RecordDrop.None, UnifiedHeaderCodec.TryRead(record, 0, out UnifiedHeader header));
            ushort plain = header.ReadSequenceBits(record);

            Assert.Equal(RecordDrop.None, RecordNumberEncryption.Apply(mask, record, header, out ushort encrypted));
            Assert.Equal(encrypted, header.ReadSequenceBits(record));
            Assert.Equal(RecordDrop.None, RecordNumberEncryption.Apply(mask, record, header, out ushort decrypted));

            Assert.Equal(plain, decrypted);
            Assert.Equal((ushort)(sequence & (longSequence ? 0xFFFFUL : 0xFFUL)), decrypted);
        }
    }

    [Fact]
    public void Encrypted_bits_are_the_sequence_xor_the_masks_leading_bytes()
    {
        byte[] key = Hex.Parse("000102030405060708090a0b0c0d0e0f");
        using IRecordNumberMask mask = CryptoProviders.Default.CreateRecordNumberMask(AeadAlgorithm.Aes128Gcm, key);
        byte[] record = new byte[5 + 16];
        UnifiedHeaderCodec.Write(record, 1, default, 0x0102, longSequence: true, 16);
        Hex.Parse("00112233445566778899aabbccddeeff").CopyTo(record, 5);
        UnifiedHeaderCodec.TryRead(record, 0, out UnifiedHeader header);

        RecordNumberEncryption.Apply(mask, record, header, out ushort encrypted);

        // 0x0102 XOR 0x69c4 (the FIPS-197 block's first two bytes).
        Assert.Equal(0x0102 ^ 0x69C4, encrypted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    public void Ciphertext_shorter_than_the_sample_is_dropped_untouched(int payload)
    {
        using IRecordNumberMask mask = CryptoProviders.Default.CreateRecordNumberMask(AeadAlgorithm.Aes128Gcm, new byte[16]);
        byte[] record = new byte[4 + payload];
        UnifiedHeaderCodec.Write(record, 0, default, 9, longSequence: false, payload);
        Assert.Equal(RecordDrop.None, UnifiedHeaderCodec.TryRead(record, 0, out UnifiedHeader header));
        byte[] before = (byte[])record.Clone();

        Assert.Equal(RecordDrop.CiphertextTooShort, RecordNumberEncryption.Apply(mask, record, header, out _));
        Assert.Equal(before, record);
    }

    [Theory]
    [InlineData((int)AeadAlgorithm.Aes128Gcm, 32)]
    [InlineData((int)AeadAlgorithm.Aes256Gcm, 16)]
    [InlineData((int)AeadAlgorithm.ChaCha20Poly1305, 16)]
    public void Key_of_the_wrong_length_is_refused_by_both_providers(int algorithmId, int keyLength)
    {
        var algorithm = (AeadAlgorithm)algorithmId;
        Assert.Throws<ArgumentException>(() => Provider("managed").CreateRecordNumberMask(algorithm, new byte[keyLength]));
        Assert.Throws<ArgumentException>(() => Provider("platform").CreateRecordNumberMask(algorithm, new byte[keyLength]));
    }

    private static ICryptoProvider Provider(string name) => CryptoProviders.For(preferPlatform: name == "platform");
}
