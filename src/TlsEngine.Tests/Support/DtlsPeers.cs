using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TlsEngine.Tests.Support;

/// <summary>
/// DTLS peers over UDP on 127.0.0.1: wolfSSL's example client and server (DTLS 1.3 and 1.2, built by
/// .ci/install-wolfssl-dtls13), openssl s_server/s_client and gnutls-serv/gnutls-cli (DTLS 1.2).
/// Servers are started on a port picked at run time and returned once the port is bound; clients
/// connect to a given port. Every process is killed on dispose, so a stuck handshake ends with the test.
/// </summary>
/// <remarks>
/// What each peer prints, to wait on:
/// wolfSSL (both roles) prints "SSL version is DTLSv1.3" (or DTLSv1.2) once the handshake is done and
/// "CID extension was negotiated" when connection IDs are in use. The client sends "hello wolfssl!" and
/// prints what comes back, then exits; the server with -e echoes what it reads, without -e it answers
/// "I hear you fa shizzle!" (and its "Client message: ..." line is not printed every time); it serves one
/// connection and exits. openssl s_server prints "CIPHER is ..." after the handshake and every line it
/// receives; a line written to either side's stdin is sent. gnutls-cli prints "- Handshake was completed"
/// (on stderr) and then every line it receives (on stdout); gnutls-serv --echo sends back what it reads
/// and never exits (it reports "listening on IPv4" on stderr).
/// </remarks>
public static class DtlsPeers
{
    /// <summary>Priority string for DTLS 1.2 only, for gnutls-serv and gnutls-cli.</summary>
    public const string GnuTlsDtls12 = "NORMAL:-VERS-ALL:+VERS-DTLS1.2";

    /// <summary>What wolfSSL's client sends once connected.</summary>
    public const string WolfSslClientMessage = "hello wolfssl!";

    /// <summary>A UDP port that was free a moment ago (bound to port 0, read, closed).</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// wolfSSL's example server on 127.0.0.1: <paramref name="version"/> 4 is DTLS 1.3, 3 DTLS 1.2.
    /// Presents the test PKI's ECDSA P-256 certificate and asks for no client certificate; more flags
    /// (e.g. "-e" to echo, "--cid ab" for a connection ID) in <paramref name="arguments"/>.
    /// </summary>
    public static (OpenSslProcess Server, int Port) WolfSslServer(int version = 4, string arguments = "", string? keyLogFile = null)
    {
        int port = FreeUdpPort();
        OpenSslProcess server = WolfSsl("wolfssl-server",
            $"-u -v {version} -p {port} -c \"{TestPki.CertPath("ecdsa-p256")}\" -k \"{TestPki.KeyPath("ecdsa-p256")}\" -d {arguments}", keyLogFile);
        WaitUntilBound(server, port, "wolfssl-server");
        return (server, port);
    }

    /// <summary>wolfSSL's example client toward 127.0.0.1:<paramref name="port"/>, trusting the test root, without a client certificate.</summary>
    public static OpenSslProcess WolfSslClient(int port, int version = 4, string arguments = "", string? keyLogFile = null) =>
        WolfSsl("wolfssl-client", $"-u -v {version} -h 127.0.0.1 -p {port} -A \"{TestPki.CaPath}\" -x {arguments}", keyLogFile);

    /// <summary>openssl s_server -dtls1_2 for one connection, presenting the ECDSA P-256 certificate.</summary>
    public static (OpenSslProcess Server, int Port) OpenSslServer(string arguments = "")
    {
        int port = FreeUdpPort();
        OpenSslProcess server = OpenSslProcess.Start("openssl",
            $"s_server -dtls1_2 -accept 127.0.0.1:{port} -naccept 1 -cert \"{TestPki.CertPath("ecdsa-p256")}\" -key \"{TestPki.KeyPath("ecdsa-p256")}\" {arguments}");
        server.WaitFor(() => server.Stdout.Contains("ACCEPT", StringComparison.Ordinal), "s_server to listen");
        WaitUntilBound(server, port, "s_server");
        return (server, port);
    }

    /// <summary>
    /// openssl s_client -dtls1_2 verifying the server as localhost under the test root. It ends when its
    /// stdin closes (-no_ign_eof); a P-256 ECDSA server certificate needs P-256 among the client's groups.
    /// </summary>
    public static OpenSslProcess OpenSslClient(int port, string arguments = "") =>
        OpenSslProcess.Start("openssl",
            $"s_client -dtls1_2 -connect 127.0.0.1:{port} -servername localhost -CAfile \"{TestPki.CaPath}\" -verify_return_error -no_ign_eof {arguments}");

    /// <summary>gnutls-serv -u in DTLS 1.2 with --echo, presenting the ECDSA P-256 certificate.</summary>
    public static (OpenSslProcess Server, int Port) GnuTlsServer(string arguments = "")
    {
        int port = FreeUdpPort();
        OpenSslProcess server = OpenSslProcess.Start("gnutls-serv",
            $"-u -p {port} --echo --priority {GnuTlsDtls12} --x509certfile \"{TestPki.CertPath("ecdsa-p256")}\" --x509keyfile \"{TestPki.KeyPath("ecdsa-p256")}\" {arguments}");
        server.WaitFor(() => (server.Stdout + server.Stderr).Contains("listening on IPv4", StringComparison.Ordinal), "gnutls-serv to listen");
        WaitUntilBound(server, port, "gnutls-serv");
        return (server, port);
    }

    /// <summary>gnutls-cli -u in DTLS 1.2 verifying the server as localhost under the test root; it ends when its stdin closes.</summary>
    public static OpenSslProcess GnuTlsClient(int port, string arguments = "") =>
        OpenSslProcess.Start("gnutls-cli",
            $"-u -p {port} --priority {GnuTlsDtls12} --x509cafile \"{TestPki.CaPath}\" {arguments} localhost");

    /// <summary>Waits until some socket has bound UDP <paramref name="port"/> (any local address), per /proc/net/udp and udp6.</summary>
    public static void WaitUntilBound(OpenSslProcess process, int port, string what, int timeoutMs = 10000)
    {
        string needle = ":" + port.ToString("X4", CultureInfo.InvariantCulture) + " ";
        process.WaitFor(() => new[] { "/proc/net/udp", "/proc/net/udp6" }.Any(table =>
                File.Exists(table) && File.ReadLines(table).Skip(1).Any(line => LocalAddress(line).EndsWith(needle, StringComparison.Ordinal))),
            $"{what} to bind UDP port {port}", timeoutMs);
    }

    // A /proc/net/udp row: "  sl  local_address rem_address ..."; the local address is the second field.
    private static string LocalAddress(string line)
    {
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 ? fields[1] + " " : string.Empty;
    }

    // The examples look for ./certs/dh2048.pem upwards from their working directory ("wolf root"), so
    // they run in the install prefix. stdbuf makes their stdout line-buffered, so tests can wait on it
    // while the process runs; the key-log library comes after stdbuf's own preload.
    private static OpenSslProcess WolfSsl(string program, string arguments, string? keyLogFile)
    {
        string prefix = WolfSslDtls13.Prefix ?? throw new InvalidOperationException(Peers.MissingReason(Peer.WolfSslDtls13));
        return OpenSslProcess.Start("stdbuf", $"-oL \"{Path.Combine(prefix, "bin", program)}\" {arguments}", (ProcessStartInfo info) =>
        {
            info.WorkingDirectory = prefix;
            if (keyLogFile != null)
            {
                info.Environment["LD_PRELOAD"] = WolfSslDtls13.KeyLogLibrary(prefix);
                info.Environment["SSLKEYLOGFILE"] = keyLogFile;
            }
        });
    }
}

/// <summary>wolfSSL with DTLS 1.3, installed by .ci/install-wolfssl-dtls13 (Debian's own wolfSSL has DTLS 1.2 only).</summary>
public static class WolfSslDtls13
{
    public const string InstallCommand = ".ci/install-wolfssl-dtls13";

    /// <summary>Where the install script puts it; TLSENGINE_WOLFSSL_DTLS13 overrides.</summary>
    public const string DefaultPrefix = "/opt/wolfssl-dtls13";

    private static readonly Lazy<string?> Found = new(Find);

    /// <summary>The install prefix when client, server, key-log library and certs/dh2048.pem are all there, otherwise null.</summary>
    public static string? Prefix => Found.Value;

    /// <summary>The LD_PRELOAD library that appends (D)TLS 1.3 secrets to $SSLKEYLOGFILE in the NSS key-log format.</summary>
    public static string KeyLogLibrary(string prefix) => Path.Combine(prefix, "lib", "wolfssl-keylog.so");

    private static string? Find()
    {
        string prefix = Environment.GetEnvironmentVariable("TLSENGINE_WOLFSSL_DTLS13") is { Length: > 0 } configured ? configured : DefaultPrefix;
        bool complete = File.Exists(Path.Combine(prefix, "bin", "wolfssl-client"))
            && File.Exists(Path.Combine(prefix, "bin", "wolfssl-server"))
            && File.Exists(KeyLogLibrary(prefix))
            && File.Exists(Path.Combine(prefix, "certs", "dh2048.pem"));
        return complete ? prefix : null;
    }
}
