namespace TlsEngine.Fuzz;

/// <summary>
/// A recorded byte stream of TLS records, split into the handshake messages it carries so that one
/// message can be replaced and the stream re-encoded with every enclosing length fixed: handshake
/// message length, record lengths and, under protection, the AEAD (re-sealed in sequence).
/// Records that cannot be decrypted, and trailing bytes that are not a whole record, are kept verbatim.
/// </summary>
public sealed class RecordedFlight
{
    private const int MaxFragment = 16384;
    private readonly List<Segment> _segments = new();
    private readonly RecordCipher? _cipher;
    private byte[] _tail = Array.Empty<byte>();

    private RecordedFlight(RecordCipher? cipher)
    {
        _cipher = cipher;
    }

    /// <summary>Every complete handshake message, in order, with whether it travelled under protection.</summary>
    public IReadOnlyList<(byte[] Message, bool Protected)> Messages =>
        _segments.Where(s => s.Messages != null).SelectMany(s => s.Messages!.Select(m => (m, s.Protected))).ToList();

    /// <summary>
    /// Splits <paramref name="stream"/> into records. With a <paramref name="cipher"/>, protected records
    /// (TLS 1.3: outer type application_data; TLS 1.2: after a change_cipher_spec) are decrypted with
    /// sequence numbers from 0 until one fails to open (a later key change).
    /// </summary>
    public static RecordedFlight Parse(ReadOnlySpan<byte> stream, RecordCipher? cipher = null)
    {
        var flight = new RecordedFlight(cipher);
        int offset = 0;
        ulong sequence = 0;
        bool afterChangeCipherSpec = false;
        bool decrypting = cipher != null;
        while (offset + 5 <= stream.Length && stream[offset] is >= 20 and <= 24 && stream[offset + 1] == 3)
        {
            int length = (stream[offset + 3] << 8) | stream[offset + 4];
            if (offset + 5 + length > stream.Length)
            {
                break;
            }

            ReadOnlySpan<byte> record = stream.Slice(offset, 5 + length);
            offset += 5 + length;
            byte type = record[0];
            bool isProtected = decrypting && (cipher!.IsTls13 ? type == 23 : afterChangeCipherSpec && type != 20);
            afterChangeCipherSpec |= type == 20;
            if (isProtected && cipher!.Open(sequence, record) is { } opened)
            {
                sequence++;
                flight.Add(protectedRecord: true, opened.Type, version: 3, opened.Content, raw: null);
                continue;
            }

            decrypting &= !isProtected;
            flight.Add(protectedRecord: false, type, record[2], record[5..].ToArray(), raw: isProtected ? record.ToArray() : null);
        }

        flight._tail = stream[offset..].ToArray();
        return flight;
    }

    /// <summary>Replaces the <paramref name="index"/>th message of <see cref="Messages"/> (any bytes, even several messages or none).</summary>
    public void Replace(int index, byte[] replacement)
    {
        foreach (Segment segment in _segments.Where(s => s.Messages != null))
        {
            if (index < segment.Messages!.Count)
            {
                segment.Messages[index] = replacement;
                segment.Changed = true;
                return;
            }

            index -= segment.Messages.Count;
        }

        throw new ArgumentOutOfRangeException(nameof(index));
    }

    /// <summary>The stream again: unchanged runs keep their record boundaries, changed ones carry one message per record.</summary>
    public byte[] Encode()
    {
        var output = new List<byte>();
        ulong sequence = 0;
        foreach (Segment segment in _segments)
        {
            IEnumerable<byte[]> contents = segment.Changed
                ? segment.Messages!.Concat(new[] { segment.Remainder }).Where(m => m.Length > 0).SelectMany(Fragments)
                : segment.Records;
            foreach (byte[] content in contents)
            {
                if (segment.Raw != null)
                {
                    output.AddRange(segment.Raw);
                }
                else if (segment.Protected)
                {
                    output.AddRange(_cipher!.Seal(sequence++, segment.Type, content));
                }
                else
                {
                    output.AddRange(new byte[] { segment.Type, 3, segment.Version, (byte)(content.Length >> 8), (byte)content.Length });
                    output.AddRange(content);
                }
            }
        }

        output.AddRange(_tail);
        return output.ToArray();
    }

    /// <summary>Encodes a handshake message: type, 24-bit length, body.</summary>
    public static byte[] Message(byte type, ReadOnlySpan<byte> body) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static IEnumerable<byte[]> Fragments(byte[] message)
    {
        for (int offset = 0; offset < message.Length; offset += MaxFragment)
        {
            yield return message[offset..Math.Min(message.Length, offset + MaxFragment)];
        }
    }

    private void Add(bool protectedRecord, byte type, byte version, byte[] content, byte[]? raw)
    {
        Segment? last = _segments.Count > 0 ? _segments[^1] : null;
        if (raw == null && type == 22 && last is { Messages: not null, Raw: null } && last.Protected == protectedRecord)
        {
            last.Records.Add(content);
            last.Split();
            return;
        }

        var segment = new Segment { Protected = protectedRecord, Type = type, Version = version, Raw = raw };
        segment.Records.Add(content);
        if (raw == null && type == 22)
        {
            segment.Messages = new List<byte[]>();
            segment.Split();
        }

        _segments.Add(segment);
    }

    /// <summary>One record kept as it is, or a run of consecutive handshake records under the same protection.</summary>
    private sealed class Segment
    {
        public bool Protected { get; init; }

        public byte Type { get; init; }

        public byte Version { get; init; }

        public byte[]? Raw { get; init; }

        public List<byte[]> Records { get; } = new();

        public List<byte[]>? Messages { get; set; }

        public byte[] Remainder { get; private set; } = Array.Empty<byte>();

        public bool Changed { get; set; }

        public void Split()
        {
            byte[] run = Records.SelectMany(r => r).ToArray();
            Messages!.Clear();
            int offset = 0;
            while (offset + 4 <= run.Length)
            {
                int length = (run[offset + 1] << 16) | (run[offset + 2] << 8) | run[offset + 3];
                if (offset + 4 + length > run.Length)
                {
                    break;
                }

                Messages.Add(run[offset..(offset + 4 + length)]);
                offset += 4 + length;
            }

            Remainder = run[offset..];
        }
    }
}
