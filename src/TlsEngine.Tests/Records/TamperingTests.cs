using TlsEngine;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Records;

public class TamperingTests
{
    [Fact]
    public void Flipped_bit_in_application_data_fails_with_bad_record_mac()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        pair.Tamper = (fromClient, chunk) =>
        {
            if (!fromClient)
            {
                chunk[^3] ^= 0x80;
            }

            return chunk;
        };
        pair.Server.Write("secret"u8, out _);
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[64], out _));
        Assert.Equal(TlsAlertDescription.BadRecordMac, pair.Client.LastError!.Alert);
        Assert.Equal(TlsErrorKind.Protocol, pair.Client.LastError.Kind);
        Assert.True(pair.Client.Outbound.Length > 0, "the alert must be left in Outbound");
        pair.Tamper = null;
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Server.Read(new byte[64], out _));
        Assert.Equal(TlsAlertDescription.BadRecordMac, pair.Server.LastError!.Alert);
        Assert.False(pair.Server.LastError.AlertSent);
    }

    [Fact]
    public void Flipped_bit_in_the_encrypted_server_flight_fails_the_client()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        pair.Tamper = (fromClient, chunk) =>
        {
            if (!fromClient && chunk.Length > 300)
            {
                chunk[300] ^= 0x01;
            }

            return chunk;
        };
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.BadRecordMac, pair.Client.LastError!.Alert);
    }

    [Fact]
    public void Truncated_record_is_waited_for_not_failed()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake());
        pair.Server.Write("complete me"u8, out _);
        byte[] record = pair.Server.Outbound.ReadAll();
        pair.Client.Inbound.Write(record.AsSpan(0, record.Length - 1));
        Assert.Equal(TlsStatus.WantRead, pair.Client.Read(new byte[64], out _));
        pair.Client.Inbound.Write(record.AsSpan(record.Length - 1));
        Assert.Equal(TlsStatus.Ok, pair.Client.Read(new byte[64], out int read));
        Assert.Equal(11, read);
    }
}
