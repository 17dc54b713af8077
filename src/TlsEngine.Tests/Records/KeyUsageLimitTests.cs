using TlsEngine;
using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.KeySchedule;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Records;

/// <summary>RFC 8446 §5.5 AEAD usage limits, sequence numbers that never wrap, and keys zeroed when superseded.</summary>
public class KeyUsageLimitTests
{
    private static TlsPair Connected(TlsVersion version = TlsVersion.Tls13) => Engines.Connected(version);

    [Fact]
    public void Aes_gcm_write_key_is_limited_to_2_pow_24_records()
    {
        using TlsPair pair = Connected();
        Assert.Equal(1UL << 24, pair.Client.Context.Records.WriteProtection!.UsageLimit);
    }

    [Fact]
    public void Client_sends_key_update_on_its_own_before_the_write_key_reaches_its_limit()
    {
        using TlsPair pair = Connected();
        pair.Client.Context.Records.UsageLimitOverride = 3;
        pair.Client.Outbound.ReadAll();
        var sent = new List<byte>();
        for (int i = 0; i < 10; i++)
        {
            pair.Client.Write(new[] { (byte)i }, out _);
            sent.AddRange(pair.Client.Outbound.Peek().ToArray());
            pair.Pump();
        }

        // Ten data records plus a KeyUpdate after every three: 3 + KU + 3 + KU + 3 + KU + 1.
        Assert.Equal(13, Wire.Records(sent).Count);
        var received = new List<byte>();
        var buffer = new byte[64];
        while (pair.Server.Read(buffer, out int read) == TlsStatus.Ok)
        {
            received.AddRange(buffer[..read]);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), received);
        Assert.Null(pair.Server.LastError);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Connection_fails_rather_than_wrap_a_write_sequence_number(TlsVersion version)
    {
        using TlsPair pair = Connected(version);
        SetSequence(pair.Client.Context.Records.WriteProtection!, ulong.MaxValue - 1);
        pair.Client.Context.Records.UsageLimitOverride = ulong.MaxValue;
        Assert.Equal(TlsStatus.Ok, pair.Client.Write("last"u8, out _));
        Assert.Equal(TlsStatus.Failed, pair.Client.Write("wraps"u8, out _));
        Assert.Equal(TlsFailureReason.LimitExceeded, pair.Client.LastError!.Reason);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Connection_fails_rather_than_wrap_a_read_sequence_number(TlsVersion version)
    {
        using TlsPair pair = Connected(version);
        SetSequence(pair.Server.Context.Records.ReadProtection!, ulong.MaxValue);
        pair.Client.Write("x"u8, out _);
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Server.Read(new byte[8], out _));
        Assert.Equal(TlsFailureReason.LimitExceeded, pair.Server.LastError!.Reason);
    }

    [Fact]
    public void Key_update_zeroes_the_superseded_traffic_secrets_on_both_sides()
    {
        using TlsPair pair = Connected();
        byte[] clientOld = pair.Client.Context.Traffic!.Client!;
        byte[] serverCopyOld = pair.Server.Context.Traffic!.Client!;
        Assert.Equal(clientOld, serverCopyOld);
        Assert.Contains(clientOld, b => b != 0);
        pair.Client.RequestKeyUpdate(requestPeerUpdate: false);
        pair.Pump();
        pair.Server.Read(new byte[8], out _);
        Assert.All(clientOld, b => Assert.Equal(0, b));
        Assert.All(serverCopyOld, b => Assert.Equal(0, b));
        Assert.Equal(pair.Client.Context.Traffic!.Client, pair.Server.Context.Traffic!.Client);
        Assert.Contains(pair.Client.Context.Traffic!.Client!, b => b != 0);
    }

    [Fact]
    public void Handshake_traffic_secrets_are_zeroed_once_application_keys_are_in_use()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.Client.Connect();
        pair.Server.Inbound.Write(pair.Client.Outbound.ReadAll());
        pair.Server.Accept();
        // ServerHello alone: the client now holds its handshake traffic secret.
        var flight = Wire.Records(pair.Server.Outbound.ReadAll());
        (byte type, byte[] payload) = flight[0];
        pair.Client.Inbound.Write(Wire.Record(type, payload));
        pair.Client.Connect();
        byte[]? handshakeSecret = pair.Client.Context.Traffic!.Client;
        Assert.NotNull(handshakeSecret);
        foreach ((byte t, byte[] p) in flight.Skip(1))
        {
            pair.Client.Inbound.Write(Wire.Record(t, p));
        }

        Assert.Equal(TlsStatus.WantWrite, pair.Client.Connect());
        Assert.True(pair.Client.IsHandshakeComplete);
        Assert.NotSame(handshakeSecret, pair.Client.Context.Traffic!.Client);
        Assert.All(handshakeSecret!, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Deriving_the_master_secret_zeroes_the_handshake_secret()
    {
        using TlsConnection connection = TlsConnection.CreateClient(Engines.Client());
        HandshakeContext context = connection.Context;
        context.SetSuite(CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256));
        var handshake = new HandshakeStage(context.RequireHkdf, Enumerable.Repeat((byte)7, 32).ToArray());
        (_, _, MasterStage master) = Tls13Secrets.DeriveApplication(context, handshake);
        Assert.All(handshake.Secret, b => Assert.Equal(0, b));
        Assert.Contains(master.Secret, b => b != 0);
        master.Dispose();
        Assert.All(master.Secret, b => Assert.Equal(0, b));
    }

    private static void SetSequence(IRecordProtection protection, ulong value)
    {
        switch (protection)
        {
            case RecordProtection tls13:
                tls13.SequenceNumber = value;
                break;
            case Tls12RecordProtection tls12:
                tls12.SequenceNumber = value;
                break;
        }
    }
}
