using TlsEngine.Samples;

// Hosts for the same engine: each carries one TLS conversation between a client and a server
// engine and checks the reply. `smoke` runs them all (CI does, on 127.0.0.1).
var samples = new Dictionary<string, Func<bool>>
{
    ["tcp"] = NonBlockingTcp.Run,
    ["udp"] = ReliableUdpTunnel.Run,
    ["serial"] = SerialLine.Run,
    ["gameloop"] = GameLoop.Run,
    ["dtls-cid"] = DtlsConnectionIds.Run,
};

string name = args.Length > 0 ? args[0] : "smoke";
if (name == "smoke")
{
    bool all = true;
    foreach ((string sample, Func<bool> run) in samples)
    {
        bool ok = run();
        Console.WriteLine($"{sample}: {(ok ? "ok" : "FAILED")}");
        all &= ok;
    }

    return all ? 0 : 1;
}

if (!samples.TryGetValue(name, out Func<bool>? chosen))
{
    Console.Error.WriteLine($"usage: samples [{string.Join('|', samples.Keys)}|smoke]");
    return 2;
}

return chosen() ? 0 : 1;
