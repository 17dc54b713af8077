using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TlsEngine.Cli;

/// <summary>`tlsengine connect --dtls`: the same client over a UDP socket, one stdin line per datagram.</summary>
internal static class DtlsClient
{
    /// <summary>The longest wait of one turn, so that stdin lines go out promptly.</summary>
    private const int TurnMs = 50;

    public static int Run(string host, int port, TlsClientOptions options, CliArgs args, string? send)
    {
        bool verbose = args.Has("verbose");
        int idleMs = args.GetInt("idle-ms", 1500);
        int timeoutMs = args.GetInt("timeout-ms", 30000);
        using var socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(host, port);
        using DtlsConnection dtls = DtlsConnection.CreateClient(options, DatagramOptions.Transport(args));
        var link = new UdpLink(socket, dtls, options.TimeProvider);
        dtls.Connect();
        var waited = Stopwatch.StartNew();
        while (!dtls.IsHandshakeComplete && dtls.LastError == null)
        {
            if (waited.ElapsedMilliseconds >= timeoutMs)
            {
                Console.Error.WriteLine($"handshake failed: no answer within {timeoutMs} ms (retransmissions={dtls.Retransmissions})");
                return 1;
            }

            link.Step(TurnMs);
        }

        if (dtls.LastError != null)
        {
            link.Flush();
            Console.Error.WriteLine($"handshake failed: {dtls.LastError}");
            string? hint = CliOptions.Hint(dtls.LastError);
            if (hint != null)
            {
                Console.Error.WriteLine(hint);
            }

            return 1;
        }

        Console.Error.WriteLine($"connected: version={DatagramOptions.VersionName(dtls.NegotiatedVersion)} suite={dtls.CipherSuite} group={dtls.NegotiatedGroup?.ToString() ?? "(none)"} alpn={dtls.ApplicationProtocol ?? "(none)"} signature={dtls.PeerSignatureScheme?.ToString() ?? "(none)"} hrr={dtls.HelloRetryRequested} psk={(dtls.PskIdentity == null ? "(none)" : Encoding.UTF8.GetString(dtls.PskIdentity))} retransmissions={dtls.Retransmissions} dropped={dtls.DroppedRecords}");
        if (verbose)
        {
            Console.Error.WriteLine($"server certificates: {dtls.PeerCertificates.Count}, server name: {dtls.ServerName}, largest message: {dtls.MaxMessageSize} bytes");
        }

        LineInput input = LineInput.Start(send);
        return Pump(dtls, link, input, idleMs, timeoutMs);
    }

    /// <summary>
    /// Each line goes out as one message (split when it exceeds one datagram); each message received
    /// is written to stdout. The idle and reply rules are those of the TCP client.
    /// </summary>
    private static int Pump(DtlsConnection dtls, UdpLink link, LineInput input, int idleMs, int timeoutMs)
    {
        var buffer = new byte[DtlsConnection.MaxDatagramSize];
        var silence = Stopwatch.StartNew();
        bool gotData = false;
        using Stream stdout = Console.OpenStandardOutput();
        while (true)
        {
            while (input.Lines.TryDequeue(out string? line))
            {
                byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
                for (int at = 0; at < bytes.Length; at += dtls.MaxMessageSize)
                {
                    dtls.Send(bytes.AsSpan(at, Math.Min(dtls.MaxMessageSize, bytes.Length - at)));
                }

                silence.Restart();
            }

            link.Step(TurnMs);
            while (dtls.TryReceive(buffer, out int n))
            {
                stdout.Write(buffer, 0, n);
                stdout.Flush();
                gotData = true;
                silence.Restart();
            }

            if (dtls.LastError != null)
            {
                Console.Error.WriteLine($"connection failed: {dtls.LastError}");
                return 1;
            }

            if (UdpLink.Status(dtls) == TlsStatus.Closed)
            {
                // The server's close_notify: answer it, as the TCP client does.
                dtls.Close();
                link.Flush();
                return 0;
            }

            switch (input.AfterTurn(gotData, silence.ElapsedMilliseconds, idleMs, timeoutMs))
            {
                case LineInput.Turn.TimedOut:
                    Console.Error.WriteLine("timed out waiting for the server");
                    return 1;
                case LineInput.Turn.Close:
                    dtls.Close();
                    link.Flush();
                    return 0;
            }
        }
    }
}
