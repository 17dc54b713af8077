using System.Text;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Interop;

/// <summary>X25519MLKEM768 against a real post-quantum peer: Node 26's tls module over OpenSSL 3.5.</summary>
public class NodePostQuantumTests
{
    // Echo server: prints its port, then the group of each accepted connection is reported by the engine.
    private const string ServerScript = """
        const tls = require('tls'), fs = require('fs');
        const [cert, key, curve] = process.argv.slice(2);
        const options = { cert: fs.readFileSync(cert), key: fs.readFileSync(key), minVersion: 'TLSv1.3' };
        if (curve) options.ecdhCurve = curve;
        const server = tls.createServer(options, socket => socket.on('data', d => socket.end(d)).on('error', () => {}));
        server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
        setTimeout(() => process.exit(0), 20000).unref();
        """;

    // Client: connects, prints the group OpenSSL negotiated and the echoed line.
    private const string ClientScript = """
        const tls = require('tls'), fs = require('fs');
        const [port, ca, curve] = process.argv.slice(2);
        const options = { host: '127.0.0.1', port: +port, ca: fs.readFileSync(ca), servername: 'localhost', minVersion: 'TLSv1.3' };
        if (curve) options.ecdhCurve = curve;
        const socket = tls.connect(options, () => {
          console.log('GROUP ' + socket.getEphemeralKeyInfo().name);
          socket.write('ping\n');
        });
        socket.on('data', d => { console.log('REPLY ' + d.toString().trim()); socket.end(); });
        socket.on('error', e => { console.log('ERROR ' + e.message); process.exit(1); });
        """;

    [NodeFact]
    public void Engine_client_negotiates_X25519MLKEM768_with_a_default_Node_server() =>
        EngineClientAgainstNode(nodeCurve: null, Engines.DefaultClient(seed: null));

    [NodeFact]
    public void Engine_client_offering_only_X25519MLKEM768_talks_to_Node()
    {
        TlsClientOptions options = Engines.DefaultClient(seed: null);
        options.Groups = new List<TlsNamedGroup> { TlsNamedGroup.X25519MLKEM768 };
        options.KeyShareGroups = new List<TlsNamedGroup> { TlsNamedGroup.X25519MLKEM768 };
        EngineClientAgainstNode(nodeCurve: "X25519MLKEM768", options);
    }

    [NodeFact]
    public Task Default_Node_client_negotiates_X25519MLKEM768_with_the_engine_server() =>
        NodeClientAgainstEngine(nodeCurve: null);

    [NodeFact]
    public Task Node_client_offering_only_X25519MLKEM768_talks_to_the_engine_server() =>
        NodeClientAgainstEngine(nodeCurve: "X25519MLKEM768");

    private static void EngineClientAgainstNode(string? nodeCurve, TlsClientOptions options)
    {
        string script = NodePeer.Script("pq-server", ServerScript);
        using OpenSslProcess server = OpenSslProcess.Start(NodePeer.Path!, $"{script} {TestPki.CertPath("ecdsa-p256")} {TestPki.KeyPath("ecdsa-p256")} {nodeCurve}");
        server.WaitFor(() => server.Stdout.Contains("PORT "), "node to listen");
        int port = int.Parse(server.Stdout.Split("PORT ")[1].Trim());
        using TlsStream tls = TcpHosts.ConnectClient(port, options);
        tls.Authenticate();
        tls.Write("hello node\n"u8.ToArray());
        Assert.Equal("hello node\n", TcpHosts.ReadLine(tls));
        Assert.Equal(TlsVersion.Tls13, tls.Connection.Version);
        Assert.Equal(TlsNamedGroup.X25519MLKEM768, tls.Connection.Group);
    }

    private static async Task NodeClientAgainstEngine(string? nodeCurve)
    {
        TlsNamedGroup? negotiated = null;
        (int port, Task done) = TcpHosts.ServeOnce(async stream =>
        {
            await using var tls = new TlsStream(stream, TlsConnection.CreateServer(Engines.DefaultServer("ecdsa-p256", seed: null)));
            await tls.AuthenticateAsync();
            negotiated = tls.Connection.Group;
            var buffer = new byte[64];
            int n = await tls.ReadAsync(buffer);
            await tls.WriteAsync(Encoding.ASCII.GetBytes("engine: " + Encoding.ASCII.GetString(buffer, 0, n)));
            while (await tls.ReadAsync(buffer) > 0)
            {
            }
        });
        string script = NodePeer.Script("pq-client", ClientScript);
        using (OpenSslProcess client = OpenSslProcess.Start(NodePeer.Path!, $"{script} {port} {TestPki.CaPath} {nodeCurve}"))
        {
            client.WaitFor(() => client.Stdout.Contains("REPLY ") || client.Stdout.Contains("ERROR "), "node's reply");
            Assert.Contains("REPLY engine: ping", client.Stdout);
            Assert.Contains("GROUP X25519MLKEM768", client.Stdout);
            Assert.True(client.WaitForExit());
        }

        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TlsNamedGroup.X25519MLKEM768, negotiated);
    }
}
