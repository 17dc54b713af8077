using TlsEngine.Datagram;
using Xunit;

namespace TlsEngine.Tests.Datagram;

public class UnifiedHeaderTests
{
    public static IEnumerable<object[]> Shapes()
    {
        foreach (int cid in new[] { 0, 1, 8 })
        {
            foreach (bool longSequence in new[] { false, true })
            {
                foreach (bool withLength in new[] { false, true })
                {
                    foreach (ulong epoch in new ulong[] { 2, 3, 4, 7 })
                    {
                        yield return new object[] { cid, longSequence, withLength, epoch };
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Written_header_parses_back_to_the_same_fields(int cidLength, bool longSequence, bool withLength, ulong epoch)
    {
        byte[] cid = Enumerable.Range(0xA0, cidLength).Select(i => (byte)i).ToArray();
        const ulong sequence = 0x123456789A;
        const int payload = 40;
        byte[] datagram = new byte[UnifiedHeaderCodec.HeaderLength(cidLength, longSequence, withLength) + payload];
        int headerLength = UnifiedHeaderCodec.Write(datagram, epoch, cid, sequence, longSequence, withLength ? payload : null);

        Assert.Equal(RecordDrop.None, UnifiedHeaderCodec.TryRead(datagram, cidLength == 0 ? 4 : cidLength, out UnifiedHeader header));

        Assert.Equal(0x20, datagram[0] & 0xE0);
        Assert.Equal(headerLength, header.HeaderLength);
        Assert.Equal(payload, header.PayloadLength);
        Assert.Equal(datagram.Length, header.RecordLength);
        Assert.Equal(withLength, header.HasLength);
        Assert.Equal(longSequence, header.LongSequence);
        Assert.Equal((int)(epoch & 3), header.EpochLowBits);
        Assert.True(UnifiedHeaderCodec.EpochMatches(epoch, header.EpochLowBits));
        Assert.False(UnifiedHeaderCodec.EpochMatches(epoch + 1, header.EpochLowBits));
        Assert.Equal(cidLength, header.ConnectionIdLength);
        Assert.Equal(cid, datagram.AsSpan(header.ConnectionIdOffset, header.ConnectionIdLength).ToArray());
        Assert.Equal(longSequence ? 0x789A : 0x9A, header.ReadSequenceBits(datagram));
    }

    [Theory]
    [InlineData(new byte[] { 0x2C, 0x00, 0x01, 0x00, 0x02, 0xAA, 0xBB }, 0x2C, 5, 2, 0x0001)]
    [InlineData(new byte[] { 0x21, 0x07, 0xAA, 0xBB, 0xCC }, 0x21, 2, 3, 0x07)]
    [InlineData(new byte[] { 0x3F, 0x42, 0x12, 0x34, 0x00, 0x01, 0xEE }, 0x3F, 6, 1, 0x1234)]
    public void Known_bytes_parse_to_the_rfc_layout(byte[] datagram, int firstByte, int headerLength, int payload, int sequenceBits)
    {
        // 0x2C = 001 0 1 1 00: no CID, 16-bit sequence, length; 0x21: 8-bit sequence, no length,
        // epoch bits 01; 0x3F: everything, with a one-byte connection id 0x42.
        Assert.Equal(RecordDrop.None, UnifiedHeaderCodec.TryRead(datagram, 1, out UnifiedHeader header));

        Assert.Equal(firstByte, header.FirstByte);
        Assert.Equal(headerLength, header.HeaderLength);
        Assert.Equal(payload, header.PayloadLength);
        Assert.Equal(sequenceBits, header.ReadSequenceBits(datagram));
    }

    [Fact]
    public void Several_records_in_one_datagram_are_delimited_by_their_lengths()
    {
        byte[] datagram = new byte[(2 * 5) + 20 + 3 + 17];
        int at = UnifiedHeaderCodec.Write(datagram, 3, default, 1, longSequence: true, 20);
        at += 20;
        at += UnifiedHeaderCodec.Write(datagram.AsSpan(at), 3, default, 2, longSequence: false, null);

        Assert.Equal(RecordDrop.None, UnifiedHeaderCodec.TryRead(datagram, 0, out UnifiedHeader first));
        Assert.Equal(RecordDrop.None, UnifiedHeaderCodec.TryRead(datagram.AsSpan(first.RecordLength), 0, out UnifiedHeader second));

        Assert.Equal(25, first.RecordLength);
        Assert.Equal(datagram.Length - 25, second.RecordLength);
        Assert.False(second.HasLength);
    }

    [Theory]
    [InlineData(new byte[0], (int)RecordDrop.Truncated)]
    [InlineData(new byte[] { 0x00 }, (int)RecordDrop.UnknownFirstByte)]
    [InlineData(new byte[] { 0x17, 0xFE, 0xFD }, (int)RecordDrop.UnknownFirstByte)] // a DTLS 1.2 header is not a unified one
    [InlineData(new byte[] { 0x40, 0x00, 0x00 }, (int)RecordDrop.UnknownFirstByte)]
    [InlineData(new byte[] { 0xE0, 0x00, 0x00 }, (int)RecordDrop.UnknownFirstByte)]
    [InlineData(new byte[] { 0x30, 0x00, 0x00 }, (int)RecordDrop.UnexpectedConnectionId)]
    [InlineData(new byte[] { 0x28, 0x00 }, (int)RecordDrop.Truncated)] // 16-bit sequence, one byte
    [InlineData(new byte[] { 0x24, 0x00, 0x00 }, (int)RecordDrop.Truncated)] // length field cut
    [InlineData(new byte[] { 0x24, 0x00, 0x00, 0x03, 0xAA, 0xBB }, (int)RecordDrop.Truncated)] // length beyond the datagram
    [InlineData(new byte[] { 0x24, 0x00, 0x41, 0x01 }, (int)RecordDrop.RecordTooLong)] // 2^14 + 257
    public void Malformed_headers_are_dropped_not_thrown(byte[] datagram, int expected)
    {
        Assert.Equal((RecordDrop)expected, UnifiedHeaderCodec.TryRead(datagram, 0, out UnifiedHeader header));
        Assert.Equal(default, header);
    }

    [Fact]
    public void Connection_id_longer_than_the_datagram_is_truncated()
    {
        Assert.Equal(RecordDrop.Truncated, UnifiedHeaderCodec.TryRead(new byte[] { 0x30, 1, 2, 3 }, 8, out _));
    }

    [Fact]
    public void Lengthless_record_larger_than_a_ciphertext_may_be_is_dropped()
    {
        byte[] datagram = new byte[2 + UnifiedHeaderCodec.MaxPayload + 1];
        datagram[0] = 0x20;
        Assert.Equal(RecordDrop.RecordTooLong, UnifiedHeaderCodec.TryRead(datagram, 0, out _));
        Assert.Equal(RecordDrop.None, UnifiedHeaderCodec.TryRead(datagram.AsSpan(0, datagram.Length - 1), 0, out _));
    }

    [Fact]
    public void No_truncated_prefix_of_a_length_carrying_record_parses()
    {
        byte[] datagram = new byte[UnifiedHeaderCodec.HeaderLength(4, true, true) + 30];
        UnifiedHeaderCodec.Write(datagram, 1, new byte[] { 1, 2, 3, 4 }, 77, longSequence: true, 30);
        for (int length = 0; length < datagram.Length; length++)
        {
            Assert.Equal(RecordDrop.Truncated, UnifiedHeaderCodec.TryRead(datagram.AsSpan(0, length), 4, out _));
        }
    }

    [Fact]
    public void Every_first_byte_is_either_parsed_or_dropped_without_throwing()
    {
        byte[] datagram = new byte[64];
        for (int b = 0; b < 256; b++)
        {
            datagram[0] = (byte)b;
            RecordDrop drop = UnifiedHeaderCodec.TryRead(datagram, 2, out _);
            Assert.Equal((b & 0xE0) == 0x20, drop == RecordDrop.None);
        }
    }
}
