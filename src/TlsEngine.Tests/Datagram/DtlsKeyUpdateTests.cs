using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>DTLS 1.3 KeyUpdate (RFC 9147 §8) and key usage limits (§4.5.3) over a deterministic link.</summary>
public class DtlsKeyUpdateTests
{
    private static DtlsRun Connected(int seed = 1)
    {
        var run = new DtlsRun(seed, LinkProfile.Perfect);
        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");
        return run;
    }

    /// <summary>The two low bits of a DTLS 1.3 unified header's first byte are the epoch's (RFC 9147 §4).</summary>
    private static int EpochBits(byte[] datagram) => datagram[0] & 0x03;

    private static void Deliver(IEnumerable<byte[]> datagrams, DtlsConnection to)
    {
        foreach (byte[] datagram in datagrams)
        {
            to.ReceiveDatagram(datagram);
        }
    }

    private static byte[] ReceiveOne(DtlsConnection connection)
    {
        byte[] buffer = new byte[2048];
        Assert.True(connection.TryReceive(buffer, out int length));
        return buffer.AsSpan(0, length).ToArray();
    }

    [Fact]
    public void Key_update_moves_the_write_epoch_only_once_the_peer_acknowledges_it()
    {
        using DtlsRun run = Connected();

        Assert.Equal(TlsStatus.WantWrite, run.Client.RequestKeyUpdate(requestPeerUpdate: false));
        List<byte[]> keyUpdate = run.Take(run.Client);
        Assert.Single(keyUpdate);
        Assert.Equal(3, EpochBits(keyUpdate[0]));
        Assert.True(run.Client.Channel.WriteKeyUpdatePending);
        Assert.Equal(3UL, run.Client.Channel.WriteEpoch);
        Assert.NotNull(run.Client.NextTimeout);

        // Before the ACK the client still writes epoch 3, and the server, already reading epoch 4, still reads 3.
        Deliver(keyUpdate, run.Server);
        Assert.Equal(4UL, run.Server.Channel.ReadEpoch);
        List<byte[]> ack = run.Take(run.Server);
        Assert.Single(ack);
        run.Client.Send(new byte[] { 1, 2, 3 });
        List<byte[]> early = run.Take(run.Client);
        Assert.Equal(3, EpochBits(early.Single()));
        Deliver(early, run.Server);
        Assert.Equal(new byte[] { 1, 2, 3 }, ReceiveOne(run.Server));

        Deliver(ack, run.Client);
        Assert.False(run.Client.Channel.WriteKeyUpdatePending);
        Assert.Equal(4UL, run.Client.Channel.WriteEpoch);
        Assert.Null(run.Client.NextTimeout);
        run.Client.Send(new byte[] { 4, 5 });
        List<byte[]> late = run.Take(run.Client);
        Assert.Equal(0, EpochBits(late.Single()));
        Deliver(late, run.Server);
        Assert.Equal(new byte[] { 4, 5 }, ReceiveOne(run.Server));
        Assert.Equal(3UL, run.Server.Channel.WriteEpoch);
        Assert.Equal(0, run.Server.DroppedRecords);
        Assert.Equal(0, run.Client.Retransmissions);
    }

    [Fact]
    public void Key_update_requesting_an_update_is_answered_and_both_directions_move_one_epoch()
    {
        using DtlsRun run = Connected();

        run.Client.RequestKeyUpdate(requestPeerUpdate: true);
        Assert.True(run.RunUntil(() => !run.Client.Channel.WriteKeyUpdatePending && !run.Server.Channel.WriteKeyUpdatePending && run.NothingPending(), TimeSpan.FromSeconds(5)));

        Assert.Equal(4UL, run.Client.Channel.WriteEpoch);
        Assert.Equal(4UL, run.Client.Channel.ReadEpoch);
        Assert.Equal(4UL, run.Server.Channel.WriteEpoch);
        Assert.Equal(4UL, run.Server.Channel.ReadEpoch);
        Assert.Null(run.Client.NextTimeout);
        Assert.Null(run.Server.NextTimeout);
        DtlsConnectionTests.ExchangeMessages(run, 3);
    }

    [Fact]
    public void Lost_key_update_is_retransmitted_on_the_timer_and_then_acknowledged()
    {
        using DtlsRun run = Connected();
        run.Client.RequestKeyUpdate(requestPeerUpdate: false);
        Assert.Equal(1, run.Discard(run.Client));

        run.Clock.Advance(run.Client.NextTimeout!.Value - run.Clock.GetUtcNow());
        Assert.Equal(TlsStatus.WantWrite, run.Client.HandleTimeout());
        Assert.Equal(1, run.Client.Retransmissions);
        List<byte[]> again = run.Take(run.Client);
        Assert.Equal(3, EpochBits(again.Single()));
        Deliver(again, run.Server);
        Deliver(run.Take(run.Server), run.Client);

        Assert.Equal(4UL, run.Client.Channel.WriteEpoch);
        Assert.Equal(4UL, run.Server.Channel.ReadEpoch);
        DtlsConnectionTests.ExchangeMessages(run, 2);
    }

    [Fact]
    public void Lost_ack_makes_the_retransmitted_key_update_acknowledged_again_without_a_second_epoch_bump()
    {
        using DtlsRun run = Connected();
        run.Client.RequestKeyUpdate(requestPeerUpdate: false);
        Deliver(run.Take(run.Client), run.Server);
        Assert.Equal(1, run.Discard(run.Server));
        Assert.Equal(4UL, run.Server.Channel.ReadEpoch);

        run.Clock.Advance(run.Client.NextTimeout!.Value - run.Clock.GetUtcNow());
        run.Client.HandleTimeout();
        Deliver(run.Take(run.Client), run.Server);
        List<byte[]> secondAck = run.Take(run.Server);
        Assert.Single(secondAck);
        Assert.Equal(4UL, run.Server.Channel.ReadEpoch);
        Deliver(secondAck, run.Client);

        Assert.Equal(4UL, run.Client.Channel.WriteEpoch);
        Assert.Equal(1, run.Client.Retransmissions);
        Assert.Null(run.Client.LastError);
        Assert.Null(run.Server.LastError);
        DtlsConnectionTests.ExchangeMessages(run, 2);
        Assert.Equal(4UL, run.Server.Channel.ReadEpoch);
    }

    [Fact]
    public void Key_updates_of_one_side_are_acknowledged_while_the_peer_stays_in_its_epoch()
    {
        using DtlsRun run = Connected();
        for (int i = 0; i < 3; i++)
        {
            run.Client.RequestKeyUpdate(requestPeerUpdate: false);
            Assert.True(run.RunUntil(() => !run.Client.Channel.WriteKeyUpdatePending && run.NothingPending(), TimeSpan.FromSeconds(5)));
        }

        Assert.Equal(6UL, run.Client.Channel.WriteEpoch);
        Assert.Equal(6UL, run.Server.Channel.ReadEpoch);
        Assert.Equal(3UL, run.Server.Channel.WriteEpoch);
        DtlsConnectionTests.ExchangeMessages(run, 2);
    }

    [Fact]
    public void Key_update_asked_for_while_one_awaits_its_ack_goes_out_after_the_ack()
    {
        using DtlsRun run = Connected();
        run.Client.RequestKeyUpdate(requestPeerUpdate: false);
        run.Client.RequestKeyUpdate(requestPeerUpdate: false);
        run.Client.RequestKeyUpdate(requestPeerUpdate: false);
        List<byte[]> first = run.Take(run.Client);
        Assert.Single(first);
        Deliver(first, run.Server);

        // The ACK releases the owed update: one more KeyUpdate, in the new epoch.
        Deliver(run.Take(run.Server), run.Client);
        Assert.Equal(4UL, run.Client.Channel.WriteEpoch);
        Assert.True(run.Client.Channel.WriteKeyUpdatePending);
        List<byte[]> second = run.Take(run.Client);
        Assert.Equal(0, EpochBits(second.Single()));

        Deliver(second, run.Server);
        Deliver(run.Take(run.Server), run.Client);
        Assert.Equal(5UL, run.Client.Channel.WriteEpoch);
        Assert.Equal(5UL, run.Server.Channel.ReadEpoch);
        Assert.False(run.Client.Channel.WriteKeyUpdatePending);
    }

    [Fact]
    public void Write_key_past_half_its_usage_limit_is_replaced_by_an_automatic_key_update()
    {
        using DtlsRun run = Connected();
        run.Client.Channel.UsageLimitOverride = 8;

        DtlsConnectionTests.ExchangeMessages(run, 6);

        Assert.True(run.Client.Channel.WriteEpoch >= 4, $"write epoch {run.Client.Channel.WriteEpoch}");
        Assert.Equal(3UL, run.Server.Channel.WriteEpoch);
        Assert.Null(run.Client.LastError);
    }

    [Fact]
    public void Write_key_at_its_usage_limit_before_the_ack_ends_the_connection_without_using_it_again()
    {
        using DtlsRun run = Connected();
        run.Client.Channel.UsageLimitOverride = 6;

        TlsStatus status = TlsStatus.Ok;
        int sent = 0;
        for (int i = 0; i < 10 && status != TlsStatus.Failed; i++)
        {
            status = run.Client.Send(new byte[] { (byte)i });
            sent += run.Discard(run.Client); // the server never sees anything, so no ACK comes
        }

        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(TlsFailureReason.LimitExceeded, run.Client.LastError!.Reason);
        Assert.False(run.Client.LastError.AlertSent);
        // Three application records, the KeyUpdate, and two more records: six under the key, none after.
        Assert.Equal(6, sent);
        Assert.Equal(0, run.Client.PendingDatagrams);
    }

    [Fact]
    public void Forged_records_reaching_the_integrity_limit_end_the_connection()
    {
        using DtlsRun run = Connected();
        run.Server.Channel.IntegrityLimitOverride = 3;
        run.Client.Send(new byte[] { 9, 9, 9 });
        byte[] genuine = run.Take(run.Client).Single();

        for (int i = 0; i < 3; i++)
        {
            byte[] forged = (byte[])genuine.Clone();
            forged[^1] ^= (byte)(1 + i);
            TlsStatus status = run.Server.ReceiveDatagram(forged);
            Assert.Equal(i < 2 ? TlsStatus.Ok : TlsStatus.Failed, status);
        }

        Assert.Equal(3, run.Server.DroppedRecords);
        Assert.Equal(TlsFailureReason.LimitExceeded, run.Server.LastError!.Reason);
        Assert.True(run.Server.LastError.AlertSent);
        Assert.Single(run.Take(run.Server));
    }

    [Fact]
    public void Completed_client_stops_retransmitting_its_final_flight_without_failing_when_no_ack_arrives()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect, clientDatagram: new TlsDatagramOptions { MaxRetransmissions = 3 });
        // Every datagram of the server after it completed (its ACKs) is lost.
        run.Tamper = (from, datagram) => from == LinkEnd.B && run.Server.IsHandshakeComplete ? null : datagram;
        run.RunUntil(() => false, TimeSpan.FromMinutes(10));

        Assert.True(run.Client.IsHandshakeComplete);
        Assert.Null(run.Client.LastError);
        Assert.Null(run.Server.LastError);
        Assert.Equal(3, run.Client.Retransmissions);
        Assert.Null(run.Client.NextTimeout);

        run.Tamper = null;
        DtlsConnectionTests.ExchangeMessages(run, 2);
    }
}
