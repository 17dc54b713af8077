namespace TlsEngine.Tests.Adversary;

/// <summary>One record the engine under test put on the wire, decrypted when the adversary could.</summary>
internal sealed record WireRecord(byte Type, byte[] Content, bool WasProtected, string? Key);

/// <summary>
/// The adversary's reading side: deframes everything the engine under test sent and decrypts it
/// with the keys the adversary has derived so far. Parsing is lazy, so a protected record waits
/// until the role has derived the key it needs. Candidate keys are tried in order (an engine may
/// switch keys without a record in between), and the current key only ever moves forward.
/// </summary>
internal sealed class PeerWire
{
    private readonly List<byte> _bytes = new();
    private readonly List<AdversaryCipher> _keys = new();
    private readonly List<byte> _handshake = new();
    private readonly List<byte[]> _messages = new();
    private int _offset;
    private int _current;
    private bool _tls12Protected;

    /// <summary>TLS 1.2 framing: after the engine's change_cipher_spec every other record is protected.</summary>
    public bool Tls12 { get; set; }

    /// <summary>Every record parsed so far, in order.</summary>
    public List<WireRecord> Records { get; } = new();

    /// <summary>Application data the engine sent, concatenated.</summary>
    public List<byte> ApplicationData { get; } = new();

    /// <summary>A protected record none of the known keys opens (parsing stops there).</summary>
    public bool Stuck { get; private set; }

    public int TotalBytes => _bytes.Count;

    public void Append(byte[] bytes)
    {
        _bytes.AddRange(bytes);
        Stuck = false;
    }

    /// <summary>A key the engine may write with next; keys must be added in the order the engine uses them.</summary>
    public void AddKey(AdversaryCipher key)
    {
        _keys.Add(key);
        Stuck = false;
    }

    /// <summary>The next complete handshake message (header included), parsing records as needed.</summary>
    public bool TryTakeHandshake(out byte[] message)
    {
        while (_messages.Count == 0 && ParseOne())
        {
        }

        message = _messages.Count > 0 ? _messages[0] : null!;
        if (_messages.Count > 0)
        {
            _messages.RemoveAt(0);
            return true;
        }

        return false;
    }

    /// <summary>Puts a message taken too early back at the front.</summary>
    public void Requeue(byte[] message) => _messages.Insert(0, message);

    /// <summary>Parses every record that can be parsed now.</summary>
    public void ParseAll()
    {
        while (ParseOne())
        {
        }
    }

    public IEnumerable<(byte Level, byte Description, bool WasProtected)> Alerts() =>
        Records.Where(r => r.Type == 21 && r.Content.Length == 2).Select(r => (r.Content[0], r.Content[1], r.WasProtected));

    /// <summary>Bytes at the end that do not form a whole record, or a record that could not be opened.</summary>
    public int UnparsedBytes => _bytes.Count - _offset;

    private bool ParseOne()
    {
        if (_bytes.Count - _offset < 5)
        {
            return false;
        }

        byte type = _bytes[_offset];
        int length = (_bytes[_offset + 3] << 8) | _bytes[_offset + 4];
        if (_bytes.Count - _offset < 5 + length)
        {
            return false;
        }

        byte[] header = _bytes.GetRange(_offset, 5).ToArray();
        byte[] payload = _bytes.GetRange(_offset + 5, length).ToArray();
        bool isProtected = Tls12 ? _tls12Protected && type != 20 : type == 23 && _keys.Count > 0;
        WireRecord record;
        if (isProtected)
        {
            WireRecord? opened = TryOpen(header, payload);
            if (opened == null)
            {
                Stuck = true;
                return false;
            }

            record = opened;
        }
        else
        {
            record = new WireRecord(type, payload, false, null);
        }

        _offset += 5 + length;
        Records.Add(record);
        Dispatch(record);
        return true;
    }

    private WireRecord? TryOpen(byte[] header, byte[] payload)
    {
        for (int i = _current; i < _keys.Count; i++)
        {
            (byte Type, byte[] Content)? opened = _keys[i].Open(header, payload);
            if (opened != null)
            {
                _current = i;
                return new WireRecord(opened.Value.Type, opened.Value.Content, true, _keys[i].Name);
            }
        }

        return null;
    }

    private void Dispatch(WireRecord record)
    {
        switch (record.Type)
        {
            case 20 when Tls12:
                _tls12Protected = true;
                break;
            case 22:
                _handshake.AddRange(record.Content);
                while (_handshake.Count >= 4)
                {
                    int length = (_handshake[1] << 16) | (_handshake[2] << 8) | _handshake[3];
                    if (_handshake.Count < 4 + length)
                    {
                        break;
                    }

                    _messages.Add(_handshake.GetRange(0, 4 + length).ToArray());
                    _handshake.RemoveRange(0, 4 + length);
                }

                break;
            case 23:
                ApplicationData.AddRange(record.Content);
                break;
        }
    }
}
