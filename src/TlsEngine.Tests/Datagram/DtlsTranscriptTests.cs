using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>The recorded DTLS traffic under TestData/dtls13 and dtls12 is whole and matches its key log.</summary>
public class DtlsTranscriptTests
{
    // DTLSPlaintext header (13) + handshake header (12) + legacy_version (2): the ClientHello random follows.
    private const int ClientHelloRandomOffset = 13 + 12 + 2;

    [Theory]
    [InlineData("dtls13/wolfssl-dtls13", "CLIENT_HANDSHAKE_TRAFFIC_SECRET,SERVER_HANDSHAKE_TRAFFIC_SECRET,CLIENT_TRAFFIC_SECRET_0,SERVER_TRAFFIC_SECRET_0")]
    [InlineData("dtls13/wolfssl-dtls13-cid", "CLIENT_HANDSHAKE_TRAFFIC_SECRET,SERVER_HANDSHAKE_TRAFFIC_SECRET,CLIENT_TRAFFIC_SECRET_0,SERVER_TRAFFIC_SECRET_0")]
    [InlineData("dtls12/openssl-dtls12", "CLIENT_RANDOM")]
    public void Recording_key_log_belongs_to_its_client_hello(string name, string labels)
    {
        DtlsTranscript transcript = DtlsTranscript.Load(name);

        DtlsDatagram first = transcript.Datagrams[0];
        Assert.True(first.FromClient);
        Assert.Equal(22, first.Bytes[0]); // handshake
        Assert.Equal(1, first.Bytes[13]); // client_hello
        byte[] random = first.Bytes.AsSpan(ClientHelloRandomOffset, 32).ToArray();
        Assert.Equal(labels.Split(','), transcript.Keys.Select(key => key.Label));
        Assert.All(transcript.Keys, key => Assert.Equal(random, key.ClientRandom));
        Assert.Contains(transcript.Datagrams, datagram => !datagram.FromClient);
    }

    [Fact]
    public void Dtls13_recording_with_connection_ids_carries_each_receivers_id_in_unified_headers()
    {
        DtlsTranscript transcript = DtlsTranscript.Load("dtls13/wolfssl-dtls13-cid");

        // RFC 9147 §4: 001CSLEE; with C set, the connection ID follows the first byte.
        List<DtlsDatagram> protectedRecords = transcript.Datagrams.Where(d => (d.Bytes[0] & 0xE0) == 0x20).ToList();
        Assert.NotEmpty(protectedRecords);
        Assert.All(protectedRecords, datagram =>
        {
            Assert.Equal(0x10, datagram.Bytes[0] & 0x10);
            byte[] expected = datagram.FromClient ? "ab"u8.ToArray() : "cd"u8.ToArray();
            Assert.Equal(expected, datagram.Bytes.AsSpan(1, 2).ToArray());
        });
    }
}
