using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.Handshake.Client;
using TlsEngine.Handshake.Server;
using TlsEngine.KeySchedule;
using TlsEngine.Records;

namespace TlsEngine.Tests.Support;

/// <summary>
/// A handshake channel with no record layer: each message sent lands, in TLS form, in the peer's
/// inbox, and every key installed is recorded instead of protecting anything. It lets the handshake
/// states run in datagram mode before the datagram record layer exists.
/// </summary>
internal sealed class LoopbackHandshakeChannel : IHandshakeChannel
{
    /// <summary>Stands for a change_cipher_spec in the inbox (DTLS 1.2 still has it).</summary>
    private static readonly byte[] ChangeCipherSpecMarker = new byte[0];

    private readonly Queue<byte[]> _inbox = new();

    public LoopbackHandshakeChannel? Peer { get; set; }

    /// <summary>Rewrites a message on its way to the peer (an attacker on the path).</summary>
    public Func<byte[], byte[]>? Tamper { get; set; }

    public List<byte[]> Sent { get; } = new();

    /// <summary>Messages sent together with whether they were added to the transcript.</summary>
    public List<bool> SentInTranscript { get; } = new();

    public Dictionary<ulong, byte[]> ReadSecrets { get; } = new();

    public Dictionary<ulong, byte[]> WriteSecrets { get; } = new();

    public List<string> LabelPrefixes { get; } = new();

    public int ChangeCipherSpecs { get; private set; }

    public TlsVersion? Version { get; private set; }

    public bool ReadingEarlyData => false;

    public int Pending => _inbox.Count;

    public void Deliver(byte[] message) => _inbox.Enqueue(message);

    /// <summary>The next item in the inbox is the peer's change_cipher_spec; it is taken.</summary>
    public bool TakeChangeCipherSpec()
    {
        if (_inbox.Count == 0 || !ReferenceEquals(_inbox.Peek(), ChangeCipherSpecMarker))
        {
            return false;
        }

        _inbox.Dequeue();
        return true;
    }

    public bool TryTakeMessage(out HandshakeMessage message)
    {
        if (_inbox.Count == 0 || ReferenceEquals(_inbox.Peek(), ChangeCipherSpecMarker))
        {
            message = default;
            return false;
        }

        byte[] bytes = _inbox.Dequeue();
        message = new HandshakeMessage(bytes[0], bytes);
        return true;
    }

    public void SendHandshake(byte[] message, TranscriptHash? transcript, bool initialClientHello = false)
    {
        transcript?.Add(message);
        Sent.Add(message);
        SentInTranscript.Add(transcript != null);
        byte[] onWire = Tamper?.Invoke(message) ?? message;
        Peer?.Deliver(onWire);
    }

    public void SendChangeCipherSpec()
    {
        ChangeCipherSpecs++;
        Peer?.Deliver(ChangeCipherSpecMarker);
    }

    public void SetVersion(TlsVersion? version) => Version = version;

    public void InstallReadSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret)
    {
        ReadSecrets[epoch] = (byte[])secret.Clone();
        LabelPrefixes.Add(hkdf.LabelPrefix);
    }

    public void InstallWriteSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret)
    {
        WriteSecrets[epoch] = (byte[])secret.Clone();
        LabelPrefixes.Add(hkdf.LabelPrefix);
    }

    public void SendEarlyData(ReadOnlySpan<byte> data) => throw new InvalidOperationException("No 0-RTT over datagrams.");

    public void DropEarlyWriteKeys()
    {
    }

    public void AcceptEarlyData(CipherSuiteInfo suite, Hkdf hkdf, byte[] clientEarlySecret, uint maxEarlyDataSize) =>
        throw new InvalidOperationException("No 0-RTT over datagrams.");

    public void SkipRejectedEarlyData(long budget, bool afterHelloRetryRequest)
    {
    }

    public void InstallTls12ReadKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys) => ReadSecrets[1] = keys.Key.Concat(keys.FixedIv).ToArray();

    public void InstallTls12WriteKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys) => WriteSecrets[1] = keys.Key.Concat(keys.FixedIv).ToArray();

    public void EnterTls12Application()
    {
    }

    public void LimitSentFragments(int maxContent)
    {
    }

    public void LimitReceivedRecords(int limit)
    {
    }

    public void Dispose() => _inbox.Clear();
}

/// <summary>A client and a server handshake context joined by loopback channels, driven message by message.</summary>
internal sealed class LoopbackHandshake : IDisposable
{
    public LoopbackHandshake(ClientConfig client, ServerConfig server, byte[]? serverAddress = null)
    {
        ClientChannel = new LoopbackHandshakeChannel();
        ConnectServer(server, serverAddress);
        Client = new HandshakeContext(client, isServer: false, CryptoProviders.Default, ClientChannel);
        ClientState = ClientHelloFlight.Start(Client, client);
    }

    public LoopbackHandshakeChannel ClientChannel { get; }

    public HandshakeContext Client { get; }

    public HandshakeState ClientState { get; private set; }

    public LoopbackHandshakeChannel ServerChannel { get; private set; } = null!;

    public HandshakeContext Server { get; private set; } = null!;

    public HandshakeState ServerState { get; private set; } = null!;

    /// <summary>From now on the client talks to a fresh server context (another connection, or another host, with the same cookie key).</summary>
    public void ConnectServer(ServerConfig server, byte[]? address = null)
    {
        Server?.Dispose();
        ServerChannel = new LoopbackHandshakeChannel { Peer = ClientChannel };
        ClientChannel.Peer = ServerChannel;
        Server = new HandshakeContext(server, isServer: true, CryptoProviders.Default, ServerChannel) { PeerAddress = address ?? new byte[] { 192, 0, 2, 1, 0x12, 0x34 } };
        ServerState = new ExpectClientHello(server);
    }

    /// <summary>Delivers messages until neither side has any left; returns when both are connected or nothing moves.</summary>
    public void Run(int maxSteps = 100)
    {
        for (int i = 0; i < maxSteps && (ServerChannel.Pending > 0 || ClientChannel.Pending > 0); i++)
        {
            StepServer();
            StepClient();
        }
    }

    /// <summary>Hands the server the messages waiting for it.</summary>
    public void StepServer()
    {
        while (true)
        {
            if (ServerChannel.TakeChangeCipherSpec())
            {
                ServerState.HandleChangeCipherSpec(Server);
            }
            else if (ServerChannel.TryTakeMessage(out HandshakeMessage message))
            {
                ServerState = ServerState.Handle(Server, message);
            }
            else
            {
                return;
            }
        }
    }

    public void StepClient()
    {
        while (true)
        {
            if (ClientChannel.TakeChangeCipherSpec())
            {
                ClientState.HandleChangeCipherSpec(Client);
            }
            else if (ClientChannel.TryTakeMessage(out HandshakeMessage message))
            {
                ClientState = ClientState.Handle(Client, message);
            }
            else
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
