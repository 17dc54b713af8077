using System;
using TlsEngine.KeySchedule;

namespace TlsEngine.Handshake;

/// <summary>
/// The TLS 1.3 traffic secrets of both directions as the key schedule advances (RFC 8446 §7.1,
/// §7.2): handshake, then application, then each KeyUpdate generation. A secret is zeroed the
/// moment its successor replaces it, so a later compromise cannot decrypt earlier records.
/// </summary>
internal sealed class TrafficSecrets : IDisposable
{
    private byte[] _client;
    private byte[] _server;
    private byte[]? _pendingClient;

    // finished_key of each direction (RFC 8446 §4.4.4), expanded with the handshake record keys and
    // zeroed as soon as its Finished is made or checked: it lives no longer than the handshake traffic
    // secret it comes from.
    private byte[]? _clientFinishedKey;
    private byte[]? _serverFinishedKey;

    public TrafficSecrets(byte[] clientHandshake, byte[] serverHandshake)
    {
        _client = clientHandshake;
        _server = serverHandshake;
    }

    /// <summary>The secret protecting what the client sends now.</summary>
    public byte[] Client => _client;

    /// <summary>The secret protecting what the server sends now.</summary>
    public byte[] Server => _server;

    /// <summary>Client, after the server's Finished: both directions move to application secrets at once.</summary>
    public void EnterApplication(byte[] client, byte[] server)
    {
        Replace(ref _client, client);
        Replace(ref _server, server);
    }

    /// <summary>
    /// Server, after its own Finished: it sends under the application secret at once but reads the
    /// client's handshake records until the client's Finished (<see cref="ActivateClientApplication"/>).
    /// </summary>
    public void EnterServerApplication(byte[] client, byte[] server)
    {
        Replace(ref _server, server);
        _pendingClient = client;
    }

    public void ActivateClientApplication()
    {
        byte[] next = _pendingClient ?? throw TlsFailureException.Internal("The client's application secret was never derived.");
        _pendingClient = null;
        Replace(ref _client, next);
    }

    /// <summary>A fresh buffer for one direction's finished_key, replacing (and zeroing) any earlier one.</summary>
    public byte[] NewFinishedKey(bool client, int length)
    {
        byte[] key = new byte[length];
        if (client)
        {
            Forget(ref _clientFinishedKey);
            _clientFinishedKey = key;
        }
        else
        {
            Forget(ref _serverFinishedKey);
            _serverFinishedKey = key;
        }

        return key;
    }

    /// <summary>
    /// verify_data of one direction's Finished (RFC 8446 §4.4.4): from the finished_key expanded with
    /// the record keys when there is one, else from the handshake traffic secret. The key is zeroed
    /// after this single use.
    /// </summary>
    public byte[] FinishedVerifyData(Hkdf hkdf, bool client, ReadOnlySpan<byte> transcriptHash)
    {
        ref byte[]? key = ref client ? ref _clientFinishedKey : ref _serverFinishedKey;
        if (key == null)
        {
            return hkdf.FinishedVerifyData(client ? _client : _server, transcriptHash);
        }

        byte[] verifyData = hkdf.FinishedMac(key, transcriptHash);
        Forget(ref key);
        return verifyData;
    }

    /// <summary>KeyUpdate (RFC 8446 §7.2): the next generation of one direction.</summary>
    public byte[] Update(Hkdf hkdf, bool client)
    {
        if (client)
        {
            Replace(ref _client, TrafficKeys.NextGeneration(hkdf, _client));
            return _client;
        }

        Replace(ref _server, TrafficKeys.NextGeneration(hkdf, _server));
        return _server;
    }

    public void Dispose()
    {
        Array.Clear(_client, 0, _client.Length);
        Array.Clear(_server, 0, _server.Length);
        if (_pendingClient != null)
        {
            Array.Clear(_pendingClient, 0, _pendingClient.Length);
        }

        Forget(ref _clientFinishedKey);
        Forget(ref _serverFinishedKey);
    }

    private static void Forget(ref byte[]? key)
    {
        if (key != null)
        {
            Array.Clear(key, 0, key.Length);
            key = null;
        }
    }

    private static void Replace(ref byte[] current, byte[] next)
    {
        if (!ReferenceEquals(current, next))
        {
            Array.Clear(current, 0, current.Length);
        }

        current = next;
    }
}
