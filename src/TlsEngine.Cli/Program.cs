using System.Net.Sockets;
using TlsEngine.Cli;

try
{
    return args.Length == 0 ? Usage() : args[0] switch
    {
        "demo" => DemoCommand.Run(CliArgs.Parse(args[1..])),
        "connect" => ConnectCommand.Run(CliArgs.Parse(args[1..])),
        "serve" => ServeCommand.Run(CliArgs.Parse(args[1..])),
        "bench" => BenchCommand.Run(CliArgs.Parse(args[1..])),
        "-h" or "--help" or "help" => Usage(),
        _ => Usage($"unknown command '{args[0]}'"),
    };
}
catch (CliException ex)
{
    return Usage(ex.Message);
}
catch (Exception ex) when (ex is IOException or SocketException or ArgumentException)
{
    Console.Error.WriteLine($"tlsengine: {ex.Message}");
    return 1;
}

static int Usage(string? error = null)
{
    if (error != null)
    {
        Console.Error.WriteLine($"tlsengine: {error}");
    }

    Console.Error.WriteLine("""
        usage:
          tlsengine demo [--chunk N] [--seed S]
              an in-memory client and server handshake, step by step (no network, no files)
          tlsengine connect HOST:PORT [--servername NAME] [--cafile PEM] [--alpn p1,p2]
                                      [--groups x25519,p256,p384] [--send TEXT] [--idle-ms N]
                                      [--timeout-ms N] [--insecure] [--verbose] [--keylog FILE]
                                      [--tls12 | --tls13 | --min-version 1.2 --max-version 1.3]
                                      [--cert PEM --key PEM] [--reconnect N] [--early-data TEXT]
                                      [--psk HEX --psk-identity ID] [--pin sha256/BASE64,...]
                                      [--rpk KEY.pem] [--peer-rpk PUB.pem] [--record-size-limit N]
              like openssl s_client; without --send, stdin lines are sent. --reconnect resumes N
              more times with the previous connection's ticket (0-RTT with --early-data);
              --peer-rpk accepts only that raw public key (RFC 7250), --rpk presents one
          tlsengine serve --port N --cert CHAIN.pem --key KEY.pem [--host 127.0.0.1]
                          [--count N] [--alpn p1,p2] [--groups ...] [--keylog FILE]
                          [--tls12 | --tls13 | --min-version 1.2 --max-version 1.3]
                          [--client-ca PEM] [--max-early-data N]
                          [--psk HEX --psk-identity ID] [--pin sha256/BASE64,...]
                          [--rpk KEY.pem] [--peer-rpk PUB.pem] [--record-size-limit N]
              like openssl s_server; echoes what each read delivers; issues tickets;
              --client-ca requires client certificates from that CA; with --psk, --cert and
              --key may be left out (TLS 1.3 PSK only); --pin pins client certificate keys;
              --rpk presents a raw public key (without --cert: only that), --peer-rpk
              requires that client key
          tlsengine bench [--seconds N] [--connections N]
              engine vs SslStream vs OpenSSL over a BIO pair, in one run
        """);
    return error == null ? 0 : 2;
}
