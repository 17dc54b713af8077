namespace TlsEngine.Fuzz;

/// <summary>What a target's input looks like, so the mutator knows where handshake messages are.</summary>
public enum InputFormat
{
    /// <summary>Opaque bytes: byte-level mutation only.</summary>
    Bytes,

    /// <summary>A delivery chunk size byte, then TLS records (the client and server targets).</summary>
    Flight,

    /// <summary>A codec selector byte, then one message body (the messages target).</summary>
    MessageBody,

    /// <summary>A flags byte, then length-prefixed DER certificates (the chain target).</summary>
    Chain,
}

/// <summary>
/// Structure-aware mutations, reproducible from a seed: bit flips, interesting bytes, truncation,
/// insertion, deletion, splicing, record and handshake length fields, record reordering, and, where
/// the input carries handshake messages, edits of one extension with every enclosing length fixed
/// (<see cref="ExtensionMutator"/>), under TLS 1.3 protection too when the flight's keys are known,
/// and, for certificate chains, edits of one DER element with every enclosing length fixed (<see cref="DerMutator"/>).
/// </summary>
public sealed class Mutator
{
    private static readonly byte[] Interesting = { 0, 1, 0x7F, 0x80, 0xFF, 0x16, 0x17, 0x03, 0x04 };
    private readonly Random _random;
    private readonly InputFormat _format;
    private readonly Func<byte[], RecordCipher?>? _keys;
    private readonly ExtensionMutator _extensions;
    private readonly DerMutator _der;

    /// <param name="seed">Makes the sequence of mutations reproducible.</param>
    /// <param name="format">Where the input's handshake messages are.</param>
    /// <param name="keys">For <see cref="InputFormat.Flight"/>: the protection of an input's encrypted handshake records, when known.</param>
    public Mutator(int seed, InputFormat format = InputFormat.Bytes, Func<byte[], RecordCipher?>? keys = null)
    {
        _random = new Random(seed);
        _format = format;
        _keys = keys;
        _extensions = new ExtensionMutator(_random);
        _der = new DerMutator(_random);
    }

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        if (_format == InputFormat.Chain && _random.Next(3) != 0 && _der.Mutate(input) is { } edited)
        {
            // DER edits keep every certificate parseable, where a byte-level insertion or deletion rarely does.
            if (_random.Next(4) == 0)
            {
                edited = _der.Mutate(edited) ?? edited;
            }

            return edited;
        }

        if (_format is InputFormat.Flight or InputFormat.MessageBody && _random.Next(3) == 0 && TryMutateExtension(input) is { } structured)
        {
            // Mostly alone: byte-level changes on top would usually break the lengths this kept consistent.
            if (_random.Next(4) != 0)
            {
                return structured;
            }

            input = structured;
        }

        var data = new List<byte>(input);
        int rounds = 1 + _random.Next(4);
        for (int i = 0; i < rounds; i++)
        {
            MutateOnce(data, corpus);
        }

        return data.ToArray();
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        if (data.Count == 0)
        {
            data.Add((byte)_random.Next(256));
            return;
        }

        int at = _random.Next(data.Count);
        switch (_random.Next(10))
        {
            case 0:
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1:
                data[at] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 2:
                data.RemoveRange(at, data.Count - at);
                break;
            case 3:
                data.InsertRange(at, RandomBytes(1 + _random.Next(16)));
                break;
            case 4:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(32)));
                break;
            case 5:
                byte[] other = corpus[_random.Next(corpus.Count)];
                int from = _random.Next(other.Length + 1);
                data.RemoveRange(at, data.Count - at);
                data.AddRange(other.Skip(from));
                break;
            case 6:
                MutateLength(data, RecordStarts(data), 3);
                break;
            case 7:
                MutateLength(data, RecordStarts(data).Select(p => p + 5).Where(p => p + 4 <= data.Count).ToList(), 1, threeBytes: true);
                break;
            case 8:
                Reorder(data);
                break;
            default:
                data[0] = (byte)_random.Next(256);
                break;
        }
    }

    /// <summary>One or two extension-level edits of one handshake message; null when the input has none to edit.</summary>
    private byte[]? TryMutateExtension(byte[] input)
    {
        if (input.Length < 2)
        {
            return null;
        }

        if (_format == InputFormat.MessageBody)
        {
            // The messages target's selectors 0, 1 and 2 are ClientHello, ServerHello and EncryptedExtensions bodies.
            byte type = (input[0] % 7) switch { 0 => 1, 1 => 2, 2 => 8, _ => 0 };
            byte[]? edited = type == 0 ? null : _extensions.Mutate(RecordedFlight.Message(type, input.AsSpan(1)));
            return edited == null ? null : [input[0], .. edited.AsSpan(4)];
        }

        RecordedFlight flight = RecordedFlight.Parse(input.AsSpan(1), _keys?.Invoke(input));
        IReadOnlyList<(byte[] Message, bool Protected)> messages = flight.Messages;
        List<int> candidates = Enumerable.Range(0, messages.Count).Where(i => ExtensionMutator.Supports(messages[i].Message[0], messages[i].Protected)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        int index = candidates[_random.Next(candidates.Count)];
        byte[]? mutated = _extensions.Mutate(messages[index].Message);
        if (mutated != null && _random.Next(4) == 0)
        {
            mutated = _extensions.Mutate(mutated) ?? mutated;
        }

        if (mutated == null)
        {
            return null;
        }

        flight.Replace(index, mutated);
        return [input[0], .. flight.Encode()];
    }

    private List<int> RecordStarts(List<byte> data)
    {
        var starts = new List<int>();
        int offset = data.Count > 0 && data[0] is < 20 or > 23 ? 1 : 0;
        while (offset + 5 <= data.Count && data[offset] is >= 20 and <= 23 && data[offset + 1] == 3)
        {
            starts.Add(offset);
            offset += 5 + ((data[offset + 3] << 8) | data[offset + 4]);
        }

        return starts;
    }

    private void MutateLength(List<byte> data, List<int> starts, int lengthOffset, bool threeBytes = false)
    {
        if (starts.Count == 0)
        {
            return;
        }

        int position = starts[_random.Next(starts.Count)] + lengthOffset;
        int width = threeBytes ? 3 : 2;
        if (position + width > data.Count)
        {
            return;
        }

        int value = 0;
        for (int i = 0; i < width; i++)
        {
            value = (value << 8) | data[position + i];
        }

        value = _random.Next(5) switch
        {
            0 => 0,
            1 => value + 1,
            2 => Math.Max(0, value - 1),
            3 => (1 << (8 * width)) - 1,
            _ => _random.Next(1 << (8 * width)),
        };
        for (int i = width - 1; i >= 0; i--)
        {
            data[position + i] = (byte)value;
            value >>= 8;
        }
    }

    private void Reorder(List<byte> data)
    {
        List<int> starts = RecordStarts(data);
        if (starts.Count < 2)
        {
            return;
        }

        int end = starts[^1] + 5 + ((data[starts[^1] + 3] << 8) | data[starts[^1] + 4]);
        var records = new List<byte[]>();
        for (int i = 0; i < starts.Count; i++)
        {
            int stop = i + 1 < starts.Count ? starts[i + 1] : Math.Min(end, data.Count);
            records.Add(data.GetRange(starts[i], stop - starts[i]).ToArray());
        }

        int a = _random.Next(records.Count);
        int b = _random.Next(records.Count);
        switch (_random.Next(3))
        {
            case 0:
                (records[a], records[b]) = (records[b], records[a]);
                break;
            case 1:
                records.Insert(a, records[b]);
                break;
            default:
                records.RemoveAt(a);
                break;
        }

        var tail = data.Skip(Math.Min(end, data.Count)).ToList();
        data.RemoveRange(starts[0], data.Count - starts[0]);
        foreach (byte[] record in records)
        {
            data.AddRange(record);
        }

        data.AddRange(tail);
    }

    private byte[] RandomBytes(int count)
    {
        byte[] bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
