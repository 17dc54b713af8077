using TlsEngine.Datagram;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.Datagram.DtlsLayers;

namespace TlsEngine.Tests.Datagram;

/// <summary>
/// RFC 9147 §4.5.2: a bad record is dropped, counted, and changes nothing: in particular it does
/// not mark the replay window (§4.5.1), so the genuine record that follows a forgery still opens.
/// </summary>
public class DtlsRecordDropTests
{
    public static IEnumerable<object[]> AllSuites() => Dtls13Suites.Concat(Dtls12Suites).Select(s => new object[] { s });

    public static IEnumerable<object[]> Dtls13() => Dtls13Suites.Select(s => new object[] { s });

    public static IEnumerable<object[]> Dtls12() => Dtls12Suites.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Tampered_ciphertext_fails_authentication_and_the_genuine_record_still_opens(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, "managed", "platform", 2);
        byte[] wire = Write(sender, 2, ContentType.ApplicationData, Content(40));

        foreach (int index in new[] { wire.Length - 1, wire.Length - 20, wire.Length - 45 })
        {
            Assert.Equal(RecordDrop.AuthenticationFailed, ReadOne(receiver, Flip(wire, index), out _, out _));
        }

        Assert.Equal(3UL, receiver.FailedAuthentications(2));
        Assert.Equal(3, receiver.Drops[RecordDrop.AuthenticationFailed]);
        Assert.Null(receiver.HighestReceived(2));
        Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out DtlsRecord record, out byte[] content));
        Assert.Equal(Content(40), content);
        Assert.Equal(0UL, record.Sequence);
    }

    [Theory]
    [MemberData(nameof(Dtls13))]
    public void Dtls13_tampered_sequence_or_length_bits_are_dropped_without_marking_the_window(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, epochs: 3);
        byte[] wire = Write(sender, 3, ContentType.ApplicationData, Content(40));

        // Any sequence bit: another nonce and other additional data.
        Assert.Equal(RecordDrop.AuthenticationFailed, ReadOne(receiver, Flip(wire, 1, 0x80), out _, out _));
        Assert.Equal(RecordDrop.AuthenticationFailed, ReadOne(receiver, Flip(wire, 2, 0x01), out _, out _));

        // A shorter length field: the record ends early and its tag is wrong; the tail is read as garbage.
        byte[] shortened = Flip(wire, 4, 0x01);
        int offset = 0;
        Assert.Equal(RecordDrop.AuthenticationFailed, receiver.TryReadRecord(shortened, ref offset, out _));

        // The S bit: the header is one byte shorter, and everything after it shifts.
        Assert.NotEqual(RecordDrop.None, ReadOne(receiver, Flip(wire, 0, 0x08), out _, out _));

        Assert.Null(receiver.HighestReceived(3));
        Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out DtlsRecord record, out _));
        Assert.Equal(0UL, record.Sequence);
    }

    [Theory]
    [MemberData(nameof(Dtls12))]
    public void Dtls12_tampered_header_fields_fail_authentication_without_marking_the_window(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, epochs: 1);
        byte[] wire = Write(sender, 1, ContentType.ApplicationData, Content(40));

        // The type, the version's minor byte, and a sequence byte are all in the additional data.
        Assert.Equal(RecordDrop.AuthenticationFailed, ReadOne(receiver, Flip(wire, 0, 0x01), out _, out _));
        Assert.Equal(RecordDrop.AuthenticationFailed, ReadOne(receiver, Flip(wire, 2, 0x02), out _, out _));

        // A forged sequence number far ahead: had it moved the window, the genuine record would be too old.
        byte[] ahead = (byte[])wire.Clone();
        ahead[6] = 0x10;
        Assert.Equal(RecordDrop.AuthenticationFailed, ReadOne(receiver, ahead, out _, out _));

        Assert.Null(receiver.HighestReceived(1));
        Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out DtlsRecord record, out _));
        Assert.Equal(0UL, record.Sequence);
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Replayed_record_is_dropped_as_a_duplicate(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, epochs: 2);
        byte[] wire = Write(sender, 2, ContentType.Handshake, Content(16));
        Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out _, out _));

        Assert.Equal(RecordDrop.Duplicate, ReadOne(receiver, wire, out _, out _));
        Assert.Equal(1, receiver.Drops[RecordDrop.Duplicate]);
        Assert.Equal(0UL, receiver.FailedAuthentications(2));
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Record_left_of_the_replay_window_is_dropped_as_too_old(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, epochs: 2);
        byte[] first = Write(sender, 2, ContentType.ApplicationData, Content(8));
        byte[] latest = first;
        for (int i = 1; i <= ReplayWindow.Size; i++)
        {
            latest = Write(sender, 2, ContentType.ApplicationData, Content(8, i));
        }

        Assert.Equal(RecordDrop.None, ReadOne(receiver, latest, out DtlsRecord record, out _));
        Assert.Equal((ulong)ReplayWindow.Size, record.Sequence);

        Assert.Equal(RecordDrop.TooOld, ReadOne(receiver, first, out _, out _));
        Assert.Equal(1, receiver.Drops[RecordDrop.TooOld]);
    }

    [Fact]
    public void Dtls13_record_of_an_epoch_without_keys_is_dropped_and_the_datagram_read_on()
    {
        var (sender, receiver) = Pair(TlsCipherSuite.TLS_AES_128_GCM_SHA256, epochs: new ulong[] { 2, 3 });
        receiver.RetireReadEpoch(2);
        byte[] datagram = Concat(Write(sender, 2, ContentType.Handshake, Content(20)), Write(sender, 3, ContentType.ApplicationData, Content(20)));

        int offset = 0;
        Assert.Equal(RecordDrop.UnknownEpoch, receiver.TryReadRecord(datagram, ref offset, out _));
        Assert.Equal(RecordDrop.None, receiver.TryReadRecord(datagram, ref offset, out DtlsRecord record));
        Assert.Equal(3UL, record.Epoch);
        Assert.Equal(datagram.Length, offset);
    }

    [Fact]
    public void Dtls12_record_of_an_epoch_without_keys_or_under_dtls13_keys_is_dropped()
    {
        var (sender, receiver) = Pair(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, epochs: 1);
        using var other = new DtlsRecordLayer();
        other.AddWriteEpoch(2, Keys(Provider("managed"), TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 2));
        Assert.Equal(RecordDrop.UnknownEpoch, ReadOne(receiver, Write(other, 2, ContentType.ApplicationData, Content(20)), out _, out _));

        // A unified header where only DTLS 1.2 keys are held, and a 13-byte header naming a DTLS 1.3 epoch.
        var (sender13, receiver13) = Pair(TlsCipherSuite.TLS_AES_128_GCM_SHA256, epochs: 1);
        Assert.Equal(RecordDrop.UnknownEpoch, ReadOne(receiver, Write(sender13, 1, ContentType.ApplicationData, Content(20)), out _, out _));
        Assert.Equal(RecordDrop.UnknownEpoch, ReadOne(receiver13, Write(sender, 1, ContentType.ApplicationData, Content(20)), out _, out _));
        Assert.Equal(2, receiver.Drops[RecordDrop.UnknownEpoch]);
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Truncated_record_is_dropped_with_the_rest_of_the_datagram(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, epochs: 2);
        byte[] wire = Write(sender, 2, ContentType.ApplicationData, Content(30));
        foreach (int keep in new[] { 1, 3, 12, wire.Length - 1 })
        {
            byte[] datagram = wire.AsSpan(0, keep).ToArray();
            int offset = 0;
            Assert.Equal(RecordDrop.Truncated, receiver.TryReadRecord(datagram, ref offset, out _));
            Assert.Equal(datagram.Length, offset);
        }

        Assert.Equal(4, receiver.Drops[RecordDrop.Truncated]);
        Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out _, out _));
    }

    [Fact]
    public void Dtls13_ciphertext_shorter_than_the_mask_sample_is_dropped()
    {
        var (_, receiver) = Pair(TlsCipherSuite.TLS_AES_128_GCM_SHA256, epochs: 3);
        byte[] record = new byte[5 + 15];
        UnifiedHeaderCodec.Write(record, 3, default, 0, longSequence: true, 15);

        Assert.Equal(RecordDrop.CiphertextTooShort, ReadOne(receiver, record, out _, out _));
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x18)]
    [InlineData(0x40)]
    [InlineData(0xFF)]
    public void Garbage_first_byte_drops_the_rest_of_the_datagram_but_not_the_records_before_it(byte first)
    {
        var (sender, receiver) = Pair(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, epochs: 3);
        byte[] good = Write(sender, 3, ContentType.ApplicationData, Content(10));
        byte[] garbage = Content(30);
        garbage[0] = first;
        byte[] datagram = Concat(good, garbage, Write(sender, 3, ContentType.ApplicationData, Content(10, 2)));

        int offset = 0;
        Assert.Equal(RecordDrop.None, receiver.TryReadRecord(datagram, ref offset, out _));
        Assert.Equal(RecordDrop.UnknownFirstByte, receiver.TryReadRecord(datagram, ref offset, out _));
        Assert.Equal(datagram.Length, offset);
        Assert.Equal(1, receiver.Drops.Total);
    }

    [Fact]
    public void Dtls13_inner_plaintext_of_zeros_only_is_dropped_for_its_missing_content_type()
    {
        var (_, receiver) = Pair(TlsCipherSuite.TLS_AES_128_GCM_SHA256, epochs: 3);
        using var writer = (Dtls13RecordProtection)Keys(Provider("managed"), TlsCipherSuite.TLS_AES_128_GCM_SHA256, 3);
        byte[] record = new byte[5 + 8 + 16];
        UnifiedHeaderCodec.Write(record, 3, default, 0, longSequence: true, 8 + 16);
        writer.Seal(0, record.AsSpan(0, 5), record.AsSpan(5), 8);
        RecordNumberEncryption.Apply(writer.Mask, record, new UnifiedHeader(record[0], 0, 24), out _);

        Assert.Equal(RecordDrop.MissingContentType, ReadOne(receiver, record, out _, out _));
    }

    [Fact]
    public void Connection_id_on_a_record_when_none_was_asked_for_is_dropped()
    {
        using var receiver = new DtlsRecordLayer();
        byte[] datagram = Hex.Parse("3c 0102 0003 00 0014").Concat(new byte[20]).ToArray();
        Assert.Equal(RecordDrop.UnexpectedConnectionId, ReadOne(receiver, datagram, out _, out _));
    }
}
