using TlsEngine.Datagram;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

public class DtlsRecordHeaderTests
{
    [Theory]
    [InlineData((byte)ContentType.Handshake, 0, 0UL)]
    [InlineData((byte)ContentType.ApplicationData, 1, 1UL)]
    [InlineData((byte)ContentType.Alert, 0xFFFF, 0xFFFFFFFFFFFFUL)]
    [InlineData((byte)ContentType.ChangeCipherSpec, 0x1234, 0x0000000100000000UL)]
    public void Written_header_parses_back_to_the_same_fields(byte typeByte, int epoch, ulong sequence)
    {
        var type = (ContentType)typeByte;
        byte[] datagram = new byte[DtlsRecordHeader.Length + 7];
        var written = new DtlsRecordHeader(type, DtlsRecordHeader.Dtls12Version, (ushort)epoch, sequence, 7);
        Assert.Equal(13, DtlsRecordHeaderCodec.Write(datagram, written));

        Assert.Equal(RecordDrop.None, DtlsRecordHeaderCodec.TryRead(datagram, out DtlsRecordHeader read));
        Assert.Equal(written, read);
        Assert.Equal(datagram.Length, read.RecordLength);
    }

    [Fact]
    public void Layout_is_type_version_epoch_sequence48_length()
    {
        byte[] datagram = new byte[13 + 2];
        DtlsRecordHeaderCodec.Write(datagram, new DtlsRecordHeader(ContentType.Handshake, 0xFEFD, 0x0102, 0x030405060708, 2));
        Assert.Equal("16fefd01020304050607080002", Hex.Of(datagram.AsSpan(0, 13).ToArray()));
    }

    [Fact]
    public void Ack_records_and_dtls10_versions_parse()
    {
        byte[] datagram = Hex.Parse("1afeff0000000000000000000100");
        Assert.Equal(RecordDrop.None, DtlsRecordHeaderCodec.TryRead(datagram, out DtlsRecordHeader header));
        Assert.Equal(DtlsRecordHeader.Ack, header.Type);
        Assert.Equal(DtlsRecordHeader.Dtls10Version, header.Version);
    }

    [Theory]
    [InlineData("", (int)RecordDrop.Truncated)]
    [InlineData("16", (int)RecordDrop.Truncated)]
    [InlineData("16fefd000000000000000000", (int)RecordDrop.Truncated)] // 12 bytes
    [InlineData("16fefd00000000000000000001", (int)RecordDrop.Truncated)] // length 1, nothing after
    [InlineData("16030300000000000000000000", (int)RecordDrop.BadVersion)]
    [InlineData("18fefd00000000000000000000", (int)RecordDrop.UnknownFirstByte)] // heartbeat
    [InlineData("00fefd00000000000000000000", (int)RecordDrop.UnknownFirstByte)]
    [InlineData("2cfefd00000000000000000000", (int)RecordDrop.UnknownFirstByte)] // a unified header
    [InlineData("17fefd00000000000000004801", (int)RecordDrop.RecordTooLong)] // 2^14 + 2049
    public void Malformed_headers_are_dropped_not_thrown(string hex, int expected)
    {
        Assert.Equal((RecordDrop)expected, DtlsRecordHeaderCodec.TryRead(Hex.Parse(hex), out DtlsRecordHeader header));
        Assert.Equal(default, header);
    }

    [Fact]
    public void No_truncated_prefix_of_a_record_parses()
    {
        byte[] datagram = new byte[13 + 20];
        DtlsRecordHeaderCodec.Write(datagram, new DtlsRecordHeader(ContentType.ApplicationData, 0xFEFD, 1, 5, 20));
        for (int length = 0; length < datagram.Length; length++)
        {
            Assert.Equal(RecordDrop.Truncated, DtlsRecordHeaderCodec.TryRead(datagram.AsSpan(0, length), out _));
        }

        Assert.Equal(RecordDrop.None, DtlsRecordHeaderCodec.TryRead(datagram, out _));
    }

    [Fact]
    public void Records_in_one_datagram_are_delimited_by_their_lengths()
    {
        byte[] datagram = new byte[13 + 3 + 13 + 0];
        DtlsRecordHeaderCodec.Write(datagram, new DtlsRecordHeader(ContentType.Handshake, 0xFEFD, 0, 0, 3));
        DtlsRecordHeaderCodec.Write(datagram.AsSpan(16), new DtlsRecordHeader(ContentType.ChangeCipherSpec, 0xFEFD, 0, 1, 0));

        DtlsRecordHeaderCodec.TryRead(datagram, out DtlsRecordHeader first);
        Assert.Equal(RecordDrop.None, DtlsRecordHeaderCodec.TryRead(datagram.AsSpan(first.RecordLength), out DtlsRecordHeader second));
        Assert.Equal(1UL, second.Sequence);
        Assert.Equal(ContentType.ChangeCipherSpec, second.Type);
    }

    [Fact]
    public void Writing_a_sequence_number_beyond_48_bits_is_a_bug_and_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            DtlsRecordHeaderCodec.Write(new byte[13], new DtlsRecordHeader(ContentType.Handshake, 0xFEFD, 0, 1UL << 48, 0)));
    }

    [Fact]
    public void Plaintext_and_unified_first_bytes_never_overlap()
    {
        for (int b = 0; b < 256; b++)
        {
            Assert.False(DtlsRecordHeaderCodec.IsRecordType((byte)b) && UnifiedHeaderCodec.IsUnifiedHeader((byte)b));
        }
    }
}
