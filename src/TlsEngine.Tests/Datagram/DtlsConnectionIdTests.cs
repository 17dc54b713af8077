using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>Connection ids over datagrams: negotiation, the ids on the wire in both versions, routing and address changes (RFC 9146, RFC 9147 §9).</summary>
public class DtlsConnectionIdTests
{
    private static Func<ManualTimeProvider, TlsClientOptions> ClientOf(TlsVersion max) => clock =>
    {
        TlsClientOptions options = DtlsRun.DefaultClient(clock);
        options.MaxVersion = max;
        return options;
    };

    private static DtlsRun Run(TlsVersion version, int? clientIdLength, int? serverIdLength, bool validateAddress = true) =>
        new(1, LinkProfile.Perfect, ClientOf(version),
            clientDatagram: new TlsDatagramOptions { ConnectionIdLength = clientIdLength },
            serverDatagram: new TlsDatagramOptions { ConnectionIdLength = serverIdLength, ValidatePeerAddress = validateAddress });

    private static bool IsUnified(byte[] datagram) => (datagram[0] & 0xE0) == 0x20;

    private static bool IsTls12Cid(byte[] datagram) => datagram[0] == 25;

    /// <summary>Walks a datagram's 13-byte-header records to the first tls12_cid record, or null.</summary>
    private static byte[]? FirstTls12CidRecord(byte[] datagram, int idLength)
    {
        int offset = 0;
        while (offset + 13 <= datagram.Length)
        {
            if (datagram[offset] == 25)
            {
                int length = (datagram[offset + 11 + idLength] << 8) | datagram[offset + 12 + idLength];
                return datagram.AsSpan(offset, 13 + idLength + length).ToArray();
            }

            offset += 13 + ((datagram[offset + 11] << 8) | datagram[offset + 12]);
        }

        return null;
    }

    private static byte[] SendOne(DtlsRun run, DtlsConnection from, byte[] message)
    {
        Assert.Equal(TlsStatus.WantWrite, from.Send(message));
        return run.Take(from).Single();
    }

    private static byte[] ReceiveOne(DtlsConnection to)
    {
        byte[] buffer = new byte[2048];
        Assert.True(to.TryReceive(buffer, out int length));
        return buffer.AsSpan(0, length).ToArray();
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Connection_ids_are_negotiated_when_both_sides_want_them(TlsVersion version)
    {
        using DtlsRun run = Run(version, 4, 8);

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");

        DtlsConnectionTests.AssertConnected(run, version);
        Assert.True(run.Client.ConnectionIdsNegotiated);
        Assert.True(run.Server.ConnectionIdsNegotiated);
        Assert.Equal(4, run.Client.LocalConnectionId!.Length);
        Assert.Equal(8, run.Server.LocalConnectionId!.Length);
        Assert.Equal(run.Server.LocalConnectionId, run.Client.PeerConnectionId);
        Assert.Equal(run.Client.LocalConnectionId, run.Server.PeerConnectionId);
        DtlsConnectionTests.ExchangeMessages(run, 3);
    }

    [Fact]
    public void Dtls13_protected_records_carry_the_peers_connection_id_in_the_unified_header()
    {
        using DtlsRun run = Run(TlsVersion.Tls13, 4, 8);
        Assert.True(run.Handshake());

        byte[] toServer = SendOne(run, run.Client, new byte[] { 1, 2, 3 });
        byte[] toClient = SendOne(run, run.Server, new byte[] { 4, 5, 6 });

        Assert.Equal(0x10, toServer[0] & 0x10);
        Assert.Equal(run.Server.LocalConnectionId, toServer.AsSpan(1, 8).ToArray());
        Assert.Equal(run.Client.LocalConnectionId, toClient.AsSpan(1, 4).ToArray());
        // Every protected record of the handshake carried the id too.
        Assert.All(run.ClientSent.Where(IsUnified), d => Assert.Equal(run.Server.LocalConnectionId, d.AsSpan(1, 8).ToArray()));
        Assert.All(run.ServerSent.Where(IsUnified), d => Assert.Equal(run.Client.LocalConnectionId, d.AsSpan(1, 4).ToArray()));
        Assert.True(DtlsConnection.TryReadConnectionId(toServer, 8, out ReadOnlySpan<byte> routed));
        Assert.Equal(run.Server.LocalConnectionId, routed.ToArray());
        run.Server.ReceiveDatagram(toServer);
        Assert.Equal(new byte[] { 1, 2, 3 }, ReceiveOne(run.Server));
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
    public void Dtls12_records_after_the_change_cipher_spec_are_tls12_cid_records_that_round_trip(TlsCipherSuite suite)
    {
        using var run = new DtlsRun(2, LinkProfile.Perfect, clock =>
        {
            TlsClientOptions options = DtlsRun.DefaultClient(clock);
            options.MaxVersion = TlsVersion.Tls12;
            options.CipherSuites = new List<TlsCipherSuite> { suite };
            return options;
        }, clientDatagram: new TlsDatagramOptions { ConnectionIdLength = 3 }, serverDatagram: new TlsDatagramOptions { ConnectionIdLength = 6 });
        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");

        byte[] toServer = SendOne(run, run.Client, new byte[] { 7, 8, 9 });

        // RFC 9146 §4: type 25, version, epoch 1, sequence, the server's id, length; the real type is encrypted.
        Assert.Equal(25, toServer[0]);
        Assert.Equal(new byte[] { 0xFE, 0xFD, 0, 1 }, toServer.AsSpan(1, 4).ToArray());
        Assert.Equal(run.Server.LocalConnectionId, toServer.AsSpan(11, 6).ToArray());
        Assert.Equal(toServer.Length - 19, (toServer[17] << 8) | toServer[18]);
        // The Finished messages follow change_cipher_spec as tls12_cid records, in the same datagram.
        byte[] clientFinished = FirstTls12CidRecord(run.ClientSent.First(d => FirstTls12CidRecord(d, 6) != null), 6)!;
        byte[] serverFinished = FirstTls12CidRecord(run.ServerSent.First(d => FirstTls12CidRecord(d, 3) != null), 3)!;
        Assert.Equal(run.Server.LocalConnectionId, clientFinished.AsSpan(11, 6).ToArray());
        Assert.Equal(run.Client.LocalConnectionId, serverFinished.AsSpan(11, 3).ToArray());
        Assert.True(DtlsConnection.TryReadConnectionId(toServer, 6, out ReadOnlySpan<byte> routed));
        Assert.Equal(run.Server.LocalConnectionId, routed.ToArray());
        run.Server.ReceiveDatagram(toServer);
        Assert.Equal(new byte[] { 7, 8, 9 }, ReceiveOne(run.Server));
        DtlsConnectionTests.ExchangeMessages(run, 3);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, 4, null)]
    [InlineData(TlsVersion.Tls13, null, 4)]
    [InlineData(TlsVersion.Tls12, 4, null)]
    [InlineData(TlsVersion.Tls12, null, 4)]
    public void Connection_ids_are_not_used_when_one_side_does_not_want_them(TlsVersion version, int? clientIdLength, int? serverIdLength)
    {
        using DtlsRun run = Run(version, clientIdLength, serverIdLength);

        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");
        DtlsConnectionTests.ExchangeMessages(run, 2);

        Assert.False(run.Client.ConnectionIdsNegotiated);
        Assert.False(run.Server.ConnectionIdsNegotiated);
        Assert.Null(run.Client.PeerConnectionId);
        Assert.Null(run.Server.PeerConnectionId);
        Assert.DoesNotContain(run.ClientSent.Concat(run.ServerSent), d => IsTls12Cid(d) || (IsUnified(d) && (d[0] & 0x10) != 0));
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void A_zero_length_id_puts_the_peers_id_on_records_but_asks_for_none(TlsVersion version)
    {
        using DtlsRun run = Run(version, 0, 5);
        Assert.True(run.Handshake(), $"{run.Client.LastError} / {run.Server.LastError}");

        byte[] toServer = SendOne(run, run.Client, new byte[] { 1 });
        byte[] toClient = SendOne(run, run.Server, new byte[] { 2 });

        Assert.True(run.Client.ConnectionIdsNegotiated);
        Assert.Empty(run.Server.PeerConnectionId!);
        Assert.True(DtlsConnection.TryReadConnectionId(toServer, 5, out _));
        Assert.False(DtlsConnection.TryReadConnectionId(toClient, 1, out _));
        run.Client.ReceiveDatagram(toClient);
        run.Server.ReceiveDatagram(toServer);
        Assert.Equal(new byte[] { 2 }, ReceiveOne(run.Client));
        Assert.Equal(new byte[] { 1 }, ReceiveOne(run.Server));
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, 1)]
    [InlineData(TlsVersion.Tls12, 11)]
    public void Record_with_another_connection_id_is_dropped_and_counted(TlsVersion version, int idOffset)
    {
        using DtlsRun run = Run(version, 4, 4);
        Assert.True(run.Handshake());
        byte[] record = SendOne(run, run.Client, new byte[] { 1, 2, 3 });
        long dropped = run.Server.DroppedRecords;
        record[idOffset + 2] ^= 0x5A;

        run.Server.ReceiveDatagram(record);

        Assert.Equal(dropped + 1, run.Server.DroppedRecords);
        Assert.Equal(0, run.Server.PendingMessages);
        Assert.False(run.Server.LastDatagramAuthenticated);
        Assert.Null(run.Server.LastError);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Datagram_routed_by_connection_id_from_a_new_address_authenticates_and_the_connection_continues(TlsVersion version)
    {
        using DtlsRun run = Run(version, 4, 6);
        Assert.True(run.Handshake());
        // The host's routing table: the ids its connections issued, all 6 bytes long.
        var routes = new Dictionary<string, DtlsConnection> { [Convert.ToHexString(run.Server.LocalConnectionId!)] = run.Server };
        byte[] oldAddress = DtlsRun.Address;
        byte[] newAddress = { 198, 51, 100, 7, 0xC0, 0x01 };
        byte[] peerAddress = oldAddress;

        byte[] earlier = SendOne(run, run.Client, new byte[] { 1 });
        byte[] later = SendOne(run, run.Client, new byte[] { 2 });

        // The NAT rebinds: the newer datagram arrives first, from an address the server has never seen.
        Assert.True(DtlsConnection.TryReadConnectionId(later, 6, out ReadOnlySpan<byte> id));
        DtlsConnection routed = routes[Convert.ToHexString(id)];
        routed.ReceiveDatagram(later);
        Assert.True(routed.LastDatagramAuthenticated);
        peerAddress = routed.LastDatagramAuthenticated ? newAddress : peerAddress;

        // The older datagram, reordered (or replayed by anyone from the old address), authenticates but is not newer: the address stays.
        routed.ReceiveDatagram(earlier);
        Assert.False(routed.LastDatagramAuthenticated);
        routed.ReceiveDatagram(later);
        Assert.False(routed.LastDatagramAuthenticated);

        Assert.Equal(newAddress, peerAddress);
        Assert.Equal(new byte[] { 2 }, ReceiveOne(run.Server));
        Assert.Equal(new byte[] { 1 }, ReceiveOne(run.Server));
        byte[] reply = SendOne(run, run.Server, new byte[] { 3 });
        run.Client.ReceiveDatagram(reply);
        Assert.True(run.Client.LastDatagramAuthenticated);
        Assert.Equal(new byte[] { 3 }, ReceiveOne(run.Client));
    }

    [Fact]
    public void Connection_id_extension_whose_length_byte_overruns_its_data_ends_the_handshake_with_decode_error()
    {
        using DtlsRun run = Run(TlsVersion.Tls13, 4, 4, validateAddress: false);
        run.Tamper = (from, datagram) =>
        {
            // The client's connection_id extension: type 54, 5 bytes, a 4-byte id. Claim 255 bytes of id.
            int at = datagram.AsSpan().IndexOf(new byte[] { 0x00, 0x36, 0x00, 0x05, 0x04 });
            if (from == LinkEnd.A && datagram[0] == 22 && at > 0)
            {
                datagram[at + 4] = 0xFF;
            }

            return datagram;
        };

        Assert.False(run.Handshake());

        Assert.Equal(TlsFailureReason.MalformedMessage, run.Server.LastError?.Reason);
        byte[] alert = run.ServerSent.Last();
        Assert.Equal(new byte[] { 21, 0xFE, 0xFD }, alert.AsSpan(0, 3).ToArray());
        Assert.Equal(new byte[] { 2, (byte)TlsAlertDescription.DecodeError }, alert.AsSpan(alert.Length - 2).ToArray());
    }

    [Fact]
    public void Connection_id_extension_longer_than_a_255_byte_id_does_not_decode()
    {
        byte[] data = new byte[300];
        data[0] = 0xFF;

        Assert.False(TlsEngine.Messages.ExtensionCodecs.TryDecodeConnectionId(data, out _));
        Assert.True(TlsEngine.Messages.ExtensionCodecs.TryDecodeConnectionId(data.AsSpan(0, 256), out byte[] id));
        Assert.Equal(255, id.Length);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void Connection_id_length_outside_0_to_255_is_refused(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => DtlsConnection.CreateClient(Engines.Client(), new TlsDatagramOptions { ConnectionIdLength = length }));
        Assert.Equal(nameof(TlsDatagramOptions.ConnectionIdLength), error.ParamName);
    }

    [Fact]
    public void Reading_a_connection_id_refuses_datagrams_without_one()
    {
        Assert.False(DtlsConnection.TryReadConnectionId(new byte[] { 22, 0xFE, 0xFD, 0, 0 }, 4, out _));
        Assert.False(DtlsConnection.TryReadConnectionId(new byte[] { 0x2C, 0, 1 }, 4, out _));
        Assert.False(DtlsConnection.TryReadConnectionId(new byte[] { 0x3C, 1, 2 }, 4, out _));
        Assert.False(DtlsConnection.TryReadConnectionId(ReadOnlySpan<byte>.Empty, 4, out _));
        Assert.True(DtlsConnection.TryReadConnectionId(new byte[] { 0x3C, 1, 2, 3, 4, 0, 0 }, 4, out ReadOnlySpan<byte> id));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, id.ToArray());
    }
}
