using System.Buffers.Binary;
using TlsEngine.Datagram;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>
/// The reliability pieces together over a seeded lossy link: a final flight (it must be
/// acknowledged, RFC 9147 §5.7) goes from A to B in fragments; B reassembles and acknowledges; A
/// retransmits on timeout and on partial ACKs until everything is acknowledged. Records are framed
/// plainly (type, epoch, sequence, payload), one per datagram: protection is not the point here.
/// </summary>
public class LossyFlightTests
{
    private const byte HandshakeType = 22;
    private const byte AckType = 26;
    private const int Mtu = 300;
    private const ulong Epoch = 2;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static byte[] Frame(byte type, RecordNumber record, ReadOnlySpan<byte> payload)
    {
        var datagram = new byte[17 + payload.Length];
        datagram[0] = type;
        BinaryPrimitives.WriteUInt64BigEndian(datagram.AsSpan(1), record.Epoch);
        BinaryPrimitives.WriteUInt64BigEndian(datagram.AsSpan(9), record.Sequence);
        payload.CopyTo(datagram.AsSpan(17));
        return datagram;
    }

    private static void SendPending(OutgoingFlight flight, LossyLink link, ref ulong sequence)
    {
        var pieces = new List<FlightPiece>();
        flight.GetPending(pieces);
        var buffer = new byte[Mtu - 17];
        foreach (FlightPiece start in pieces)
        {
            FlightPiece piece = start;
            do
            {
                int length = flight.WritePiece(piece, buffer, out FlightPiece written, out piece);
                var record = new RecordNumber(Epoch, sequence++);
                flight.RecordSent(record, written);
                link.Send(LinkEnd.A, Frame(HandshakeType, record, buffer.AsSpan(0, length)));
            }
            while (piece.Length > 0);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Fragmented_final_flight_crosses_a_lossy_link_and_is_acknowledged(int seed)
    {
        var clock = new ManualTimeProvider(Start);
        var link = new LossyLink(seed, new LinkProfile { DropRate = 0.25, DuplicateRate = 0.1, ReorderRate = 0.2, DelayRate = 0.2 }, clock);
        byte[][] messages = { HandshakeFragmentationTests.Message(11, 2500, seed), HandshakeFragmentationTests.Message(15, 260, seed + 1), HandshakeFragmentationTests.Message(20, 32, seed + 2) };

        var flight = new OutgoingFlight(new RetransmitTimer(clock, maxRetransmissions: 12));
        flight.Begin();
        for (int i = 0; i < messages.Length; i++)
        {
            flight.AddHandshake(Epoch, (ushort)(i + 1), messages[i]);
        }

        ulong sendSequence = 0;
        SendPending(flight, link, ref sendSequence);
        flight.Transmitted();

        var reassembler = new HandshakeFragmentReassembler(1 << 16);
        reassembler.ExpectFirst(1);
        var acks = new AckTracker(clock);
        var received = new List<byte[]>();
        ulong ackSequence = 0;
        var numbers = new List<RecordNumber>();

        for (int step = 0; step < 10_000 && !(flight.IsAcknowledged && received.Count == messages.Length); step++)
        {
            foreach (byte[] datagram in link.Receive(LinkEnd.B))
            {
                var record = new RecordNumber(BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(1)), BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(9)));
                FragmentOutcome outcome = reassembler.Add(record.Epoch, datagram.AsSpan(17));
                acks.OnHandshakeRecord(record, outcome, TimeSpan.FromMilliseconds(250));
                while (reassembler.TryTake(out DtlsHandshakeMessage message))
                {
                    received.Add(message.Encoded);
                }

                // The final flight is acknowledged at once when complete, and again whenever it comes back (RFC 9147 §5.8.1).
                if (received.Count == messages.Length)
                {
                    acks.AckNow();
                }
            }

            if (acks.IsDue)
            {
                var body = new byte[Mtu - 17];
                int length = acks.WriteAck(body, Epoch);
                link.Send(LinkEnd.B, Frame(AckType, new RecordNumber(Epoch, ackSequence++), body.AsSpan(0, length)));
            }

            foreach (byte[] datagram in link.Receive(LinkEnd.A))
            {
                Assert.Equal(AckType, datagram[0]);
                AckCodec.Read(datagram.AsSpan(17), numbers);
                if (flight.OnAck(numbers.ToArray(), Epoch) == AckEffect.Retransmit)
                {
                    SendPending(flight, link, ref sendSequence);
                }
            }

            if (flight.HandleTimeout())
            {
                SendPending(flight, link, ref sendSequence);
            }

            DateTimeOffset now = clock.GetUtcNow();
            TimeSpan wait = new[] { link.NextArrival(LinkEnd.A), link.NextArrival(LinkEnd.B), flight.NextTimeout - now, acks.AckDue - now }
                .Where(t => t != null).Select(t => t!.Value).DefaultIfEmpty(TimeSpan.Zero).Min();
            clock.Advance(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        }

        Assert.Equal(messages, received);
        Assert.True(flight.IsAcknowledged);
        Assert.Null(flight.NextTimeout);
        Assert.True(link.Stats.Dropped > 0);
    }
}
