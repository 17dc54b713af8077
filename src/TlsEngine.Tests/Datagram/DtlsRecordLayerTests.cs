using TlsEngine.Crypto;
using TlsEngine.Datagram;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Datagram.DtlsLayers;

namespace TlsEngine.Tests.Datagram;

public class DtlsRecordLayerTests
{
    public static IEnumerable<object[]> SuitesAndProviders(TlsCipherSuite[] suites)
    {
        string[] providers = { "managed", "platform" };
        foreach (TlsCipherSuite suite in suites)
        {
            foreach (string sender in providers)
            {
                foreach (string receiver in providers)
                {
                    yield return new object[] { suite, sender, receiver };
                }
            }
        }
    }

    public static IEnumerable<object[]> Dtls13Cases() => SuitesAndProviders(Dtls13Suites);

    public static IEnumerable<object[]> Dtls12Cases() => SuitesAndProviders(Dtls12Suites);

    public static IEnumerable<object[]> AllSuites() => Dtls13Suites.Concat(Dtls12Suites).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Dtls13Cases))]
    public void Dtls13_records_round_trip_between_providers(TlsCipherSuite suite, string senderProvider, string receiverProvider)
    {
        var (sender, receiver) = Pair(suite, senderProvider, receiverProvider, 3);
        ulong expectedSequence = 0;
        foreach ((ContentType type, int length) in new[] { (ContentType.ApplicationData, 0), (ContentType.Handshake, 1), (DtlsRecordHeader.Ack, 100), (ContentType.ApplicationData, DtlsRecordLayer.MaxContentLength) })
        {
            byte[] content = Content(length, length);
            byte[] wire = Write(sender, 3, type, content);

            // RFC 9147 §4: 001 C=0 S=1 L=1 EE, a 16-bit sequence number, a length, then ciphertext.
            Assert.Equal(0x2C | 3, wire[0]);
            Assert.Equal(wire.Length - 5, (wire[3] << 8) | wire[4]);
            Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out DtlsRecord record, out byte[] read));
            Assert.Equal(type, record.Type);
            Assert.Equal(3UL, record.Epoch);
            Assert.Equal(expectedSequence++, record.Sequence);
            Assert.True(record.IsProtected);
            Assert.Equal(content, read);
        }

        Assert.Equal(0, receiver.Drops.Total);
    }

    [Theory]
    [MemberData(nameof(Dtls12Cases))]
    public void Dtls12_records_round_trip_between_providers(TlsCipherSuite suite, string senderProvider, string receiverProvider)
    {
        var (sender, receiver) = Pair(suite, senderProvider, receiverProvider, 1);
        ulong expectedSequence = 0;
        foreach ((ContentType type, int length) in new[] { (ContentType.Handshake, 0), (ContentType.Alert, 2), (ContentType.ApplicationData, DtlsRecordLayer.MaxContentLength) })
        {
            byte[] content = Content(length, length);
            byte[] wire = Write(sender, 1, type, content);

            Assert.Equal((byte)type, wire[0]);
            Assert.Equal(new byte[] { 0xFE, 0xFD, 0x00, 0x01 }, wire.AsSpan(1, 4).ToArray());
            Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out DtlsRecord record, out byte[] read));
            Assert.Equal(type, record.Type);
            Assert.Equal(1UL, record.Epoch);
            Assert.Equal(expectedSequence++, record.Sequence);
            Assert.Equal(content, read);
        }
    }

    [Fact]
    public void Epoch_0_records_are_dtls_plaintext_and_come_back_unprotected()
    {
        using var sender = new DtlsRecordLayer();
        using var receiver = new DtlsRecordLayer();
        byte[] hello = Content(40);
        sender.WriteRecord(0, ContentType.Handshake, hello, new byte[13 + 40]);
        byte[] wire = Write(sender, 0, ContentType.Handshake, hello);

        Assert.Equal(Hex.Parse("16 fefd 0000 000000000001 0028"), wire.AsSpan(0, 13).ToArray());
        Assert.Equal(hello, wire.AsSpan(13).ToArray());
        Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out DtlsRecord record, out byte[] read));
        Assert.False(record.IsProtected);
        Assert.Equal((ContentType.Handshake, 0UL, 1UL), (record.Type, record.Epoch, record.Sequence));
        Assert.Equal(hello, read);
    }

    [Fact]
    public void Several_records_in_one_datagram_are_read_in_order_across_epochs_and_formats()
    {
        var (sender, receiver) = Pair(TlsCipherSuite.TLS_AES_128_GCM_SHA256, "managed", "platform", 2, 3);
        byte[] datagram = Concat(
            Write(sender, 0, DtlsRecordHeader.Ack, Content(10, 1)),
            Write(sender, 2, ContentType.Handshake, Content(300, 2)),
            Write(sender, 3, ContentType.ApplicationData, Content(0, 3)),
            Write(sender, 3, ContentType.ApplicationData, Content(50, 4)));

        var seen = new List<(ContentType, ulong, ulong, int)>();
        int offset = 0;
        while (offset < datagram.Length)
        {
            Assert.Equal(RecordDrop.None, receiver.TryReadRecord(datagram, ref offset, out DtlsRecord record));
            seen.Add((record.Type, record.Epoch, record.Sequence, record.ContentLength));
            Assert.Equal(Content(record.ContentLength, seen.Count), record.Content(datagram).ToArray());
        }

        Assert.Equal(
            new[] { (DtlsRecordHeader.Ack, 0UL, 0UL, 10), (ContentType.Handshake, 2UL, 0UL, 300), (ContentType.ApplicationData, 3UL, 0UL, 0), (ContentType.ApplicationData, 3UL, 1UL, 50) },
            seen);
    }

    [Fact]
    public void Dtls13_record_without_length_runs_to_the_end_of_the_datagram()
    {
        ICryptoProvider crypto = CryptoProviders.Default;
        using var receiver = new DtlsRecordLayer();
        receiver.AddReadEpoch(2, Keys(crypto, TlsCipherSuite.TLS_AES_128_GCM_SHA256, 2));
        using var writer = (Dtls13RecordProtection)Keys(crypto, TlsCipherSuite.TLS_AES_128_GCM_SHA256, 2);

        // A minimal header (8-bit sequence number, no length), sealed and masked by hand.
        byte[] content = Content(30);
        byte[] record = new byte[2 + content.Length + 1 + 16];
        UnifiedHeaderCodec.Write(record, 2, default, 0, longSequence: false, payloadLength: null);
        content.CopyTo(record, 2);
        record[2 + content.Length] = (byte)ContentType.Handshake;
        writer.Seal(0, record.AsSpan(0, 2), record.AsSpan(2), content.Length + 1);
        RecordNumberEncryption.Apply(writer.Mask, record, new UnifiedHeader(record[0], 0, record.Length - 2), out _);

        byte[] datagram = Concat(Write(new DtlsRecordLayer(), 0, ContentType.Alert, new byte[] { 1, 0 }), record);
        int offset = 0;
        Assert.Equal(RecordDrop.None, receiver.TryReadRecord(datagram, ref offset, out DtlsRecord first));
        Assert.Equal(ContentType.Alert, first.Type);
        Assert.Equal(RecordDrop.None, receiver.TryReadRecord(datagram, ref offset, out DtlsRecord second));
        Assert.Equal(datagram.Length, offset);
        Assert.Equal((ContentType.Handshake, 2UL, 0UL), (second.Type, second.Epoch, second.Sequence));
        Assert.Equal(content, second.Content(datagram).ToArray());
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Records_reordered_within_the_window_are_accepted_once_each(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, epochs: 2);
        byte[][] wires = Enumerable.Range(0, 40).Select(i => Write(sender, 2, ContentType.ApplicationData, Content(20, i))).ToArray();
        int[] order = Enumerable.Range(0, 40).OrderBy(i => (i * 17) % 40).Reverse().ToArray();

        foreach (int i in order)
        {
            Assert.Equal(RecordDrop.None, ReadOne(receiver, wires[i], out DtlsRecord record, out byte[] content));
            Assert.Equal((ulong)i, record.Sequence);
            Assert.Equal(Content(20, i), content);
        }

        foreach (int i in order)
        {
            Assert.Equal(RecordDrop.Duplicate, ReadOne(receiver, wires[i], out _, out _));
        }

        Assert.Equal(39UL, receiver.HighestReceived(2));
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_AES_256_GCM_SHA384, 2UL, 3UL)]
    [InlineData(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, 3UL, 4UL)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 1UL, 2UL)]
    public void Previous_read_epoch_still_opens_retransmissions_until_it_is_retired(TlsCipherSuite suite, ulong previous, ulong current)
    {
        var (sender, receiver) = Pair(suite, "platform", "managed", previous, current);
        byte[] old1 = Write(sender, previous, ContentType.Handshake, Content(64, 1));
        byte[] old2 = Write(sender, previous, ContentType.Handshake, Content(64, 2));
        byte[] fresh = Write(sender, current, ContentType.ApplicationData, Content(64, 3));

        Assert.Equal(RecordDrop.None, ReadOne(receiver, fresh, out DtlsRecord record, out _));
        Assert.Equal(current, record.Epoch);
        Assert.Equal(RecordDrop.None, ReadOne(receiver, old1, out record, out _));
        Assert.Equal(previous, record.Epoch);

        Assert.True(receiver.RetireReadEpoch(previous));
        Assert.False(receiver.HasReadEpoch(previous));
        Assert.Equal(RecordDrop.UnknownEpoch, ReadOne(receiver, old2, out _, out _));
        Assert.Equal(1, receiver.Drops[RecordDrop.UnknownEpoch]);
        Assert.Equal(RecordDrop.None, ReadOne(receiver, Write(sender, current, ContentType.ApplicationData, Content(1)), out _, out _));
    }

    [Fact]
    public void Each_write_epoch_keeps_its_own_sequence_numbers()
    {
        var (sender, receiver) = Pair(TlsCipherSuite.TLS_AES_128_GCM_SHA256, epochs: new ulong[] { 2, 3 });
        Write(sender, 2, ContentType.Handshake, Content(1));
        Write(sender, 2, ContentType.Handshake, Content(1));
        Write(sender, 3, ContentType.ApplicationData, Content(1));

        Assert.Equal(2UL, sender.NextWriteSequence(2));
        Assert.Equal(1UL, sender.NextWriteSequence(3));
        Assert.Equal(0UL, sender.NextWriteSequence(0));
        Assert.Equal(RecordDrop.None, ReadOne(receiver, Write(sender, 2, ContentType.Handshake, Content(1)), out DtlsRecord record, out _));
        Assert.Equal((2UL, 2UL), (record.Epoch, record.Sequence));
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Write_refuses_to_wrap_the_48_bit_sequence_number(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, epochs: 1);
        sender.SetNextWriteSequence(1, ReplayWindow.MaxSequence);
        byte[] last = Write(sender, 1, ContentType.ApplicationData, Content(5));

        var failure = Assert.Throws<TlsFailureException>(() => sender.WriteRecord(1, ContentType.ApplicationData, Content(5), new byte[100]));
        Assert.Equal(TlsFailureReason.LimitExceeded, failure.Reason);
        if (CipherSuiteInfo.Get(suite).Version == TlsVersion.Tls12)
        {
            // The 1.2 header carries all 48 bits, so the last number is still readable.
            Assert.Equal(RecordDrop.None, ReadOne(receiver, last, out DtlsRecord record, out _));
            Assert.Equal(ReplayWindow.MaxSequence, record.Sequence);
        }
    }

    [Fact]
    public void Epoch_0_refuses_to_wrap_too()
    {
        using var sender = new DtlsRecordLayer();
        sender.SetNextWriteSequence(0, ReplayWindow.MaxSequence + 1);
        var failure = Assert.Throws<TlsFailureException>(() => sender.WriteRecord(0, ContentType.Handshake, Content(5), new byte[100]));
        Assert.Equal(TlsFailureReason.LimitExceeded, failure.Reason);
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_AES_128_GCM_SHA256, "_iv")]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "_fixedIv")]
    public void Retiring_an_epoch_and_disposing_the_layer_zero_the_ivs(TlsCipherSuite suite, string field)
    {
        var layer = new DtlsRecordLayer();
        DtlsRecordProtection retired = Keys(CryptoProviders.Default, suite, 7);
        DtlsRecordProtection kept = Keys(CryptoProviders.Default, suite, 8);
        layer.AddWriteEpoch(1, retired);
        layer.AddReadEpoch(1, kept);
        Assert.Contains(Iv(retired), b => b != 0);

        Assert.True(layer.RetireWriteEpoch(1));
        Assert.All(Iv(retired), b => Assert.Equal(0, b));
        Assert.Contains(Iv(kept), b => b != 0);

        layer.Dispose();
        Assert.All(Iv(kept), b => Assert.Equal(0, b));

        byte[] Iv(DtlsRecordProtection protection) =>
            (byte[])protection.GetType().GetField(field, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(protection)!;
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    public void Writing_and_reading_records_allocates_nothing_in_the_steady_state(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, "platform", "platform", 2, 3);
        byte[] datagram = new byte[1400];
        int read = 0;
        void OneDatagram()
        {
            int length = sender.WriteRecord(2, ContentType.Handshake, datagram.AsSpan(100, 300), datagram);
            length += sender.WriteRecord(3, ContentType.ApplicationData, datagram.AsSpan(length + 50, 600), datagram.AsSpan(length));
            Span<byte> received = datagram.AsSpan(0, length);
            int offset = 0;
            while (offset < received.Length)
            {
                if (receiver.TryReadRecord(received, ref offset, out DtlsRecord record) == RecordDrop.None)
                {
                    read += record.ContentLength;
                }
            }
        }

        for (int i = 0; i < 200; i++)
        {
            OneDatagram();
        }

        // A round can catch a one-off runtime allocation (tiering, a timer); a per-record one shows in every round.
        long fewest = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++)
            {
                OneDatagram();
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(800 * 900, read);
        Assert.Equal(0, fewest);
    }

    [Fact]
    public void Installing_an_epoch_twice_or_epoch_0_is_refused()
    {
        using var layer = new DtlsRecordLayer();
        layer.AddReadEpoch(2, Keys(CryptoProviders.Default, TlsCipherSuite.TLS_AES_128_GCM_SHA256, 2));
        Assert.Throws<ArgumentException>(() => layer.AddReadEpoch(2, Keys(CryptoProviders.Default, TlsCipherSuite.TLS_AES_128_GCM_SHA256, 2)));
        Assert.Throws<ArgumentException>(() => layer.AddWriteEpoch(0, Keys(CryptoProviders.Default, TlsCipherSuite.TLS_AES_128_GCM_SHA256, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.AddWriteEpoch(0x10000, Keys(CryptoProviders.Default, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 1)));
        Assert.Throws<ArgumentException>(() => layer.WriteRecord(5, ContentType.ApplicationData, Content(1), new byte[100]));
    }
}
