using TlsEngine.Datagram;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

public class AckTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan QuarterSecond = TimeSpan.FromMilliseconds(250);

    private static List<RecordNumber> Read(ReadOnlySpan<byte> body, int maxEntries = AckCodec.MaxEntries)
    {
        var records = new List<RecordNumber>();
        AckCodec.Read(body, records, maxEntries);
        return records;
    }

    private static List<RecordNumber> WriteAndRead(AckTracker tracker, int room = 1024, ulong sendingEpoch = ulong.MaxValue)
    {
        var body = new byte[room];
        int length = tracker.WriteAck(body, sendingEpoch);
        return Read(body.AsSpan(0, length));
    }

    [Fact]
    public void Ack_round_trips_record_numbers_in_the_rfc_layout()
    {
        RecordNumber[] records = { new(0, 0), new(2, 1), new(3, ReplayWindow.MaxSequence), new(ulong.MaxValue, 7) };
        var body = new byte[AckCodec.EncodedLength(records.Length)];

        Assert.Equal(66, AckCodec.Write(records, body));

        // uint16 length, then uint64 epoch and uint64 sequence_number per entry (RFC 9147 §7).
        Assert.Equal(new byte[] { 0, 64 }, body.AsSpan(0, 2).ToArray());
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1 }, body.AsSpan(18, 16).ToArray());
        Assert.Equal(records, Read(body));
    }

    [Fact]
    public void Empty_ack_round_trips()
    {
        var body = new byte[2];
        Assert.Equal(2, AckCodec.Write(ReadOnlySpan<RecordNumber>.Empty, body));
        Assert.Empty(Read(body));
    }

    [Theory]
    [InlineData(new byte[0], "no length")]
    [InlineData(new byte[] { 0 }, "half a length")]
    [InlineData(new byte[] { 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "shorter than its length")]
    [InlineData(new byte[] { 0, 1, 0 }, "not a multiple of 16")]
    [InlineData(new byte[] { 0, 0, 0 }, "trailing byte")]
    [InlineData(new byte[] { 0, 16, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0 }, "sequence past 48 bits")]
    public void Malformed_acks_are_refused_as_decode_errors(byte[] body, string why)
    {
        var failure = Assert.Throws<TlsFailureException>(() => Read(body));

        Assert.True(failure.Reason == TlsFailureReason.MalformedAck, why);
        Assert.Equal(TlsAlertDescription.DecodeError, failure.Alert);
    }

    [Fact]
    public void Ack_with_more_entries_than_accepted_is_refused()
    {
        var body = new byte[AckCodec.EncodedLength(9)];
        AckCodec.Write(Enumerable.Range(0, 9).Select(i => new RecordNumber(2, (ulong)i)).ToArray(), body);

        Assert.Equal(9, Read(body, maxEntries: 9).Count);
        Assert.Equal(TlsFailureReason.MalformedAck, Assert.Throws<TlsFailureException>(() => Read(body, maxEntries: 8)).Reason);
    }

    [Fact]
    public void Ack_is_due_a_delay_after_the_first_record_of_a_flight()
    {
        var clock = new ManualTimeProvider(Start);
        var tracker = new AckTracker(clock);

        tracker.OnHandshakeRecord(new RecordNumber(2, 0), FragmentOutcome.Buffered, QuarterSecond);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        tracker.OnHandshakeRecord(new RecordNumber(2, 1), FragmentOutcome.Buffered, QuarterSecond);

        Assert.Equal(Start + QuarterSecond, tracker.AckDue);
        Assert.False(tracker.IsDue);
        clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.True(tracker.IsDue);
        Assert.Equal(new[] { new RecordNumber(2, 0), new RecordNumber(2, 1) }, WriteAndRead(tracker));
        Assert.Null(tracker.AckDue);
    }

    [Fact]
    public void Out_of_order_fragment_makes_the_ack_due_at_once()
    {
        var clock = new ManualTimeProvider(Start);
        var tracker = new AckTracker(clock);

        tracker.OnHandshakeRecord(new RecordNumber(2, 5), FragmentOutcome.Buffered | FragmentOutcome.OutOfOrder, QuarterSecond);

        Assert.True(tracker.IsDue);
    }

    [Fact]
    public void Record_with_a_dropped_fragment_is_never_acknowledged()
    {
        var clock = new ManualTimeProvider(Start);
        var tracker = new AckTracker(clock);

        tracker.OnHandshakeRecord(new RecordNumber(2, 0), FragmentOutcome.Buffered, QuarterSecond);
        tracker.OnHandshakeRecord(new RecordNumber(2, 1), FragmentOutcome.Buffered | FragmentOutcome.Dropped | FragmentOutcome.OutOfOrder, QuarterSecond);

        Assert.True(tracker.IsDue);
        Assert.Equal(new[] { new RecordNumber(2, 0) }, WriteAndRead(tracker));
    }

    [Fact]
    public void Implicitly_acknowledged_flight_sends_no_ack_and_the_next_flight_starts_a_new_list()
    {
        var clock = new ManualTimeProvider(Start);
        var tracker = new AckTracker(clock);
        tracker.OnHandshakeRecord(new RecordNumber(0, 0), FragmentOutcome.Buffered, QuarterSecond);

        tracker.Cancel();
        Assert.Null(tracker.AckDue);

        tracker.Clear();
        tracker.OnHandshakeRecord(new RecordNumber(2, 0), FragmentOutcome.Buffered, QuarterSecond);
        tracker.AckNow();
        Assert.Equal(new[] { new RecordNumber(2, 0) }, WriteAndRead(tracker));
    }

    [Fact]
    public void Final_flight_is_acknowledged_again_when_the_peer_resends_it()
    {
        var clock = new ManualTimeProvider(Start);
        var tracker = new AckTracker(clock);
        tracker.OnHandshakeRecord(new RecordNumber(2, 0), FragmentOutcome.Buffered, QuarterSecond);
        tracker.AckNow();
        WriteAndRead(tracker);

        tracker.OnHandshakeRecord(new RecordNumber(2, 1), FragmentOutcome.OldMessage, QuarterSecond);
        tracker.AckNow();

        Assert.Equal(new[] { new RecordNumber(2, 0), new RecordNumber(2, 1) }, WriteAndRead(tracker));
    }

    [Fact]
    public void Ack_names_no_record_of_a_higher_epoch_than_its_own()
    {
        var tracker = new AckTracker(new ManualTimeProvider(Start));
        tracker.OnHandshakeRecord(new RecordNumber(0, 0), FragmentOutcome.Buffered, QuarterSecond);
        tracker.OnHandshakeRecord(new RecordNumber(2, 0), FragmentOutcome.Buffered, QuarterSecond);

        Assert.Equal(new[] { new RecordNumber(0, 0) }, WriteAndRead(tracker, sendingEpoch: 0));
        Assert.Equal(new[] { new RecordNumber(0, 0), new RecordNumber(2, 0) }, WriteAndRead(tracker, sendingEpoch: 2));
    }

    [Fact]
    public void Truncated_ack_favours_unacknowledged_then_recent_records_and_lists_them_in_increasing_order()
    {
        var tracker = new AckTracker(new ManualTimeProvider(Start));
        for (ulong s = 0; s < 4; s++)
        {
            tracker.OnHandshakeRecord(new RecordNumber(3, s), FragmentOutcome.Buffered, QuarterSecond);
        }

        Assert.Equal(new[] { new RecordNumber(3, 2), new RecordNumber(3, 3) }, WriteAndRead(tracker, room: AckCodec.EncodedLength(2)));

        tracker.OnHandshakeRecord(new RecordNumber(3, 9), FragmentOutcome.Buffered, QuarterSecond);
        Assert.Equal(new[] { new RecordNumber(3, 0), new RecordNumber(3, 1), new RecordNumber(3, 9) }, WriteAndRead(tracker, room: AckCodec.EncodedLength(3)));
    }

    [Fact]
    public void Remembered_records_are_bounded_and_the_oldest_go_first()
    {
        var tracker = new AckTracker(new ManualTimeProvider(Start), capacity: 4);
        for (ulong s = 0; s < 10; s++)
        {
            tracker.OnHandshakeRecord(new RecordNumber(3, s), FragmentOutcome.Buffered, QuarterSecond);
            tracker.OnHandshakeRecord(new RecordNumber(3, s), FragmentOutcome.Duplicate, QuarterSecond);
        }

        Assert.Equal(4, tracker.Count);
        Assert.Equal(new ulong[] { 6, 7, 8, 9 }, WriteAndRead(tracker).Select(r => r.Sequence));
    }
}
