using TlsEngine.Crypto;
using TlsEngine.Datagram;
using TlsEngine.Records;
using Xunit;
using static TlsEngine.Tests.Datagram.DtlsLayers;

namespace TlsEngine.Tests.Datagram;

/// <summary>
/// An epoch's keys meet each sequence number once: a retired epoch that came back would restart its
/// write counter (a repeated nonce under the same key) or its replay window (old records accepted again).
/// </summary>
public class DtlsEpochReuseTests
{
    [Theory]
    [InlineData(TlsCipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    public void Retired_write_epoch_cannot_be_added_again_to_restart_its_sequence_numbers(TlsCipherSuite suite)
    {
        using var layer = new DtlsRecordLayer();
        layer.AddWriteEpoch(2, Keys(CryptoProviders.Default, suite, 2));
        Write(layer, 2, ContentType.Handshake, Content(20));
        Assert.True(layer.RetireWriteEpoch(2));

        Assert.Throws<ArgumentException>(() => layer.AddWriteEpoch(2, Keys(CryptoProviders.Default, suite, 2)));
        Assert.False(layer.HasWriteEpoch(2));
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    public void Retired_read_epoch_cannot_be_added_again_to_reopen_its_replay_window(TlsCipherSuite suite)
    {
        var (sender, receiver) = Pair(suite, epochs: 2);
        byte[] wire = Write(sender, 2, ContentType.Handshake, Content(20));
        Assert.Equal(RecordDrop.None, ReadOne(receiver, wire, out _, out _));
        Assert.True(receiver.RetireReadEpoch(2));

        Assert.Throws<ArgumentException>(() => receiver.AddReadEpoch(2, Keys(CryptoProviders.Default, suite, 2)));
        Assert.Equal(RecordDrop.UnknownEpoch, ReadOne(receiver, wire, out _, out _));
        sender.Dispose();
        receiver.Dispose();
    }

    [Fact]
    public void One_protection_cannot_key_two_write_epochs()
    {
        using var layer = new DtlsRecordLayer();
        DtlsRecordProtection keys = Keys(CryptoProviders.Default, TlsCipherSuite.TLS_AES_128_GCM_SHA256, 3);
        layer.AddWriteEpoch(3, keys);

        // Both epochs would count from sequence number 0 under the same key and IV.
        Assert.Throws<ArgumentException>(() => layer.AddWriteEpoch(4, keys));
        Assert.Throws<ArgumentException>(() => layer.AddReadEpoch(3, keys));
    }
}
