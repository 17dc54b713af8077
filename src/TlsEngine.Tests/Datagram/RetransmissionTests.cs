using TlsEngine.Datagram;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

public class RetransmissionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static OutgoingFlight Flight(ManualTimeProvider clock, int maxRetransmissions = RetransmitTimer.DefaultMaxRetransmissions) =>
        new(new RetransmitTimer(clock, maxRetransmissions: maxRetransmissions));

    // Writes the pieces into records of at most recordSize bytes, one fragment per record, numbering them from *sequence.
    private static List<(RecordNumber Record, byte[] Payload)> Send(OutgoingFlight flight, List<FlightPiece> pieces, int recordSize, ref ulong sequence)
    {
        var records = new List<(RecordNumber, byte[])>();
        foreach (FlightPiece start in pieces)
        {
            FlightPiece piece = start;
            do
            {
                var buffer = new byte[recordSize];
                int length = flight.WritePiece(piece, buffer, out FlightPiece written, out piece);
                var record = new RecordNumber(flight.Messages[written.Message].Epoch, sequence++);
                flight.RecordSent(record, written);
                records.Add((record, buffer.AsSpan(0, length).ToArray()));
            }
            while (piece.Length > 0);
        }

        return records;
    }

    private static List<FlightPiece> Pending(OutgoingFlight flight)
    {
        var pieces = new List<FlightPiece>();
        flight.GetPending(pieces);
        return pieces;
    }

    private static OutgoingFlight SentFlight(ManualTimeProvider clock, out List<(RecordNumber Record, byte[] Payload)> records, int maxRetransmissions = RetransmitTimer.DefaultMaxRetransmissions)
    {
        OutgoingFlight flight = Flight(clock, maxRetransmissions);
        flight.Begin();
        flight.AddHandshake(2, 1, HandshakeFragmentationTests.Message(8, 40, 1));
        flight.AddHandshake(2, 2, HandshakeFragmentationTests.Message(11, 900, 2));
        flight.AddHandshake(2, 3, HandshakeFragmentationTests.Message(20, 32, 3));
        ulong sequence = 0;
        records = Send(flight, Pending(flight), 412, ref sequence);
        flight.Transmitted();
        return flight;
    }

    [Fact]
    public void First_timeout_comes_after_the_initial_value_and_each_one_doubles_up_to_the_cap()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out _, maxRetransmissions: 10);

        Assert.Equal(Start + TimeSpan.FromSeconds(1), flight.NextTimeout);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(flight.HandleTimeout());

        var waits = new List<double>();
        for (int i = 0; i < 8; i++)
        {
            DateTimeOffset due = flight.NextTimeout!.Value;
            clock.Advance(due - clock.GetUtcNow());
            Assert.True(flight.HandleTimeout());
            waits.Add((flight.NextTimeout!.Value - clock.GetUtcNow()).TotalSeconds);
        }

        // RFC 9147 §5.8.2: 1 s, doubled at each retransmission, capped at 60 s.
        Assert.Equal(new double[] { 2, 4, 8, 16, 32, 60, 60, 60 }, waits);
        Assert.Equal(8, flight.Timer.Retransmissions);
    }

    [Fact]
    public void After_the_last_retransmission_the_next_timeout_fails_the_handshake()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out _, maxRetransmissions: 3);

        for (int i = 0; i < 3; i++)
        {
            clock.Advance(flight.NextTimeout!.Value - clock.GetUtcNow());
            Assert.True(flight.HandleTimeout());
        }

        clock.Advance(flight.NextTimeout!.Value - clock.GetUtcNow());
        var failure = Assert.Throws<TlsFailureException>(() => flight.HandleTimeout());

        Assert.Equal(TlsFailureReason.HandshakeTimedOut, failure.Reason);
        Assert.Equal(TlsErrorKind.Limit, failure.Kind);
        Assert.Null(flight.NextTimeout);
    }

    [Fact]
    public void Default_bound_gives_up_after_seven_retransmissions_and_about_three_minutes()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out _);
        int retransmissions = 0;

        Action retransmitUntilFailure = () =>
        {
            while (true)
            {
                clock.Advance(flight.NextTimeout!.Value - clock.GetUtcNow());
                Assert.True(flight.HandleTimeout());
                retransmissions++;
            }
        };

        var failure = Assert.Throws<TlsFailureException>(retransmitUntilFailure);

        Assert.Equal(TlsFailureReason.HandshakeTimedOut, failure.Reason);
        Assert.Equal(7, retransmissions);
        Assert.Equal(TimeSpan.FromSeconds(1 + 2 + 4 + 8 + 16 + 32 + 60 + 60), clock.GetUtcNow() - Start);
    }

    [Fact]
    public void The_peers_next_flight_stops_the_timer_and_a_clean_exchange_resets_its_value()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out _);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(flight.HandleTimeout());
        clock.Advance(TimeSpan.FromMilliseconds(300));

        flight.Complete();

        Assert.Null(flight.NextTimeout);
        Assert.False(flight.OnPeerRetransmission());

        // RFC 9147 §5.8.2: the backed-off value stays after a flight needed retransmission...
        flight.Begin();
        flight.AddHandshake(3, 4, HandshakeFragmentationTests.Message(20, 32, 4));
        flight.Transmitted();
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(2), flight.NextTimeout);
        Assert.Equal(0, flight.Timer.Retransmissions);

        // ...until one gets through without; then the next flight starts from the initial value again.
        flight.Complete();
        flight.Begin();
        flight.AddHandshake(3, 5, HandshakeFragmentationTests.Message(20, 32, 5));
        flight.Transmitted();
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(1), flight.NextTimeout);
    }

    [Fact]
    public void Long_idleness_resets_the_timer_value()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out _);
        clock.Advance(TimeSpan.FromSeconds(1));
        flight.HandleTimeout();
        flight.Complete();

        clock.Advance(TimeSpan.FromSeconds(20));
        flight.Begin();
        flight.AddHandshake(3, 4, HandshakeFragmentationTests.Message(24, 1, 4));
        flight.Transmitted();

        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(1), flight.NextTimeout);
    }

    [Fact]
    public void Acknowledging_every_record_ends_the_flight()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out var records);

        Assert.Equal(AckEffect.FlightAcknowledged, flight.OnAck(records.Select(r => r.Record).ToArray(), 2));

        Assert.True(flight.IsAcknowledged);
        Assert.Null(flight.NextTimeout);
        Assert.Empty(Pending(flight));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(flight.HandleTimeout());
    }

    [Fact]
    public void Ack_in_a_lower_epoch_than_the_records_it_names_does_not_end_the_flight()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out var records);
        RecordNumber[] all = records.Select(r => r.Record).ToArray();

        // A plaintext (epoch 0) ACK naming the epoch-2 records: anyone on the path can write one.
        flight.OnAck(all, ackEpoch: 0);

        Assert.False(flight.IsAcknowledged);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), flight.NextTimeout);
        Assert.Equal(3, Pending(flight).Count);
        Assert.Equal(AckEffect.FlightAcknowledged, flight.OnAck(all, ackEpoch: 2));
    }

    [Fact]
    public void Selective_retransmission_skips_the_records_the_peer_acknowledged()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out var records);
        // 400 body bytes a record: message 0 in record 0, message 1 in records 1 to 3, message 2 in record 4.
        Assert.Equal(5, records.Count);

        // The peer got records 0 and 2: message 0, and the middle of message 1.
        Assert.Equal(AckEffect.Retransmit, flight.OnAck(new[] { records[0].Record, records[2].Record }, 2));

        List<FlightPiece> pending = Pending(flight);
        Assert.Equal(new[] { new FlightPiece(1, 0, 400), new FlightPiece(1, 800, 100), new FlightPiece(2, 0, 32) }, pending);

        ulong sequence = 100;
        var resent = Send(flight, pending, 1500, ref sequence);
        var reassembled = new HandshakeFragmentReassembler(1 << 16);
        reassembled.ExpectFirst(1);
        foreach (var (_, payload) in records.Take(1).Concat(records.Skip(2).Take(1)).Concat(resent))
        {
            reassembled.Add(2, payload);
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.True(reassembled.TryTake(out DtlsHandshakeMessage message));
            Assert.Equal(flight.Messages[i].Data, message.Encoded);
        }

        // The new records are acknowledged by their own numbers.
        Assert.Equal(AckEffect.FlightAcknowledged, flight.OnAck(resent.Select(r => r.Record).ToArray(), 2));
    }

    [Fact]
    public void Timeout_resends_only_what_is_unacknowledged()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out var records);
        flight.OnAck(records.Take(4).Select(r => r.Record).ToArray(), 2);

        clock.Advance(flight.NextTimeout!.Value - clock.GetUtcNow());
        Assert.True(flight.HandleTimeout());

        Assert.Equal(new[] { new FlightPiece(2, 0, 32) }, Pending(flight));
    }

    [Fact]
    public void Ack_without_news_provokes_one_retransmission_per_timer_period()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = SentFlight(clock, out _);

        // RFC 9147 §7.1: an empty ACK says the flight did not arrive whole; answering every copy would amplify.
        Assert.Equal(AckEffect.Retransmit, flight.OnAck(ReadOnlySpan<RecordNumber>.Empty, 2));
        Assert.Equal(AckEffect.None, flight.OnAck(ReadOnlySpan<RecordNumber>.Empty, 2));
        Assert.False(flight.OnPeerRetransmission());
        Assert.Equal(Start + TimeSpan.FromSeconds(1), flight.NextTimeout);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(flight.HandleTimeout());
        Assert.True(flight.OnPeerRetransmission());
        Assert.False(flight.OnPeerRetransmission());
    }

    [Fact]
    public void Final_flight_is_resent_only_when_the_peer_resends_its_own()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = Flight(clock);
        flight.Begin();
        flight.AddRecord(1, ContentType.ChangeCipherSpec, new byte[] { 1 });
        flight.AddHandshake(1, 5, HandshakeFragmentationTests.Message(20, 12, 1));
        ulong sequence = 0;
        Send(flight, Pending(flight), 1500, ref sequence);

        flight.Transmitted(expectAnswer: false);

        Assert.Null(flight.NextTimeout);
        Assert.True(flight.OnPeerRetransmission());
        Assert.Equal(new[] { new FlightPiece(0, 0, 1), new FlightPiece(1, 0, 12) }, Pending(flight));

        // A burst of the peer's retransmitted records gets one answer; its next retransmission, a timer value later, another.
        Assert.False(flight.OnPeerRetransmission());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(flight.OnPeerRetransmission());
        Assert.Null(flight.NextTimeout);
    }

    [Fact]
    public void Pieces_too_long_for_a_record_are_written_over_several()
    {
        var clock = new ManualTimeProvider(Start);
        OutgoingFlight flight = Flight(clock);
        flight.Begin();
        flight.AddHandshake(0, 0, HandshakeFragmentationTests.Message(1, 100, 1));
        ulong sequence = 0;

        var records = Send(flight, Pending(flight), 13, ref sequence);

        Assert.Equal(100, records.Count);
        Assert.All(records, r => Assert.Equal(13, r.Payload.Length));
    }
}
