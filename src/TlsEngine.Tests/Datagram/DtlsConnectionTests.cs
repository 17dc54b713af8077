using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>DTLS 1.3 connections over a deterministic link: handshake, messages, loss and timers.</summary>
public class DtlsConnectionTests
{
    private static readonly LinkProfile Lossless = LinkProfile.Perfect;

    internal static void AssertConnected(DtlsRun run, TlsVersion version = TlsVersion.Tls13)
    {
        Assert.True(run.Client.IsHandshakeComplete, $"client: {run.Client.LastError}");
        Assert.True(run.Server.IsHandshakeComplete, $"server: {run.Server.LastError}");
        Assert.Null(run.Client.LastError);
        Assert.Null(run.Server.LastError);
        Assert.Equal(version, run.Client.NegotiatedVersion);
        Assert.Equal(version, run.Server.NegotiatedVersion);
        Assert.Equal(run.Client.CipherSuite, run.Server.CipherSuite);
    }

    /// <summary>Sends each message until the other side has it (DTLS does not retransmit application data); every message arrives once, whole.</summary>
    internal static void ExchangeMessages(DtlsRun run, int count)
    {
        for (int i = 0; i < count; i++)
        {
            foreach ((DtlsConnection from, DtlsConnection to) in new[] { (run.Client, run.Server), (run.Server, run.Client) })
            {
                byte[] message = Enumerable.Range(0, 50 + (i * 37 % 500)).Select(b => (byte)(b + i)).ToArray();
                var received = new List<byte[]>();
                for (int attempt = 0; attempt < 50 && received.Count == 0; attempt++)
                {
                    Assert.Equal(TlsStatus.WantWrite, from.Send(message));
                    run.RunUntil(() => to.PendingMessages > 0 || run.NothingPending(), TimeSpan.FromSeconds(1));
                    byte[] buffer = new byte[2048];
                    while (to.TryReceive(buffer, out int length))
                    {
                        received.Add(buffer.AsSpan(0, length).ToArray());
                    }
                }

                Assert.Single(received);
                Assert.Equal(message, received[0]);
            }
        }
    }

    [Fact]
    public void Dtls13_handshake_completes_and_messages_keep_their_boundaries_both_ways()
    {
        using var run = new DtlsRun(1, Lossless);

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");

        AssertConnected(run);
        Assert.Equal(TlsNamedGroup.X25519, run.Client.NegotiatedGroup);
        Assert.True(run.Server.HelloRetryRequested, "the server checks the address with a stateless cookie by default");
        Assert.Equal(0, run.Client.DroppedRecords);
        Assert.Equal(0, run.Server.DroppedRecords);
        Assert.Equal(0, run.Client.Retransmissions);
        Assert.Equal(0, run.Server.Retransmissions);
        Assert.All(run.ClientSent.Concat(run.ServerSent), d => Assert.True(d.Length <= 1200));
        // The server acknowledged the client's final flight: nothing waits on a timer any more.
        Assert.Null(run.Client.NextTimeout);
        Assert.Null(run.Server.NextTimeout);

        ExchangeMessages(run, 5);
    }

    [Theory]
    [InlineData(0.10, 1)]
    [InlineData(0.10, 2)]
    [InlineData(0.10, 3)]
    [InlineData(0.30, 4)]
    [InlineData(0.30, 5)]
    [InlineData(0.30, 6)]
    public void Dtls13_handshake_completes_over_a_lossy_reordering_duplicating_link(double loss, int seed)
    {
        var profile = new LinkProfile { DropRate = loss, DuplicateRate = 0.1, ReorderRate = 0.2, DelayRate = 0.2 };
        using var run = new DtlsRun(seed, profile, clientDatagram: new TlsDatagramOptions { MaxRetransmissions = 12 }, serverDatagram: new TlsDatagramOptions { MaxRetransmissions = 12 });

        Assert.True(run.Handshake(TimeSpan.FromHours(1)), $"{run.Client.LastError} / {run.Server.LastError}");

        AssertConnected(run);
        ExchangeMessages(run, 3);
    }

    [Fact]
    public void Lost_first_flight_is_retransmitted_after_one_second_then_two()
    {
        using var run = new DtlsRun(1, Lossless);
        DateTimeOffset start = run.Clock.GetUtcNow();

        Assert.Equal(TlsStatus.WantWrite, run.Client.Connect());
        Assert.Equal(start + TimeSpan.FromSeconds(1), run.Client.NextTimeout);
        Assert.Equal(1, run.Discard(run.Client));
        Assert.Equal(TlsStatus.WantRead, run.Client.HandleTimeout());
        Assert.Equal(0, run.Client.PendingDatagrams);

        run.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TlsStatus.WantWrite, run.Client.HandleTimeout());
        Assert.Equal(1, run.Client.Retransmissions);
        Assert.Equal(start + TimeSpan.FromSeconds(3), run.Client.NextTimeout);
        Assert.Equal(1, run.Discard(run.Client));

        run.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TlsStatus.WantWrite, run.Client.HandleTimeout());
        Assert.Equal(2, run.Client.Retransmissions);
        Assert.Equal(start + TimeSpan.FromSeconds(7), run.Client.NextTimeout);

        Assert.True(run.Handshake());
        AssertConnected(run);
    }

    [Fact]
    public void Handshake_gives_up_after_the_retransmission_bound_without_an_alert()
    {
        using var run = new DtlsRun(1, Lossless, clientDatagram: new TlsDatagramOptions { MaxRetransmissions = 3 });
        run.Client.Connect();
        run.Discard(run.Client);

        TlsStatus status = TlsStatus.WantRead;
        for (int i = 0; i < 10 && status != TlsStatus.Failed; i++)
        {
            run.Clock.Advance(run.Client.NextTimeout!.Value - run.Clock.GetUtcNow());
            status = run.Client.HandleTimeout();
            if (status != TlsStatus.Failed)
            {
                Assert.Equal(1, run.Discard(run.Client));
            }
        }

        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(3, run.Client.Retransmissions);
        Assert.Equal(TlsFailureReason.HandshakeTimedOut, run.Client.LastError!.Reason);
        Assert.False(run.Client.LastError.AlertSent);
        Assert.Equal(0, run.Client.PendingDatagrams);
        Assert.Null(run.Client.NextTimeout);
    }

    [Fact]
    public void Lost_server_flight_is_resent_on_the_timer_and_the_handshake_completes()
    {
        using var run = new DtlsRun(1, Lossless);
        int lost = 0;
        // The first transmission of the server's flight after the second ClientHello is lost whole.
        run.Tamper = (from, datagram) => from == LinkEnd.B && run.Server.HelloRetryRequested && run.Server.Retransmissions == 0 && ++lost > 0 ? null : datagram;

        Assert.True(run.Handshake());

        AssertConnected(run);
        Assert.True(lost >= 1);
        Assert.InRange(run.Server.Retransmissions, 1, 3);
    }
}
