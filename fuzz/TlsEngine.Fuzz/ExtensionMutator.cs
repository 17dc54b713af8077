namespace TlsEngine.Fuzz;

/// <summary>
/// Mutations at the level of one extension of one handshake message, re-encoded with the extensions
/// block length and the message length fixed (the flight fixes the record lengths). Byte-level
/// mutation almost never produces these, because every enclosing length must change together.
/// </summary>
public sealed class ExtensionMutator
{
    /// <summary>Extension types worth inserting: the ones TLS defines (most of them unsolicited somewhere), GREASE and a private one.</summary>
    private static readonly ushort[] InsertableTypes = { 0, 5, 10, 11, 13, 16, 18, 21, 22, 23, 35, 41, 42, 43, 44, 45, 47, 49, 50, 51, 0x0A0A, 0xFF01, 0xFE0D, 0x7777 };

    private readonly Random _random;

    public ExtensionMutator(Random random) => _random = random;

    /// <summary>The operations, named for logs and tests.</summary>
    public enum Operation
    {
        EmptyBody,
        TruncateByOne,
        Oversize,
        Duplicate,
        Reorder,
        InsertUnknown,
        FlipBytes,
        EmptyInnerVector,
        Remove,
    }

    /// <summary>
    /// Whether this message's extensions can be located: ClientHello and ServerHello in the clear, and
    /// under TLS 1.3 protection EncryptedExtensions, CertificateRequest and Certificate entries.
    /// </summary>
    public static bool Supports(byte type, bool isProtected) =>
        type is 1 or 2 || (isProtected && type is 8 or 11 or 13);

    /// <summary>Applies <paramref name="operation"/> (random when null) to one extension of the encoded message; null when it does not parse.</summary>
    public byte[]? Mutate(byte[] message, Operation? operation = null)
    {
        if (message.Length < 4 || !TrySplit(message[0], message.AsSpan(4), out Layout layout))
        {
            return null;
        }

        List<(ushort Type, byte[] Data)> extensions = layout.Extensions;
        Apply(operation ?? (Operation)_random.Next(Enum.GetValues<Operation>().Length), extensions);
        return RecordedFlight.Message(message[0], layout.Encode());
    }

    /// <summary>
    /// Replaces the body of the first extension of <paramref name="type"/> (removes it when
    /// <paramref name="edit"/> returns null), fixing the lengths; null when the message has no such extension.
    /// </summary>
    public static byte[]? Edit(byte[] message, ushort type, Func<byte[], byte[]?> edit)
    {
        if (message.Length < 4 || !TrySplit(message[0], message.AsSpan(4), out Layout layout))
        {
            return null;
        }

        int index = layout.Extensions.FindIndex(e => e.Type == type);
        if (index < 0)
        {
            return null;
        }

        byte[]? data = edit(layout.Extensions[index].Data);
        if (data == null)
        {
            layout.Extensions.RemoveAt(index);
        }
        else
        {
            layout.Extensions[index] = (type, data);
        }

        return RecordedFlight.Message(message[0], layout.Encode());
    }

    /// <summary>Appends an extension (for a Certificate, to the first entry), fixing the lengths; null when the message does not parse.</summary>
    public static byte[]? Append(byte[] message, ushort type, byte[] data)
    {
        if (message.Length < 4 || !TrySplit(message[0], message.AsSpan(4), out Layout layout))
        {
            return null;
        }

        layout.Extensions.Add((type, data));
        return RecordedFlight.Message(message[0], layout.Encode());
    }

    private void Apply(Operation operation, List<(ushort Type, byte[] Data)> extensions)
    {
        if (extensions.Count == 0 || operation == Operation.InsertUnknown)
        {
            byte[] body = new byte[_random.Next(0, 9)];
            _random.NextBytes(body);
            extensions.Insert(_random.Next(extensions.Count + 1), (InsertableTypes[_random.Next(InsertableTypes.Length)], body));
            return;
        }

        int at = _random.Next(extensions.Count);
        (ushort type, byte[] data) = extensions[at];
        switch (operation)
        {
            case Operation.EmptyBody:
                extensions[at] = (type, Array.Empty<byte>());
                break;
            case Operation.TruncateByOne:
                extensions[at] = (type, data.Length > 0 ? data[..^1] : data);
                break;
            case Operation.Oversize:
                byte[] extra = new byte[1 + _random.Next(16)];
                _random.NextBytes(extra);
                extensions[at] = (type, [.. data, .. extra]);
                break;
            case Operation.Duplicate:
                extensions.Insert(_random.Next(extensions.Count + 1), (type, (byte[])data.Clone()));
                break;
            case Operation.Reorder:
                extensions.RemoveAt(at);
                extensions.Insert(_random.Next(extensions.Count + 1), (type, data));
                break;
            case Operation.FlipBytes:
                byte[] flipped = (byte[])data.Clone();
                for (int i = 0, flips = 1 + _random.Next(3); i < flips && flipped.Length > 0; i++)
                {
                    flipped[_random.Next(flipped.Length)] ^= (byte)(1 << _random.Next(8));
                }

                extensions[at] = (type, flipped);
                break;
            case Operation.EmptyInnerVector:
                // The extension still has a body, but the list inside it is empty: only the inner length is left.
                bool vector16 = data.Length >= 2 && ((data[0] << 8) | data[1]) == data.Length - 2;
                extensions[at] = (type, vector16 ? new byte[2] : new byte[1]);
                break;
            default:
                extensions.RemoveAt(at);
                break;
        }
    }

    private static bool TrySplit(byte type, ReadOnlySpan<byte> body, out Layout layout)
    {
        layout = new Layout();
        int offset = type switch
        {
            1 => SkipVector(body, SkipVector(body, SkipVector(body, 34, 1), 2), 1),
            2 => Skip(body, SkipVector(body, 34, 1), 3),
            8 => 0,
            11 or 13 => SkipVector(body, 0, 1),
            _ => -1,
        };
        if (offset < 0)
        {
            return false;
        }

        if (type == 11)
        {
            return TrySplitCertificate(body, offset, layout);
        }

        layout.Prefix = body[..offset].ToArray();
        if (offset == body.Length && type is 1 or 2)
        {
            // A hello without an extensions block: mutations add one.
            return true;
        }

        return TryReadBlock(body, offset, layout);
    }

    /// <summary>TLS 1.3 Certificate: the extensions of the first entry (the leaf's, where extensions for the chain belong).</summary>
    private static bool TrySplitCertificate(ReadOnlySpan<byte> body, int offset, Layout layout)
    {
        int listStart = offset + 3;
        int firstEntryEnd = SkipVector(body, listStart, 3);
        if (listStart > body.Length || firstEntryEnd < 0 || firstEntryEnd + 2 > body.Length)
        {
            return false;
        }

        layout.Prefix = body[..firstEntryEnd].ToArray();
        layout.CertificateListAt = offset;
        return TryReadBlock(body, firstEntryEnd, layout);
    }

    private static bool TryReadBlock(ReadOnlySpan<byte> body, int offset, Layout layout)
    {
        int end = SkipVector(body, offset, 2);
        if (end < 0)
        {
            return false;
        }

        for (int at = offset + 2; at < end;)
        {
            int next = SkipVector(body, at + 2, 2);
            if (next < 0 || next > end)
            {
                return false;
            }

            layout.Extensions.Add(((ushort)((body[at] << 8) | body[at + 1]), body[(at + 4)..next].ToArray()));
            at = next;
        }

        layout.Suffix = body[end..].ToArray();
        return true;
    }

    private static int Skip(ReadOnlySpan<byte> body, int offset, int count) => offset < 0 || offset + count > body.Length ? -1 : offset + count;

    /// <summary>The offset after a vector with a <paramref name="prefix"/>-byte length at <paramref name="offset"/>, or -1.</summary>
    private static int SkipVector(ReadOnlySpan<byte> body, int offset, int prefix)
    {
        if (offset < 0 || offset + prefix > body.Length)
        {
            return -1;
        }

        int length = 0;
        for (int i = 0; i < prefix; i++)
        {
            length = (length << 8) | body[offset + i];
        }

        return Skip(body, offset + prefix, length);
    }

    private sealed class Layout
    {
        public byte[] Prefix { get; set; } = Array.Empty<byte>();

        public List<(ushort Type, byte[] Data)> Extensions { get; } = new();

        public byte[] Suffix { get; set; } = Array.Empty<byte>();

        /// <summary>Where a Certificate message's 24-bit certificate_list length sits, to be fixed too.</summary>
        public int CertificateListAt { get; set; } = -1;

        public byte[] Encode()
        {
            var block = new List<byte>();
            foreach ((ushort type, byte[] data) in Extensions)
            {
                block.AddRange(new[] { (byte)(type >> 8), (byte)type, (byte)(data.Length >> 8), (byte)data.Length });
                block.AddRange(data);
            }

            byte[] body = [.. Prefix, (byte)(block.Count >> 8), (byte)block.Count, .. block, .. Suffix];
            if (CertificateListAt >= 0)
            {
                int listLength = body.Length - CertificateListAt - 3;
                body[CertificateListAt] = (byte)(listLength >> 16);
                body[CertificateListAt + 1] = (byte)(listLength >> 8);
                body[CertificateListAt + 2] = (byte)listLength;
            }

            return body;
        }
    }
}
