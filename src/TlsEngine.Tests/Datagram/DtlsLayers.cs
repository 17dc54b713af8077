using TlsEngine.Crypto;
using TlsEngine.Datagram;
using TlsEngine.Records;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>Record layers keyed alike on both ends, so what one writes the other reads.</summary>
internal static class DtlsLayers
{
    public static readonly TlsCipherSuite[] Dtls13Suites =
    {
        TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    };

    public static readonly TlsCipherSuite[] Dtls12Suites =
    {
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    public static ICryptoProvider Provider(string name) => CryptoProviders.For(preferPlatform: name == "platform");

    /// <summary>Keys for one epoch of <paramref name="suite"/> (DTLS 1.3 from a traffic secret, DTLS 1.2 from a key and IV), all derived from <paramref name="seed"/>.</summary>
    public static DtlsRecordProtection Keys(ICryptoProvider crypto, TlsCipherSuite suite, byte seed)
    {
        CipherSuiteInfo info = CipherSuiteInfo.Get(suite);
        if (info.Version == TlsVersion.Tls13)
        {
            byte[] secret = Enumerable.Range(0, info.HashLength).Select(i => (byte)(seed + i)).ToArray();
            return Dtls13RecordProtection.FromTrafficSecret(crypto, info, secret);
        }

        byte[] key = Enumerable.Range(0, info.KeyLength).Select(i => (byte)(seed * 3 + i)).ToArray();
        byte[] iv = Enumerable.Range(0, info.Tls12FixedIvLength).Select(i => (byte)(seed ^ (0xA0 + i))).ToArray();
        return new Dtls12RecordProtection(crypto, info.Aead, key, iv);
    }

    /// <summary>A sender writing and a receiver reading each of <paramref name="epochs"/> with the same keys.</summary>
    public static (DtlsRecordLayer Sender, DtlsRecordLayer Receiver) Pair(TlsCipherSuite suite, string senderProvider = "managed", string receiverProvider = "managed", params ulong[] epochs)
    {
        var sender = new DtlsRecordLayer();
        var receiver = new DtlsRecordLayer();
        foreach (ulong epoch in epochs.Length == 0 ? new ulong[] { 3 } : epochs)
        {
            sender.AddWriteEpoch(epoch, Keys(Provider(senderProvider), suite, (byte)epoch));
            receiver.AddReadEpoch(epoch, Keys(Provider(receiverProvider), suite, (byte)epoch));
        }

        return (sender, receiver);
    }

    /// <summary>One record as it goes on the wire.</summary>
    public static byte[] Write(DtlsRecordLayer sender, ulong epoch, ContentType type, byte[] content)
    {
        byte[] output = new byte[sender.SealedLength(epoch, content.Length)];
        Assert.Equal(output.Length, sender.WriteRecord(epoch, type, content, output));
        return output;
    }

    public static byte[] Content(int length, int seed = 1) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed)).ToArray();

    /// <summary>Reads a single-record datagram (a copy: reading decrypts in place) and asserts it ends there.</summary>
    public static RecordDrop ReadOne(DtlsRecordLayer receiver, byte[] wire, out DtlsRecord record, out byte[] content)
    {
        byte[] datagram = (byte[])wire.Clone();
        int offset = 0;
        RecordDrop drop = receiver.TryReadRecord(datagram, ref offset, out record);
        content = drop == RecordDrop.None ? record.Content(datagram).ToArray() : Array.Empty<byte>();
        Assert.Equal(datagram.Length, offset);
        return drop;
    }

    public static byte[] Concat(params byte[][] records) => records.SelectMany(r => r).ToArray();

    public static byte[] Flip(byte[] wire, int index, byte bits = 0x01)
    {
        byte[] copy = (byte[])wire.Clone();
        copy[index] ^= bits;
        return copy;
    }
}
