using System.Diagnostics;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>Odd datagrams, timers called at the wrong time, and API calls out of order: peer input never throws, misuse does.</summary>
public class DtlsConnectionMisuseTests
{
    [Fact]
    public void Largest_datagram_of_empty_records_is_dropped_quickly_and_the_handshake_goes_on()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        run.Client.Connect();
        byte[] flood = new byte[DtlsConnection.MaxDatagramSize];
        for (int offset = 0; offset + 13 <= flood.Length; offset += 13)
        {
            new byte[] { 22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 }.CopyTo(flood, offset);
        }

        var watch = Stopwatch.StartNew();
        Assert.NotEqual(TlsStatus.Failed, run.Server.ReceiveDatagram(flood));
        Assert.NotEqual(TlsStatus.Failed, run.Client.ReceiveDatagram(flood));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{watch.Elapsed}");
        Assert.True(run.Server.DroppedRecords >= 5000);
        Assert.Equal(0, run.Server.PendingDatagrams);

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");
        Assert.Equal(TlsStatus.Ok, run.Client.ReceiveDatagram(flood));
        Assert.Equal(TlsStatus.Ok, run.Client.ReceiveDatagram(new byte[DtlsConnection.MaxDatagramSize + 1]));
        Assert.Equal(TlsStatus.Ok, run.Client.ReceiveDatagram(ReadOnlySpan<byte>.Empty));
        DtlsConnectionTests.ExchangeMessages(run, 1);
    }

    [Fact]
    public void Largest_datagram_of_tiny_protected_records_costs_one_failed_open_each_and_nothing_else()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        Assert.True(run.Handshake());
        // Unified header 001C S L EE with L set and epoch bits 3: one byte of flags, two of sequence, two of length, 17 bytes of "ciphertext".
        byte[] record = new byte[] { 0x2F, 0, 1, 0, 17 }.Concat(new byte[17]).ToArray();
        byte[] flood = Enumerable.Range(0, DtlsConnection.MaxDatagramSize / record.Length).SelectMany(_ => record).ToArray();

        var watch = Stopwatch.StartNew();
        Assert.Equal(TlsStatus.Ok, run.Server.ReceiveDatagram(flood));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed}");
        Assert.Equal(0, run.Server.PendingDatagrams);
        Assert.Equal(0, run.Server.PendingMessages);
        DtlsConnectionTests.ExchangeMessages(run, 1);
    }

    [Fact]
    public void Timeout_handled_early_or_repeatedly_sends_nothing_extra()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        run.Client.Connect();
        run.Discard(run.Client);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(TlsStatus.WantRead, run.Client.HandleTimeout());
        }

        run.Clock.Advance(run.Client.NextTimeout!.Value - run.Clock.GetUtcNow());
        Assert.Equal(TlsStatus.WantWrite, run.Client.HandleTimeout());
        Assert.Equal(TlsStatus.WantWrite, run.Client.HandleTimeout());
        Assert.Equal(1, run.Discard(run.Client));
        Assert.Equal(1, run.Client.Retransmissions);
        Assert.True(run.Client.NextTimeout > run.Clock.GetUtcNow());

        // The server has nothing on a timer before any datagram.
        Assert.Equal(TlsStatus.WantRead, run.Server.HandleTimeout());
        Assert.Equal(0, run.Server.PendingDatagrams);
    }

    [Fact]
    public void Calls_after_failure_and_close_report_the_status_and_calls_after_dispose_throw()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        Assert.True(run.Handshake());

        Assert.Equal(TlsStatus.WantWrite, run.Client.Close());
        Assert.Equal(TlsStatus.WantWrite, run.Client.Send(new byte[] { 1 }));
        Assert.Single(run.Take(run.Client));
        Assert.Equal(TlsStatus.Closed, run.Client.Send(new byte[] { 1 }));
        Assert.Equal(TlsStatus.Closed, run.Client.Close());
        Assert.Equal(TlsStatus.Closed, run.Client.HandleTimeout());
        Assert.False(run.Client.TryTakeDatagram(new byte[2048], out _));

        run.Server.Dispose();
        Assert.Throws<ObjectDisposedException>(() => run.Server.ReceiveDatagram(new byte[] { 1 }));
        Assert.Throws<ObjectDisposedException>(() => run.Server.Send(new byte[] { 1 }));
        Assert.Throws<ObjectDisposedException>(() => run.Server.TryReceive(new byte[10], out _));
        Assert.Throws<ObjectDisposedException>(() => run.Server.TryTakeDatagram(new byte[10], out _));
        Assert.Throws<ObjectDisposedException>(() => run.Server.HandleTimeout());
        Assert.Null(run.Server.NextTimeout);
        Assert.Equal(0, run.Server.PendingDatagrams);
        run.Server.Dispose();
    }

    [Fact]
    public void Too_short_buffers_are_refused_without_losing_the_datagram_or_the_message()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        Assert.True(run.Handshake());
        run.Client.Send(new byte[100]);

        Assert.Throws<ArgumentException>(() => run.Client.TryTakeDatagram(new byte[10], out _));
        Assert.Equal(1, run.Client.PendingDatagrams);
        byte[] datagram = run.Take(run.Client).Single();
        run.Server.ReceiveDatagram(datagram);
        Assert.Throws<ArgumentException>(() => run.Server.TryReceive(new byte[99], out _));
        Assert.True(run.Server.TryReceive(new byte[100], out int length));
        Assert.Equal(100, length);
    }

    [Fact]
    public void Every_datagram_fits_the_smallest_mtu_including_acks_and_alerts()
    {
        var small = new TlsDatagramOptions { Mtu = TlsDatagramOptions.MinMtu, MaxRetransmissions = 12 };
        using var run = new DtlsRun(2, new LinkProfile { DropRate = 0.2, ReorderRate = 0.2, DuplicateRate = 0.1 },
            clientDatagram: small, serverDatagram: new TlsDatagramOptions { Mtu = TlsDatagramOptions.MinMtu, MaxRetransmissions = 12 });

        Assert.True(run.Handshake(TimeSpan.FromHours(1)), $"{run.Client.LastError} / {run.Server.LastError}");
        run.Client.Send(new byte[run.Client.MaxMessageSize]);
        run.Server.Close();
        run.Pump();

        Assert.All(run.ClientSent.Concat(run.ServerSent), d => Assert.True(d.Length <= TlsDatagramOptions.MinMtu, $"{d.Length}"));
    }

    [Fact]
    public void Application_data_after_the_peer_closed_is_not_delivered()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        Assert.True(run.Handshake());
        run.Client.Send(new byte[] { 7 });
        byte[] late = run.Take(run.Client).Single();
        run.Client.Close();
        byte[] close = run.Take(run.Client).Single();

        Assert.Equal(TlsStatus.Closed, run.Server.ReceiveDatagram(close));
        run.Server.ReceiveDatagram(late);

        Assert.Equal(0, run.Server.PendingMessages);
    }
}
