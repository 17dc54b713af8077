using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>
/// An on-path attacker without keys against <see cref="DtlsConnection"/>: forged plaintext (epoch 0)
/// datagrams must be dropped once keys are in use (RFC 9147 §4.5.2), never end the connection.
/// </summary>
public class DtlsConnectionAttackTests
{
    /// <summary>A DTLSPlaintext record (epoch 0) holding one whole handshake message.</summary>
    internal static byte[] PlaintextHandshake(byte msgType, ushort messageSeq, byte[] body, ulong recordSeq = 77)
    {
        var record = new List<byte> { 22, 0xFE, 0xFD, 0, 0 };
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            record.Add((byte)(recordSeq >> shift));
        }

        int length = 12 + body.Length;
        record.Add((byte)(length >> 8));
        record.Add((byte)length);
        record.Add(msgType);
        record.AddRange(new[] { (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length });
        record.Add((byte)(messageSeq >> 8));
        record.Add((byte)messageSeq);
        record.AddRange(new byte[] { 0, 0, 0 });
        record.AddRange(new[] { (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length });
        record.AddRange(body);
        return record.ToArray();
    }

    /// <summary>One datagram of forged plaintext messages of <paramref name="msgType"/>, one for each message_seq up to <paramref name="maxSeq"/>.</summary>
    internal static byte[] PlaintextMessagesForEverySeq(byte msgType, byte[] body, int maxSeq = 16) =>
        Enumerable.Range(0, maxSeq + 1).SelectMany(seq => PlaintextHandshake(msgType, (ushort)seq, body, (ulong)(100 + seq))).ToArray();

    [Fact]
    public void Dtls13_server_drops_a_plaintext_finished_forged_after_its_handshake_keys()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        bool forged = false;
        run.Tamper = (from, datagram) =>
        {
            if (from == LinkEnd.B && run.ServerSent.Count >= 2 && !forged)
            {
                // The server answered the cookie ClientHello and reads epoch 2: forge the client's Finished in plaintext, at every message_seq.
                run.Server.ReceiveDatagram(PlaintextMessagesForEverySeq(20, new byte[32]));
                forged = true;
            }

            return datagram;
        };

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");

        Assert.True(forged);
        DtlsConnectionTests.AssertConnected(run);
    }

    [Fact]
    public void Dtls13_client_drops_a_plaintext_handshake_message_forged_after_the_server_hello()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        bool forged = false;
        int plaintext = 0;
        run.Tamper = (from, datagram) =>
        {
            // The server's second plaintext datagram starts with the ServerHello (the first is the HelloRetryRequest).
            // Give the client the ServerHello alone (it then reads epoch 2), then the forgery, then the protected rest.
            if (from == LinkEnd.B && !forged && datagram[0] == 22 && ++plaintext == 2)
            {
                forged = true;
                int helloLength = 13 + ((datagram[11] << 8) | datagram[12]);
                run.Client.ReceiveDatagram(datagram.AsSpan(0, helloLength));
                Assert.Null(run.Client.LastError);
                run.Client.ReceiveDatagram(PlaintextMessagesForEverySeq(8, new byte[] { 0, 0 }));
                return datagram.Length > helloLength ? datagram.AsSpan(helloLength).ToArray() : null;
            }

            return datagram;
        };

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");

        Assert.True(forged);
        DtlsConnectionTests.AssertConnected(run);
    }

    [Fact]
    public void Dtls12_client_drops_a_plaintext_handshake_message_forged_after_the_handshake()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect, clock =>
        {
            TlsClientOptions options = DtlsRun.DefaultClient(clock);
            options.MaxVersion = TlsVersion.Tls12;
            return options;
        });
        Assert.True(run.Handshake());

        // hello_request (0) and finished (20) at every message_seq: one is the next the client expects.
        Assert.Equal(TlsStatus.Ok, run.Client.ReceiveDatagram(PlaintextMessagesForEverySeq(0, Array.Empty<byte>())));
        Assert.Equal(TlsStatus.Ok, run.Client.ReceiveDatagram(PlaintextMessagesForEverySeq(20, new byte[12])));
        // The server cannot tell the old message_seqs from the client's resent final flight: it may resend its own once.
        Assert.NotEqual(TlsStatus.Failed, run.Server.ReceiveDatagram(PlaintextMessagesForEverySeq(20, new byte[12])));
        Assert.InRange(run.Take(run.Server).Count, 0, 1);
        Assert.Equal(TlsStatus.Ok, run.Server.ReceiveDatagram(PlaintextMessagesForEverySeq(20, new byte[12])));

        Assert.Null(run.Client.LastError);
        Assert.Null(run.Server.LastError);
        DtlsConnectionTests.ExchangeMessages(run, 1);
    }

    [Fact]
    public void Replayed_client_hello_cannot_keep_a_server_flight_alive_past_the_retransmission_bound()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        run.Client.Connect();
        foreach (byte[] hello in run.Take(run.Client))
        {
            run.Server.ReceiveDatagram(hello);
        }

        foreach (byte[] retry in run.Take(run.Server))
        {
            run.Client.ReceiveDatagram(retry);
        }

        byte[] secondHello = run.Take(run.Client).Single();
        run.Server.ReceiveDatagram(secondHello);
        run.Take(run.Server);
        Assert.NotNull(run.Server.NextTimeout);

        // The client is gone; an attacker replays its ClientHello just as each retransmission falls due.
        int flights = 0;
        DateTimeOffset end = run.Clock.GetUtcNow() + TimeSpan.FromHours(1);
        while (run.Server.NextTimeout is DateTimeOffset due && due < end)
        {
            run.Clock.Advance(due - run.Clock.GetUtcNow());
            run.Server.ReceiveDatagram(secondHello);
            run.Server.HandleTimeout();
            flights += run.Take(run.Server).Count > 0 ? 1 : 0;
        }

        Assert.Equal(TlsFailureReason.HandshakeTimedOut, run.Server.LastError?.Reason);
        Assert.InRange(flights, 1, 2 * (new TlsDatagramOptions().MaxRetransmissions + 1));
    }

    [Fact]
    public void Forged_plaintext_ack_of_the_client_hello_does_not_stop_its_retransmission()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        run.Client.Connect();
        Assert.Equal(1, run.Discard(run.Client));

        // ack(26), epoch 0, naming record (epoch 0, sequence 0): the lost ClientHello.
        byte[] ack = { 26, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 9, 0, 18, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        run.Client.ReceiveDatagram(ack);
        run.Discard(run.Client);

        Assert.NotNull(run.Client.NextTimeout);
        run.Clock.Advance(run.Client.NextTimeout!.Value - run.Clock.GetUtcNow());
        Assert.Equal(TlsStatus.WantWrite, run.Client.HandleTimeout());
        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");
        DtlsConnectionTests.AssertConnected(run);
    }

    [Fact]
    public void Dispose_zeroes_the_server_copy_of_the_configured_cookie_key()
    {
        byte[] key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var datagram = new TlsDatagramOptions { CookieKey = key };
        DtlsConnection server = DtlsConnection.CreateServer(DtlsRun.DefaultServer(new ManualTimeProvider(Engines.Now)), datagram, DtlsRun.Address);
        var context = (TlsEngine.Handshake.HandshakeContext)typeof(DtlsConnection)
            .GetField("_context", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(server)!;
        byte[] copy = ((TlsEngine.Handshake.ServerConfig)context.Config).CookieKey!;
        Assert.NotSame(key, copy);

        server.Dispose();

        Assert.All(copy, b => Assert.Equal(0, b));
        Assert.Equal(Enumerable.Range(1, 32).Select(i => (byte)i), key);
    }

    [Fact]
    public void Disposing_a_server_leaves_the_shared_random_cookie_key_working_for_the_next()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        run.Client.Connect();
        run.RunUntil(() => run.ServerSent.Count == 1, TimeSpan.FromMilliseconds(50));

        run.ReplaceServer();

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");
        DtlsConnectionTests.AssertConnected(run);
    }

    [Fact]
    public void Dispose_zeroes_the_buffer_that_held_decrypted_records()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        Assert.True(run.Handshake());
        run.Client.Send(Enumerable.Repeat((byte)0x5A, 200).ToArray());
        run.Server.ReceiveDatagram(run.Take(run.Client).Single());
        byte[] buffer = (byte[])typeof(DtlsConnection)
            .GetField("_buffer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(run.Server)!;
        Assert.Contains(buffer, b => b == 0x5A);

        run.Server.Dispose();

        Assert.All(buffer, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Dtls12_client_drops_a_plaintext_finished_forged_before_the_servers_change_cipher_spec()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect, clock =>
        {
            TlsClientOptions options = DtlsRun.DefaultClient(clock);
            options.MaxVersion = TlsVersion.Tls12;
            return options;
        });
        bool forged = false;
        run.Tamper = (from, datagram) =>
        {
            // The server's final flight starts with its change_cipher_spec (20): forge a plaintext Finished ahead of it.
            if (from == LinkEnd.B && !forged && datagram[0] == 20)
            {
                forged = true;
                run.Client.ReceiveDatagram(PlaintextMessagesForEverySeq(20, new byte[12]));
            }

            return datagram;
        };

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");

        Assert.True(forged);
        DtlsConnectionTests.AssertConnected(run, TlsVersion.Tls12);
    }

    [Fact]
    public void Dtls12_server_stops_resending_its_final_flight_once_the_client_sent_application_data()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect, clock =>
        {
            TlsClientOptions options = DtlsRun.DefaultClient(clock);
            options.MaxVersion = TlsVersion.Tls12;
            return options;
        });
        Assert.True(run.Handshake());
        DtlsConnectionTests.ExchangeMessages(run, 1);

        // Forged plaintext copies of old handshake messages would otherwise provoke the final flight again.
        run.Server.ReceiveDatagram(PlaintextMessagesForEverySeq(1, Array.Empty<byte>(), 3));
        Assert.Equal(0, run.Server.PendingDatagrams);
    }
}
