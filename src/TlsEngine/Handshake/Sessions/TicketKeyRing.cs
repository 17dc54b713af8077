using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using TlsEngine.Crypto;

namespace TlsEngine.Handshake;

/// <summary>
/// The server's ticket encryption keys, shared by every connection of a server: tickets are
/// sealed with AES-256-GCM under the current key, which rotates every
/// <see cref="RotationInterval"/>; the previous keys still open tickets until they age out.
/// Also the 0-RTT strike register and the TLS 1.2 session-id cache. Keys never leave the lock:
/// they are copied under it, because <see cref="Rotate"/> zeroes retired keys in place.
/// </summary>
internal sealed class TicketKeyRing
{
    private const int KeyIdLength = 4;
    private const int NonceLength = 12;
    private readonly object _gate = new();
    private readonly List<(byte[] Id, byte[] Key, DateTimeOffset Created)> _keys = new();
    private readonly HashSet<string> _used = new();
    private readonly Queue<(string Id, DateTimeOffset Expires)> _usedOrder = new();
    private readonly TlsRandom _random;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (byte[] State, DateTimeOffset Expires)> _sessions = new();
    private readonly Queue<string> _sessionOrder = new();

    public TicketKeyRing(TlsRandom random, TimeProvider timeProvider)
    {
        _random = random;
        _time = timeProvider;
        Rotate();
    }

    /// <summary>How long a key seals new tickets before the next one takes over.</summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How many retired keys still open tickets (not negative: the public keyring checks).</summary>
    public int RetiredKeysKept { get; set; } = 2;

    /// <summary>Most ticket uses remembered for 0-RTT replay protection; past it, early data is refused.</summary>
    public int StrikeRegisterCapacity { get; set; } = 100_000;

    /// <summary>Most TLS 1.2 sessions kept for resumption by session id.</summary>
    public int SessionCacheCapacity { get; set; } = 10_000;

    /// <summary>Starts a new current key now.</summary>
    public void Rotate()
    {
        lock (_gate)
        {
            _keys.Insert(0, (_random.GetBytes(KeyIdLength), _random.GetBytes(32), _time.GetUtcNow()));
            while (_keys.Count > RetiredKeysKept + 1)
            {
                byte[] key = _keys[_keys.Count - 1].Key;
                Array.Clear(key, 0, key.Length);
                _keys.RemoveAt(_keys.Count - 1);
            }
        }
    }

    public byte[] Seal(ICryptoProvider crypto, ReadOnlySpan<byte> state)
    {
        // The key is copied under the lock: Rotate zeroes retired keys in place, so a reference
        // handed out of the lock could be all zeros by the time the AEAD reads it.
        byte[] id = new byte[KeyIdLength];
        byte[] key = new byte[32];
        try
        {
            CopyCurrentKey(id, key);
            byte[] nonce = _random.GetBytes(NonceLength);
            byte[] ticket = new byte[KeyIdLength + NonceLength + state.Length + 16];
            id.CopyTo(ticket, 0);
            nonce.CopyTo(ticket, KeyIdLength);
            using (IAead aead = crypto.CreateAead(AeadAlgorithm.Aes256Gcm, key))
            {
                aead.Seal(nonce, id, state, ticket.AsSpan(KeyIdLength + NonceLength));
            }

            return ticket;
        }
        finally
        {
            Array.Clear(key, 0, key.Length);
        }
    }

    public byte[]? Open(ICryptoProvider crypto, ReadOnlySpan<byte> ticket)
    {
        if (ticket.Length < KeyIdLength + NonceLength + 16)
        {
            return null;
        }

        byte[] key = new byte[32];
        try
        {
            if (!TryCopyKey(ticket.Slice(0, KeyIdLength), key))
            {
                return null;
            }

            byte[] state = new byte[ticket.Length - KeyIdLength - NonceLength - 16];
            using IAead aead = crypto.CreateAead(AeadAlgorithm.Aes256Gcm, key);
            return aead.Open(ticket.Slice(KeyIdLength, NonceLength), ticket.Slice(0, KeyIdLength), ticket.Slice(KeyIdLength + NonceLength), state, out _) ? state : null;
        }
        finally
        {
            Array.Clear(key, 0, key.Length);
        }
    }

    /// <summary>True the first time a ticket is used for early data within its lifetime.</summary>
    public bool TryUseOnce(ReadOnlySpan<byte> ticket, DateTimeOffset expires)
    {
        string id;
        using (var sha = SHA256.Create())
        {
            id = Convert.ToBase64String(sha.ComputeHash(ticket.ToArray()));
        }

        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            while (_usedOrder.Count > 0 && _usedOrder.Peek().Expires < now)
            {
                _used.Remove(_usedOrder.Dequeue().Id);
            }

            if (_used.Count >= StrikeRegisterCapacity || !_used.Add(id))
            {
                return false;
            }

            _usedOrder.Enqueue((id, expires));
            return true;
        }
    }

    /// <summary>TLS 1.2 session-id resumption: remembers the sealed state of a session.</summary>
    public void Remember(byte[] sessionId, byte[] sealedState, DateTimeOffset expires)
    {
        string id = Convert.ToBase64String(sessionId);
        lock (_gate)
        {
            while (_sessions.Count >= SessionCacheCapacity && _sessionOrder.Count > 0)
            {
                _sessions.Remove(_sessionOrder.Dequeue());
            }

            _sessions[id] = (sealedState, expires);
            _sessionOrder.Enqueue(id);
        }
    }

    public byte[]? Recall(ReadOnlySpan<byte> sessionId)
    {
        string id = Convert.ToBase64String(sessionId.ToArray());
        lock (_gate)
        {
            return _sessions.TryGetValue(id, out var entry) && entry.Expires > _time.GetUtcNow() ? entry.State : null;
        }
    }

    private void CopyCurrentKey(byte[] id, byte[] key)
    {
        lock (_gate)
        {
            if (_time.GetUtcNow() - _keys[0].Created >= RotationInterval)
            {
                Rotate();
            }

            _keys[0].Id.CopyTo(id, 0);
            _keys[0].Key.CopyTo(key, 0);
        }
    }

    private bool TryCopyKey(ReadOnlySpan<byte> id, byte[] key)
    {
        lock (_gate)
        {
            foreach ((byte[] keyId, byte[] candidate, _) in _keys)
            {
                if (id.SequenceEqual(keyId))
                {
                    candidate.CopyTo(key, 0);
                    return true;
                }
            }
        }

        return false;
    }
}
