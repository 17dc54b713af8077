using TlsEngine.Crypto;
using TlsEngine.Messages;

namespace TlsEngine.Tests.Adversary;

/// <summary>Thrown inside a role to end its script early (the engine failed or stopped talking).</summary>
internal sealed class AdversaryStopped : Exception
{
    public AdversaryStopped(string message)
        : base(message)
    {
    }
}

/// <summary>
/// A scriptable TLS peer built on the engine's own codecs and key schedule, playing one role of a
/// real handshake against a <see cref="TlsConnection"/> under test. Hooks run before, on and after
/// every handshake message the role sends, so a misbehaviour can happen at any point of a
/// handshake that is otherwise consistent (transcript, keys, Finished). Like BoringSSL's runner,
/// each misbehaviour is a small script over these hooks and the raw send primitives.
/// </summary>
internal abstract partial class AdversaryPeer : IDisposable
{
    private readonly List<byte> _pending = new();
    private readonly List<(byte Type, int Occurrence, Action<Outgoing> Edit)> _edits = new();
    private readonly List<(byte Type, int Occurrence, Action<AdversaryPeer> Act)> _before = new();
    private readonly List<(byte Type, int Occurrence, Action<AdversaryPeer> Act)> _after = new();
    private readonly Dictionary<byte, int> _sent = new();
    private readonly List<byte> _coalesced = new();
    private AdversaryCipher? _coalescedKey;
    private AdversaryCipher? _writeKey;

    protected AdversaryPeer(TlsConnection engine, bool tls12)
    {
        Engine = engine;
        Wire = new PeerWire { Tls12 = tls12 };
        Transcript = new AdversaryTranscript(Crypto);
    }

    /// <summary>The engine under test.</summary>
    public TlsConnection Engine { get; }

    public ICryptoProvider Crypto { get; } = CryptoProviders.Default;

    public TlsRandom Random { get; } = TlsRandom.FromSeed(0xAD);

    /// <summary>Everything the engine sent, parsed and decrypted.</summary>
    public PeerWire Wire { get; }

    public AdversaryTranscript Transcript { get; }

    /// <summary>The adversary's current write key (null: plaintext records).</summary>
    public AdversaryCipher? WriteKey
    {
        get => _writeKey;
        set
        {
            FlushCoalesced();
            _writeKey = value;
        }
    }

    /// <summary>legacy_record_version of plaintext records.</summary>
    public ushort RecordVersion { get; set; } = 0x0303;

    /// <summary>Put consecutive handshake messages under one key into as few records as possible.</summary>
    public bool Coalesce { get; set; }

    /// <summary>Split every handshake message into records of at most this many bytes (0: no limit).</summary>
    public int MaxFragment { get; set; }

    /// <summary>Send the middlebox-compatibility change_cipher_spec where the role would (TLS 1.3).</summary>
    public bool SendCompatibilityCcs { get; set; } = true;

    /// <summary>How many change_cipher_spec records the role sends where it sends one (TLS 1.2: 0 omits it).</summary>
    public int ChangeCipherSpecCopies { get; set; } = 1;

    /// <summary>legacy_record_version of protected records (RFC 8446 §5.1: receivers ignore it).</summary>
    public ushort ProtectedRecordVersion { get; set; } = 0x0303;

    /// <summary>Flip a bit in the authentication tag of this many of the next protected records.</summary>
    public int CorruptNextRecords { get; set; }

    /// <summary>True once the adversary sent and received both Finished messages.</summary>
    public bool HandshakeDone { get; protected set; }

    /// <summary>Hooks edit the n-th (1-based) message of a type; occurrence 0 means every one.</summary>
    public AdversaryPeer Edit(byte type, Action<Outgoing> edit, int occurrence = 1)
    {
        _edits.Add((type, occurrence, edit));
        return this;
    }

    /// <summary>Runs <paramref name="act"/> right before the message is sent (after any key change before it).</summary>
    public AdversaryPeer Before(byte type, Action<AdversaryPeer> act, int occurrence = 1)
    {
        _before.Add((type, occurrence, act));
        return this;
    }

    /// <summary>Runs <paramref name="act"/> right after the message is queued, before the role changes keys.</summary>
    public AdversaryPeer After(byte type, Action<AdversaryPeer> act, int occurrence = 1)
    {
        _after.Add((type, occurrence, act));
        return this;
    }

    /// <summary>Sends a handshake message through the hooks and (unless it is post-handshake) into the transcript.</summary>
    public void SendHandshake(byte[] encoded, bool addToTranscript = true)
    {
        byte type = encoded[0];
        int occurrence = _sent[type] = _sent.GetValueOrDefault(type) + 1;
        RunHooks(_before, type, occurrence);
        var message = new Outgoing(type, encoded, occurrence) { SkipTranscript = !addToTranscript };
        foreach ((byte hookType, int hookOccurrence, Action<Outgoing> edit) in _edits.ToList())
        {
            if (hookType == type && (hookOccurrence == 0 || hookOccurrence == occurrence))
            {
                edit(message);
            }
        }

        if (!message.Drop)
        {
            if (!message.SkipTranscript)
            {
                Transcript.Add(message.Encoded);
            }

            for (int i = 0; i < message.Copies; i++)
            {
                WriteHandshake(message);
            }
        }

        RunHooks(_after, type, occurrence);
    }

    /// <summary>Sends any handshake bytes under the current key, bypassing hooks and (by default) the transcript.</summary>
    public void Inject(byte[] encoded, bool addToTranscript = false)
    {
        if (addToTranscript)
        {
            Transcript.Add(encoded);
        }

        WriteHandshake(new Outgoing(encoded[0], encoded, 0));
    }

    /// <summary>A record of any type under the current write key (plaintext before keys).</summary>
    public void SendRecord(byte type, ReadOnlySpan<byte> content) => WriteRecord(WriteKey, type, content);

    /// <summary>A plaintext record, whatever the keys: any type byte, any version.</summary>
    public void SendPlaintext(byte type, ReadOnlySpan<byte> payload, ushort? version = null)
    {
        FlushCoalesced();
        ushort v = version ?? RecordVersion;
        _pending.AddRange(new byte[] { type, (byte)(v >> 8), (byte)v, (byte)(payload.Length >> 8), (byte)payload.Length });
        _pending.AddRange(payload.ToArray());
    }

    /// <summary>Bytes straight onto the wire.</summary>
    public void SendRaw(params byte[] bytes)
    {
        FlushCoalesced();
        _pending.AddRange(bytes);
    }

    public void SendAlert(byte level, byte description) => SendRecord(21, new[] { level, description });

    public void SendAlert(byte level, TlsAlertDescription description) => SendAlert(level, (byte)description);

    /// <summary>change_cipher_spec is never protected by the record layer that sends it.</summary>
    public void SendChangeCipherSpec(params byte[] payload) => SendPlaintext(20, payload.Length == 0 ? new byte[] { 1 } : payload);

    public void SendApplicationData(ReadOnlySpan<byte> data) => SendRecord(23, data);

    /// <summary>TLS 1.3: a protected record with the given inner type and padding.</summary>
    public void SendProtected(byte innerType, ReadOnlySpan<byte> content, int padding = 0, AdversaryCipher? key = null)
    {
        FlushCoalesced();
        AddProtected(Require(key ?? WriteKey).Seal(innerType, content, padding, version: ProtectedRecordVersion));
    }

    /// <summary>TLS 1.3: a protected record whose inner plaintext is exactly <paramref name="inner"/>.</summary>
    public void SendInner(ReadOnlySpan<byte> inner, AdversaryCipher? key = null)
    {
        FlushCoalesced();
        AddProtected(Require(key ?? WriteKey).SealInner(inner, version: ProtectedRecordVersion));
    }

    /// <summary>Ends the role's script here: the engine failed, closed or stopped talking.</summary>
    protected static AdversaryStopped Stop(string reason) => new(reason);

    public void Dispose() => Engine.Dispose();

    private static AdversaryCipher Require(AdversaryCipher? key) =>
        key ?? throw new InvalidOperationException("No write key is installed for a protected record.");

    private void RunHooks(List<(byte Type, int Occurrence, Action<AdversaryPeer> Act)> hooks, byte type, int occurrence)
    {
        foreach ((byte hookType, int hookOccurrence, Action<AdversaryPeer> act) in hooks.ToList())
        {
            if (hookType == type && (hookOccurrence == 0 || hookOccurrence == occurrence))
            {
                act(this);
            }
        }
    }

    private void WriteHandshake(Outgoing message)
    {
        AdversaryCipher? key = message.Plaintext ? null : message.Key ?? WriteKey;
        byte[] bytes = message.ExtraInRecord == null ? message.Encoded : message.Encoded.Concat(message.ExtraInRecord).ToArray();
        int fragment = message.FragmentSize > 0 ? message.FragmentSize : MaxFragment;
        if (Coalesce && fragment == 0 && message.ExtraInRecord == null)
        {
            if (_coalesced.Count > 0 && !ReferenceEquals(_coalescedKey, key))
            {
                FlushCoalesced();
            }

            _coalescedKey = key;
            _coalesced.AddRange(bytes);
            return;
        }

        WriteFragments(key, 22, bytes, fragment > 0 ? fragment : 16384, message.AfterFirstFragment);
    }

    private void WriteFragments(AdversaryCipher? key, byte type, byte[] bytes, int fragment, Action<AdversaryPeer>? afterFirst = null)
    {
        FlushCoalesced();
        for (int offset = 0; offset < bytes.Length; offset += fragment)
        {
            WriteRecord(key, type, bytes.AsSpan(offset, Math.Min(fragment, bytes.Length - offset)));
            if (offset == 0)
            {
                afterFirst?.Invoke(this);
            }
        }
    }

    private void WriteRecord(AdversaryCipher? key, byte type, ReadOnlySpan<byte> content)
    {
        FlushCoalesced();
        if (key == null)
        {
            SendPlaintext(type, content);
        }
        else
        {
            AddProtected(key.Seal(type, content, version: ProtectedRecordVersion));
        }
    }

    private void AddProtected(byte[] record)
    {
        if (CorruptNextRecords > 0)
        {
            CorruptNextRecords--;
            record[^1] ^= 0x01;
        }

        _pending.AddRange(record);
    }

    private void FlushCoalesced()
    {
        if (_coalesced.Count == 0)
        {
            return;
        }

        byte[] bytes = _coalesced.ToArray();
        _coalesced.Clear();
        WriteFragments(_coalescedKey, 22, bytes, 16384);
    }
}
