using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TlsEngine.Crypto;
using TlsEngine.Datagram;
using TlsEngine.KeySchedule;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Datagram.DtlsLayers;

namespace TlsEngine.Tests.Datagram;

/// <summary>
/// The record bytes against computations that share nothing with the engine. RFC 9147 publishes
/// no record vectors, so the DTLS 1.3 ones come from TestData/dtls/dtls13-records.py (Python's
/// hmac and the "cryptography" package); the DTLS 1.2 ones are rebuilt here with the runtime's
/// AesGcm and ChaCha20Poly1305, following RFC 6347 §4.1.2.1, RFC 5288 §3 and RFC 7905 §2 literally.
/// </summary>
public class DtlsRecordVectorTests
{
    private static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello, datagram");

    public static IEnumerable<object[]> Dtls13Vectors()
    {
        foreach (string provider in new[] { "managed", "platform" })
        {
            yield return new object[] { "aes128", TlsCipherSuite.TLS_AES_128_GCM_SHA256, provider };
            yield return new object[] { "aes256", TlsCipherSuite.TLS_AES_256_GCM_SHA384, provider };
            yield return new object[] { "chacha", TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, provider };
        }
    }

    [Theory]
    [MemberData(nameof(Dtls13Vectors))]
    public void Dtls13_records_match_an_independent_implementation_byte_for_byte(string name, TlsCipherSuite suite, string provider)
    {
        Dictionary<string, byte[]> vectors = Hex.ReadVectors("dtls/dtls13-records.txt");
        CipherSuiteInfo info = CipherSuiteInfo.Get(suite);
        byte[] secret = Enumerable.Range(0, info.HashLength).Select(i => (byte)i).ToArray();
        using var sender = new DtlsRecordLayer();
        using var receiver = new DtlsRecordLayer();
        sender.AddWriteEpoch(3, Dtls13RecordProtection.FromTrafficSecret(Provider(provider), info, secret));
        receiver.AddReadEpoch(3, Dtls13RecordProtection.FromTrafficSecret(Provider(provider), info, secret));

        for (int sequence = 0; sequence < 2; sequence++)
        {
            byte[] expected = vectors[$"{name}.record{sequence}"];
            Assert.Equal(Hex.Of(expected), Hex.Of(Write(sender, 3, ContentType.ApplicationData, Hello)));

            Assert.Equal(RecordDrop.None, ReadOne(receiver, expected, out DtlsRecord record, out byte[] content));
            Assert.Equal((ContentType.ApplicationData, 3UL, (ulong)sequence), (record.Type, record.Epoch, record.Sequence));
            Assert.Equal(Hello, content);
        }
    }

    [Theory]
    [InlineData("aes128", TlsCipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData("aes256", TlsCipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData("chacha", TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public void Dtls13_key_iv_and_sn_key_use_the_dtls13_label_prefix(string name, TlsCipherSuite suite)
    {
        Dictionary<string, byte[]> vectors = Hex.ReadVectors("dtls/dtls13-records.txt");
        CipherSuiteInfo info = CipherSuiteInfo.Get(suite);
        int keyLength = info.KeyLength;
        byte[] secret = Enumerable.Range(0, info.HashLength).Select(i => (byte)i).ToArray();
        var hkdf = new Hkdf(CryptoProviders.Default, info.Hash, Hkdf.Dtls13LabelPrefix);

        Assert.Equal(Hex.Of(vectors[$"{name}.key"]), Hex.Of(hkdf.ExpandLabel(secret, "key", default, keyLength)));
        Assert.Equal(Hex.Of(vectors[$"{name}.iv"]), Hex.Of(hkdf.ExpandLabel(secret, "iv", default, 12)));
        Assert.Equal(Hex.Of(vectors[$"{name}.sn"]), Hex.Of(hkdf.ExpandLabel(secret, "sn", default, keyLength)));
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "managed")]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "platform")]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "managed")]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "platform")]
    public void Dtls12_records_match_the_runtime_aead_with_the_rfc_nonce_and_additional_data(TlsCipherSuite suite, string provider)
    {
        CipherSuiteInfo info = CipherSuiteInfo.Get(suite);
        byte[] key = Enumerable.Range(0, info.KeyLength).Select(i => (byte)(0x40 + i)).ToArray();
        byte[] fixedIv = Enumerable.Range(0, info.Tls12FixedIvLength).Select(i => (byte)(0x90 + i)).ToArray();
        const ushort epoch = 0x0102;
        const ulong sequence = 0x0000_0304_0506;
        using var sender = new DtlsRecordLayer();
        sender.AddWriteEpoch(epoch, new Dtls12RecordProtection(Provider(provider), info.Aead, key, fixedIv));
        sender.SetNextWriteSequence(epoch, sequence);

        byte[] wire = Write(sender, epoch, ContentType.ApplicationData, Hello);

        // RFC 6347 §4.1.2.1: the 64-bit seq_num is epoch || 48-bit sequence number, in header order.
        byte[] recordNumber = Hex.Parse("0102 000003040506");
        byte[] aad = recordNumber.Concat(new byte[] { 23, 0xFE, 0xFD, 0, (byte)Hello.Length }).ToArray();
        byte[] ciphertext = new byte[Hello.Length];
        byte[] tag = new byte[16];
        byte[] explicitNonce;
        if (info.Aead == AeadAlgorithm.ChaCha20Poly1305)
        {
            // RFC 7905 §2: the sequence number, padded left with four zero bytes, XOR the 12-byte IV.
            byte[] nonce = new byte[4].Concat(recordNumber).Select((b, i) => (byte)(b ^ fixedIv[i])).ToArray();
            using var chacha = new ChaCha20Poly1305(key);
            chacha.Encrypt(nonce, Hello, ciphertext, tag, aad);
            explicitNonce = Array.Empty<byte>();
        }
        else
        {
            // RFC 5288 §3: salt || explicit nonce, the explicit part sent before the ciphertext.
            explicitNonce = recordNumber;
            using var gcm = new AesGcm(key, 16);
            gcm.Encrypt(fixedIv.Concat(explicitNonce).ToArray(), Hello, ciphertext, tag, aad);
        }

        byte[] payload = explicitNonce.Concat(ciphertext).Concat(tag).ToArray();
        byte[] header = Hex.Parse("17 fefd 0102 000003040506 0000");
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(11), (ushort)payload.Length);
        Assert.Equal(Hex.Of(header.Concat(payload).ToArray()), Hex.Of(wire));

        using var receiver = new DtlsRecordLayer();
        receiver.AddReadEpoch(epoch, new Dtls12RecordProtection(Provider(provider == "managed" ? "platform" : "managed"), info.Aead, key, fixedIv));
        Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out DtlsRecord record, out byte[] content));
        Assert.Equal((ContentType.ApplicationData, (ulong)epoch, sequence), (record.Type, record.Epoch, record.Sequence));
        Assert.Equal(Hello, content);
    }
}
