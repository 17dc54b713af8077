using TlsEngine.Crypto;
using TlsEngine.Datagram;
using TlsEngine.Records;

namespace TlsEngine.Fuzz;

/// <summary>
/// The datagram layers' attack surfaces. Every datagram from the network is hostile and must be
/// dropped with a reason, never thrown (RFC 9147 §4.5.2); handshake fragments inside authenticated
/// records may end the handshake, but only with a typed protocol failure.
/// </summary>
public static class DtlsTargets
{
    /// <summary>Fixed keys, so that records the corpus generator seals under them open here.</summary>
    private static readonly byte[] Secret13 = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key12 = Enumerable.Range(40, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] Salt12 = { 9, 8, 7, 6 };

    /// <summary>Epochs a fuzzed layer holds: plaintext 0, DTLS 1.2 epoch 1 (AES-128-GCM), DTLS 1.3 epochs 2 and 3.</summary>
    internal static DtlsRecordLayer Layer()
    {
        ICryptoProvider crypto = CryptoProviders.Default;
        var layer = new DtlsRecordLayer();
        layer.AddReadEpoch(1, new Dtls12RecordProtection(crypto, AeadAlgorithm.Aes128Gcm, Key12, Salt12));
        layer.AddWriteEpoch(1, new Dtls12RecordProtection(crypto, AeadAlgorithm.Aes128Gcm, Key12, Salt12));
        CipherSuiteInfo aes = CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256);
        CipherSuiteInfo chacha = CipherSuiteInfo.Get(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256);
        layer.AddReadEpoch(2, Dtls13RecordProtection.FromTrafficSecret(crypto, aes, Secret13));
        layer.AddWriteEpoch(2, Dtls13RecordProtection.FromTrafficSecret(crypto, aes, Secret13));
        layer.AddReadEpoch(3, Dtls13RecordProtection.FromTrafficSecret(crypto, chacha, Secret13));
        layer.AddWriteEpoch(3, Dtls13RecordProtection.FromTrafficSecret(crypto, chacha, Secret13));
        return layer;
    }

    /// <summary>Datagrams as [2-byte length, bytes]..., each read record by record.</summary>
    public static void Records(ReadOnlySpan<byte> data)
    {
        using DtlsRecordLayer layer = Layer();
        foreach (byte[] datagram in Split(data))
        {
            int offset = 0;
            int records = 0;
            long dropsBefore = layer.Drops.Total;
            int dropped = 0;
            while (offset < datagram.Length)
            {
                int before = offset;
                RecordDrop drop = layer.TryReadRecord(datagram, ref offset, out DtlsRecord record);
                FuzzTargets.Check(offset > before && offset <= datagram.Length, "the record reader did not advance within the datagram");
                FuzzTargets.Check(++records <= datagram.Length, "more records than datagram bytes");
                if (drop != RecordDrop.None)
                {
                    dropped++;
                    continue;
                }

                FuzzTargets.Check(record.ContentOffset >= before && record.ContentOffset + record.ContentLength <= offset, "a record's content lies outside the bytes it was read from");
                FuzzTargets.Check(record.ContentLength <= DtlsRecordLayer.MaxContentLength, "an oversized record was accepted");
                FuzzTargets.Check(record.IsProtected == (record.Epoch != 0), "protection does not match the epoch");
            }

            FuzzTargets.Check(layer.Drops.Total - dropsBefore == dropped, "a drop was not counted");
        }
    }

    /// <summary>Handshake record payloads as [epoch byte, 2-byte length, bytes]..., reassembled and taken in order.</summary>
    public static void Fragments(ReadOnlySpan<byte> data)
    {
        const int maxMessage = 1 << 14;
        var reassembler = new HandshakeFragmentReassembler(maxMessage);
        int expected = 0;
        try
        {
            int at = 0;
            while (at + 3 <= data.Length)
            {
                ulong epoch = data[at];
                int length = Math.Min((data[at + 1] << 8) | data[at + 2], data.Length - at - 3);
                reassembler.Add(epoch, data.Slice(at + 3, length));
                at += 3 + length;
                while (reassembler.TryTake(out DtlsHandshakeMessage message))
                {
                    FuzzTargets.Check(message.MessageSeq == expected++, "messages were delivered out of message_seq order");
                    FuzzTargets.Check(message.Body.Length <= maxMessage, "a message above the size limit was delivered");
                    int declared = (message.Encoded[1] << 16) | (message.Encoded[2] << 8) | message.Encoded[3];
                    FuzzTargets.Check(declared == message.Body.Length, "a delivered message's length field disagrees with its body");
                }
            }
        }
        catch (TlsFailureException failure) when (failure.Reason != TlsFailureReason.Internal)
        {
            // Inconsistent fragments in an authenticated record end the handshake with a typed reason.
        }
    }

    /// <summary>Seeds: records sealed under the fuzz keys, several to a datagram, and a fragmented message.</summary>
    internal static IEnumerable<(string Target, string Name, byte[] Data)> Seeds()
    {
        using DtlsRecordLayer layer = Layer();
        byte[] Seal(ulong epoch, ContentType type, byte[] content)
        {
            byte[] output = new byte[layer.SealedLength(epoch, content.Length)];
            int written = layer.WriteRecord(epoch, type, content, output);
            return output[..written];
        }

        byte[] hello = new byte[] { 1, 0, 0, 4, 0, 0, 0, 0, 0, 0, 4, 0xFE, 0xFD, 0, 0 };
        byte[] data = "state update"u8.ToArray();
        yield return ("dtls-records", "plaintext-handshake", Join(Seal(0, ContentType.Handshake, hello)));
        yield return ("dtls-records", "dtls12-data", Join(Seal(1, ContentType.ApplicationData, data)));
        yield return ("dtls-records", "dtls13-handshake-and-data", Join(Concat(Seal(2, ContentType.Handshake, hello), Seal(3, ContentType.ApplicationData, data))));
        yield return ("dtls-records", "two-datagrams", Join(Seal(2, ContentType.Handshake, hello), Seal(1, ContentType.Alert, new byte[] { 1, 0 })));

        byte[] message = new byte[40];
        message[0] = 11;
        message[3] = 36;
        byte[] fragments = new byte[200];
        int length = HandshakeFragmenter.WriteAll(message, 0, 25, fragments);
        yield return ("dtls-fragments", "fragmented", Concat(new byte[] { 2, (byte)(length >> 8), (byte)length }, fragments[..length]));
        yield return ("dtls-fragments", "unfragmented", Concat(new byte[] { 0, 0, (byte)hello.Length }, hello));
    }

    private static IEnumerable<byte[]> Split(ReadOnlySpan<byte> data)
    {
        var datagrams = new List<byte[]>();
        int at = 0;
        while (at + 2 <= data.Length)
        {
            int length = Math.Min((data[at] << 8) | data[at + 1], data.Length - at - 2);
            datagrams.Add(data.Slice(at + 2, length).ToArray());
            at += 2 + length;
        }

        return datagrams;
    }

    private static byte[] Join(params byte[][] datagrams) =>
        datagrams.SelectMany(d => new byte[] { (byte)(d.Length >> 8), (byte)d.Length }.Concat(d)).ToArray();

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
