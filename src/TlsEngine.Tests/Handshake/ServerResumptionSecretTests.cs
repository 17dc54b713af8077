using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// The server derives the resumption master secret only when it sends tickets, its only use on
/// that side (RFC 8446 §4.6.1); the client always does, since it cannot know whether tickets follow.
/// </summary>
public class ServerResumptionSecretTests
{
    [Fact]
    public void Server_without_ticket_keys_derives_no_resumption_secret()
    {
        using TlsPair pair = Engines.Pair(Engines.Client(), Engines.Server());
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Null(pair.Server.Context.ResumptionSecret);
        Assert.NotNull(pair.Client.Context.ResumptionSecret);
    }

    [Fact]
    public void Server_with_ticket_keys_derives_the_resumption_secret_and_issues_a_ticket()
    {
        TlsServerOptions server = Engines.Server();
        server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(9), new FixedTimeProvider(Engines.Now));
        using TlsPair pair = Engines.Pair(Engines.Client(), server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.NotNull(pair.Server.Context.ResumptionSecret);
        // The ticket arrives after the handshake; reading processes it.
        pair.Pump();
        pair.Client.Read(new byte[16], out _);
        Assert.NotEmpty(pair.Client.Context.Tickets);
    }
}
