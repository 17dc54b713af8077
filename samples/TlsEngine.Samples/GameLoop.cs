using System.Text;

namespace TlsEngine.Samples;

/// <summary>
/// A game loop: once per frame each side hands the engine whatever the network delivered and
/// takes what it produced, through the span-level Process call, never blocking the frame.
/// The "network" delivers a frame late, as a real one would.
/// </summary>
internal static class GameLoop
{
    public static bool Run()
    {
        using var client = TlsConnection.CreateClient(Credentials.Client());
        using var server = TlsConnection.CreateServer(Credentials.Server());
        byte[] inFlightToServer = Array.Empty<byte>();
        byte[] inFlightToClient = Array.Empty<byte>();
        var output = new byte[65536];
        var data = new byte[256];
        string reply = string.Empty;
        bool sent = false;
        int frame = 0;
        for (; frame < 600 && reply.Length == 0; frame++)
        {
            // Frame N: each side consumes what was sent in frame N-1.
            client.Process(inFlightToClient, output, out _, out int written);
            byte[] fromClient = output[..written];
            server.Process(inFlightToServer, output, out _, out written);
            byte[] fromServer = output[..written];

            if (client.IsHandshakeComplete && !sent)
            {
                client.Write(Encoding.UTF8.GetBytes("player 1 ready"), out _);
                fromClient = fromClient.Concat(client.Outbound.ReadAll()).ToArray();
                sent = true;
            }

            if (server.IsHandshakeComplete && server.Read(data, out int n) == TlsStatus.Ok && n > 0)
            {
                server.Write(data.AsSpan(0, n), out _);
                fromServer = fromServer.Concat(server.Outbound.ReadAll()).ToArray();
            }

            if (sent && client.Read(data, out int r) == TlsStatus.Ok && r > 0)
            {
                reply = Encoding.UTF8.GetString(data, 0, r);
            }

            inFlightToServer = fromClient;
            inFlightToClient = fromServer;
        }

        return reply == "player 1 ready" && frame < 600;
    }
}
