using TlsEngine.Datagram;
using Xunit;

namespace TlsEngine.Tests.Datagram;

public class HandshakeFragmentationTests
{
    private const int Limit = 1 << 17;

    internal static byte[] Message(byte type, int bodyLength, int seed)
    {
        var message = new byte[4 + bodyLength];
        new Random(seed).NextBytes(message.AsSpan(4));
        message[0] = type;
        message[1] = (byte)(bodyLength >> 16);
        message[2] = (byte)(bodyLength >> 8);
        message[3] = (byte)bodyLength;
        return message;
    }

    internal static List<byte[]> Fragments(byte[] message, ushort seq, int maxFragmentSize)
    {
        int bodyLength = message.Length - 4;
        var all = new byte[HandshakeFragmenter.FragmentedSize(bodyLength, maxFragmentSize)];
        Assert.Equal(all.Length, HandshakeFragmenter.WriteAll(message, seq, maxFragmentSize, all));
        var fragments = new List<byte[]>();
        for (int at = 0; at < all.Length;)
        {
            Assert.True(DtlsHandshakeHeader.TryRead(all.AsSpan(at), out DtlsHandshakeHeader header));
            fragments.Add(all.AsSpan(at, DtlsHandshakeHeader.Length + header.FragmentLength).ToArray());
            at += DtlsHandshakeHeader.Length + header.FragmentLength;
        }

        return fragments;
    }

    private static byte[] Fragment(byte type, int length, ushort seq, int offset, ReadOnlySpan<byte> body)
    {
        var fragment = new byte[DtlsHandshakeHeader.Length + body.Length];
        new DtlsHandshakeHeader(type, length, seq, offset, body.Length).Write(fragment);
        body.CopyTo(fragment.AsSpan(DtlsHandshakeHeader.Length));
        return fragment;
    }

    private static DtlsHandshakeMessage Take(HandshakeFragmentReassembler reassembler)
    {
        Assert.True(reassembler.TryTake(out DtlsHandshakeMessage message));
        return message;
    }

    [Theory]
    [InlineData(0, 13)]
    [InlineData(1, 13)]
    [InlineData(300, 13)]
    [InlineData(300, 14)]
    [InlineData(5000, 100)]
    [InlineData(5000, 1200)]
    [InlineData(5000, 1500)]
    [InlineData(5000, 5012)]
    [InlineData(5000, 9000)]
    public void Fragments_fit_the_size_and_reassemble_to_the_original_message(int bodyLength, int maxFragmentSize)
    {
        byte[] message = Message(11, bodyLength, bodyLength);
        List<byte[]> fragments = Fragments(message, 7, maxFragmentSize);

        Assert.Equal(HandshakeFragmenter.FragmentCount(bodyLength, maxFragmentSize), fragments.Count);
        int expectedOffset = 0;
        foreach (byte[] fragment in fragments)
        {
            Assert.True(fragment.Length <= maxFragmentSize || bodyLength == 0);
            DtlsHandshakeHeader.TryRead(fragment, out DtlsHandshakeHeader header);
            Assert.Equal((11, bodyLength, (ushort)7, expectedOffset), (header.MsgType, header.MessageLength, header.MessageSeq, header.FragmentOffset));
            expectedOffset = header.FragmentEnd;
        }

        Assert.Equal(bodyLength, expectedOffset);

        var reassembler = new HandshakeFragmentReassembler(Limit);
        reassembler.ExpectFirst(7);
        foreach (byte[] fragment in fragments)
        {
            Assert.False(reassembler.TryTake(out _));
            Assert.Equal(FragmentOutcome.Buffered, reassembler.Add(2, fragment));
        }

        DtlsHandshakeMessage whole = Take(reassembler);
        Assert.Equal(message, whole.Encoded);
        Assert.Equal((byte)11, whole.Type);
        Assert.Equal((ushort)7, whole.MessageSeq);
        Assert.Equal(2UL, whole.Epoch);
        Assert.Equal(8, reassembler.NextMessageSeq);
        Assert.False(reassembler.HasBufferedFragments);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Shuffled_and_duplicated_fragments_reassemble(int seed)
    {
        var random = new Random(seed);
        byte[] message = Message(15, 3000, seed);
        List<byte[]> fragments = Fragments(message, 0, 13 + random.Next(200));
        fragments.AddRange(fragments.Where(_ => random.Next(3) == 0).ToList());
        byte[][] shuffled = fragments.OrderBy(_ => random.Next()).ToArray();

        var reassembler = new HandshakeFragmentReassembler(Limit);
        foreach (byte[] fragment in shuffled)
        {
            reassembler.Add(0, fragment);
        }

        Assert.Equal(message, Take(reassembler).Encoded);
        Assert.False(reassembler.TryTake(out _));
    }

    [Fact]
    public void Overlapping_fragments_that_agree_reassemble()
    {
        // RFC 9147 §5.5: a sender may refragment on retransmission, so ranges overlap.
        byte[] message = Message(11, 1000, 5);
        var reassembler = new HandshakeFragmentReassembler(Limit);
        List<byte[]> coarse = Fragments(message, 0, 12 + 300);
        List<byte[]> fine = Fragments(message, 0, 12 + 77);

        Assert.Equal(FragmentOutcome.Buffered, reassembler.Add(0, coarse[0]));
        Assert.Equal(FragmentOutcome.Buffered, reassembler.Add(0, fine[3]));
        Assert.Equal(FragmentOutcome.Duplicate, reassembler.Add(0, fine[1]));
        foreach (byte[] fragment in fine.Skip(4).Concat(coarse.Skip(1)))
        {
            reassembler.Add(0, fragment);
        }

        Assert.Equal(message, Take(reassembler).Encoded);
    }

    [Fact]
    public void Overlap_with_different_bytes_is_refused_as_a_fragment_mismatch()
    {
        byte[] message = Message(11, 100, 5);
        var reassembler = new HandshakeFragmentReassembler(Limit);
        reassembler.Add(0, Fragment(11, 100, 0, 0, message.AsSpan(4, 60)));
        byte[] changed = message.AsSpan(4 + 50, 50).ToArray();
        changed[5] ^= 1;

        var failure = Assert.Throws<TlsFailureException>(() => reassembler.Add(0, Fragment(11, 100, 0, 50, changed)));

        Assert.Equal(TlsFailureReason.HandshakeFragmentMismatch, failure.Reason);
        Assert.Equal(TlsAlertDescription.IllegalParameter, failure.Alert);
    }

    [Theory]
    [InlineData(12, 100)]
    [InlineData(11, 101)]
    public void Fragment_changing_the_type_or_length_of_its_message_is_a_fragment_mismatch(byte type, int length)
    {
        var reassembler = new HandshakeFragmentReassembler(Limit);
        reassembler.Add(0, Fragment(11, 100, 0, 0, new byte[10]));

        var failure = Assert.Throws<TlsFailureException>(() => reassembler.Add(0, Fragment(type, length, 0, 50, new byte[10])));

        Assert.Equal(TlsFailureReason.HandshakeFragmentMismatch, failure.Reason);
    }

    [Fact]
    public void Fragments_of_one_message_under_two_epochs_are_refused()
    {
        var reassembler = new HandshakeFragmentReassembler(Limit);
        reassembler.Add(0, Fragment(2, 100, 0, 0, new byte[10]));

        var failure = Assert.Throws<TlsFailureException>(() => reassembler.Add(2, Fragment(2, 100, 0, 10, new byte[10])));

        Assert.Equal(TlsFailureReason.HandshakeMessageSpansKeyChange, failure.Reason);
    }

    [Fact]
    public void Fragment_of_an_already_delivered_message_is_reported_as_a_retransmission()
    {
        byte[] message = Message(1, 200, 9);
        var reassembler = new HandshakeFragmentReassembler(Limit);
        reassembler.Add(0, Fragments(message, 0, 1500)[0]);
        Take(reassembler);

        // Even with other bytes: the old message is discarded unread (RFC 9147 §5.2).
        FragmentOutcome outcome = reassembler.Add(0, Fragment(1, 200, 0, 0, new byte[200]));

        Assert.Equal(FragmentOutcome.OldMessage, outcome);
        Assert.True(outcome.SuggestsPeerRetransmission());
        Assert.True(outcome.CanAcknowledge());
        Assert.False(reassembler.TryTake(out _));
        Assert.Equal(1, reassembler.NextMessageSeq);
    }

    [Fact]
    public void Messages_are_handed_over_in_message_seq_order_whatever_the_arrival_order()
    {
        byte[][] messages = { Message(2, 50, 1), Message(8, 60, 2), Message(11, 70, 3) };
        var reassembler = new HandshakeFragmentReassembler(Limit);

        Assert.Equal(FragmentOutcome.Buffered | FragmentOutcome.OutOfOrder, reassembler.Add(0, Fragments(messages[2], 2, 1500)[0]));
        Assert.Equal(FragmentOutcome.Buffered | FragmentOutcome.OutOfOrder, reassembler.Add(0, Fragments(messages[1], 1, 1500)[0]));
        Assert.False(reassembler.TryTake(out _));
        Assert.Equal(FragmentOutcome.Buffered, reassembler.Add(0, Fragments(messages[0], 0, 1500)[0]));

        for (int i = 0; i < 3; i++)
        {
            DtlsHandshakeMessage message = Take(reassembler);
            Assert.Equal(i, message.MessageSeq);
            Assert.Equal(messages[i], message.Encoded);
        }
    }

    [Fact]
    public void A_gap_inside_the_next_message_is_out_of_order_and_filling_it_is_not()
    {
        byte[] message = Message(11, 300, 4);
        List<byte[]> fragments = Fragments(message, 0, 112);
        var reassembler = new HandshakeFragmentReassembler(Limit);

        Assert.Equal(FragmentOutcome.Buffered, reassembler.Add(0, fragments[0]));
        Assert.Equal(FragmentOutcome.Buffered | FragmentOutcome.OutOfOrder, reassembler.Add(0, fragments[2]));
        Assert.Equal(FragmentOutcome.Buffered, reassembler.Add(0, fragments[1]));
        Assert.Equal(message, Take(reassembler).Encoded);
    }

    [Fact]
    public void Consecutive_messages_in_one_record_are_in_order()
    {
        byte[] first = Message(2, 40, 1);
        byte[] second = Message(8, 0, 2);
        byte[] record = Fragments(first, 0, 1500)[0].Concat(Fragments(second, 1, 1500)[0]).ToArray();
        var reassembler = new HandshakeFragmentReassembler(Limit);

        Assert.Equal(FragmentOutcome.Buffered, reassembler.Add(0, record));

        Assert.Equal(first, Take(reassembler).Encoded);
        Assert.Equal(second, Take(reassembler).Encoded);
    }

    [Fact]
    public void Transcript_header_of_dtls12_is_the_unfragmented_header_whatever_the_fragmentation()
    {
        byte[] message = Message(11, 500, 6);
        var reassembler = new HandshakeFragmentReassembler(Limit);
        reassembler.ExpectFirst(3);
        foreach (byte[] fragment in Fragments(message, 3, 100))
        {
            reassembler.Add(0, fragment);
        }

        var header = new byte[DtlsHandshakeHeader.Length];
        Take(reassembler).WriteUnfragmentedHeader(header);

        // msg_type, length, message_seq, fragment_offset 0, fragment_length = length (RFC 6347 §4.2.6).
        Assert.Equal(new byte[] { 11, 0, 1, 0xF4, 0, 3, 0, 0, 0, 0, 1, 0xF4 }, header);
        Assert.Equal(Fragments(message, 3, 1500)[0].AsSpan(0, 12).ToArray(), header);
    }

    [Fact]
    public void Later_messages_past_the_byte_bound_are_dropped_and_the_record_is_not_acknowledgeable()
    {
        byte[][] messages = { Message(2, 100, 1), Message(11, 1500, 2), Message(15, 1000, 3) };
        var reassembler = new HandshakeFragmentReassembler(Limit, maxBufferedBytes: 2000);

        Assert.Equal(FragmentOutcome.Buffered | FragmentOutcome.OutOfOrder, reassembler.Add(0, Fragments(messages[1], 1, 1600)[0]));
        FragmentOutcome dropped = reassembler.Add(0, Fragments(messages[2], 2, 1600)[0]);

        Assert.Equal(FragmentOutcome.Dropped | FragmentOutcome.OutOfOrder, dropped);
        Assert.False(dropped.CanAcknowledge());
        Assert.Equal(1, reassembler.DroppedFragments);
        Assert.True(reassembler.FutureBytes <= 2000);

        reassembler.Add(0, Fragments(messages[0], 0, 1600)[0]);
        Assert.Equal(messages[0], Take(reassembler).Encoded);
        Assert.Equal(messages[1], Take(reassembler).Encoded);
        Assert.False(reassembler.TryTake(out _));

        // The peer retransmits what was dropped; now it is the next message and fits.
        reassembler.Add(0, Fragments(messages[2], 2, 1600)[0]);
        Assert.Equal(messages[2], Take(reassembler).Encoded);
    }

    [Fact]
    public void Later_messages_past_the_sequence_window_are_dropped()
    {
        var reassembler = new HandshakeFragmentReassembler(Limit, maxFutureMessages: 4);

        Assert.Equal(FragmentOutcome.Buffered | FragmentOutcome.OutOfOrder, reassembler.Add(0, Fragments(Message(2, 10, 1), 4, 100)[0]));
        Assert.Equal(FragmentOutcome.Dropped | FragmentOutcome.OutOfOrder, reassembler.Add(0, Fragments(Message(2, 10, 1), 5, 100)[0]));
        Assert.Equal(FragmentOutcome.Dropped | FragmentOutcome.OutOfOrder, reassembler.Add(0, Fragments(Message(2, 10, 1), ushort.MaxValue, 100)[0]));
    }

    [Fact]
    public void The_next_message_is_bounded_by_the_message_limit_only()
    {
        byte[] message = Message(11, 20_000, 8);
        var reassembler = new HandshakeFragmentReassembler(Limit, maxBufferedBytes: 100);

        foreach (byte[] fragment in Fragments(message, 0, 1400).AsEnumerable().Reverse())
        {
            Assert.True(reassembler.Add(0, fragment).CanAcknowledge());
        }

        Assert.Equal(message, Take(reassembler).Encoded);
    }

    [Fact]
    public void Declared_length_over_the_limit_is_refused_without_allocating_it()
    {
        var reassembler = new HandshakeFragmentReassembler(Limit);
        byte[] claim = Fragment(11, (1 << 24) - 1, 0, 0, new byte[100]);
        Assert.Throws<TlsFailureException>(() => new HandshakeFragmentReassembler(Limit).Add(0, claim));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var failure = Assert.Throws<TlsFailureException>(() => reassembler.Add(0, claim));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(TlsFailureReason.HandshakeMessageTooLarge, failure.Reason);
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void First_fragment_of_a_long_message_costs_what_it_carries()
    {
        const int length = 1 << 20;
        byte[] first = Fragment(11, length, 0, 0, new byte[100]);
        byte[] next = Fragment(11, length, 0, 100, new byte[100]);
        new HandshakeFragmentReassembler(1 << 22).Add(0, first);

        var reassembler = new HandshakeFragmentReassembler(1 << 22);
        long before = GC.GetAllocatedBytesForCurrentThread();
        reassembler.Add(0, first);
        reassembler.Add(0, next);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 4 * 1024, $"{allocated} bytes allocated for a message declaring {length}");
    }

    [Theory]
    [InlineData(new byte[] { 11, 0, 0, 10, 0, 0, 0, 0, 0 }, "header cut short")]
    [InlineData(new byte[] { 11, 0, 0, 10, 0, 0, 0, 0, 8, 0, 0, 4, 1, 2, 3, 4 }, "range past the length")]
    [InlineData(new byte[] { 11, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3 }, "body cut short")]
    [InlineData(new byte[] { 11, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4, 11 }, "trailing byte")]
    public void Malformed_fragments_are_refused_as_decode_errors(byte[] record, string why)
    {
        var failure = Assert.Throws<TlsFailureException>(() => new HandshakeFragmentReassembler(Limit).Add(0, record));

        Assert.True(failure.Reason == TlsFailureReason.MalformedHandshakeFragment, why);
        Assert.Equal(TlsAlertDescription.DecodeError, failure.Alert);
    }

    [Fact]
    public void Empty_handshake_record_is_refused()
    {
        Assert.Equal(TlsFailureReason.EmptyRecord, Assert.Throws<TlsFailureException>(() => new HandshakeFragmentReassembler(Limit).Add(0, ReadOnlySpan<byte>.Empty)).Reason);
    }

    [Fact]
    public void Fragment_written_from_an_offset_carries_the_requested_range()
    {
        byte[] message = Message(11, 1000, 3);
        var destination = new byte[500];

        int written = HandshakeFragmenter.WriteFragment(message, 4, 300, destination, out int next, maxBodyBytes: 200);

        Assert.Equal(212, written);
        Assert.Equal(500, next);
        DtlsHandshakeHeader.TryRead(destination, out DtlsHandshakeHeader header);
        Assert.Equal((300, 200, 1000), (header.FragmentOffset, header.FragmentLength, header.MessageLength));
        Assert.Equal(message.AsSpan(304, 200).ToArray(), destination.AsSpan(12, 200).ToArray());
    }
}
