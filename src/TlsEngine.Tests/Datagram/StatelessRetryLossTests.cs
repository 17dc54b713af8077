using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Datagram;

/// <summary>Loss of the server's stateless HelloRetryRequest (RFC 9147 §5.1).</summary>
public class StatelessRetryLossTests
{
    [Fact]
    public void Dtls13_handshake_completes_when_the_cookie_retry_is_lost_twice()
    {
        using var run = new DtlsRun(1, LinkProfile.Perfect);
        int serverDatagrams = 0;
        // The HelloRetryRequest answering the ClientHello and the one answering its retransmission are lost.
        run.Tamper = (end, datagram) => end == LinkEnd.B && ++serverDatagrams <= 2 ? null : datagram;

        Assert.True(run.Handshake(TimeSpan.FromSeconds(60)), $"client: {run.Client.LastError}, server: {run.Server.LastError}, client timer: {run.Client.NextTimeout}");

        DtlsConnectionTests.AssertConnected(run);
        Assert.True(run.Client.Retransmissions >= 2);
    }
}
