using TlsEngine.Crypto;

namespace TlsEngine.Fuzz;

/// <summary>
/// Edits one DER element of one certificate of a <c>chain</c> input and re-encodes every enclosing
/// length, the certificate's length prefix included, so the certificate still parses and the edit
/// reaches the rules behind the parser. OCTET STRING and BIT STRING contents that are themselves
/// DER (extension values, keys) are descended into, so name constraints, basic constraints and
/// key usages are edited field by field. Elements are changed, emptied, removed, duplicated,
/// swapped, retagged, or transplanted from another certificate of the same input.
/// </summary>
public sealed class DerMutator
{
    private static readonly byte[] Tags = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x16, 0x30, 0x31, 0x80, 0x81, 0x82, 0x86, 0x87, 0x88, 0xA0, 0xA1, 0xA3, 0xA4 };
    private static readonly byte[] Interesting = { 0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF, 0x2E, 0x2A };
    private readonly Random _random;

    public DerMutator(Random random) => _random = random;

    /// <summary>The input with one element of one certificate edited; null when the input holds no certificate that parses as DER.</summary>
    public byte[]? Mutate(byte[] input)
    {
        if (input.Length < 3)
        {
            return null;
        }

        List<byte[]> entries = Split(input);
        List<Node?> trees = entries.Select(e => Parse(e, 0) is { Count: 1 } nodes ? nodes[0] : null).ToList();
        List<int> parsed = Enumerable.Range(0, trees.Count).Where(i => trees[i] != null).ToList();
        if (parsed.Count == 0)
        {
            return null;
        }

        int index = parsed[_random.Next(parsed.Count)];
        Node tree = trees[index]!;
        var all = new List<(Node Node, List<Node>? Siblings)> { (tree, null) };
        Collect(tree, all);
        (Node node, List<Node>? siblings) = all[_random.Next(all.Count)];
        Node donor = RandomNode(trees[parsed[_random.Next(parsed.Count)]]!);
        switch (_random.Next(8))
        {
            case 0 when node.Children == null && node.Content.Length > 0:
                node.Content[_random.Next(node.Content.Length)] = _random.Next(2) == 0 ? Interesting[_random.Next(Interesting.Length)] : (byte)_random.Next(256);
                break;
            case 1 when node.Children == null:
                node.Content = node.Content.AsSpan(0, _random.Next(node.Content.Length + 1)).ToArray();
                break;
            case 2 when siblings != null:
                siblings.Remove(node);
                break;
            case 3 when siblings != null:
                siblings.Insert(siblings.IndexOf(node), node.Clone());
                break;
            case 4 when siblings is { Count: > 1 }:
                int a = siblings.IndexOf(node);
                int b = _random.Next(siblings.Count);
                (siblings[a], siblings[b]) = (siblings[b], siblings[a]);
                break;
            case 5:
                node.Tag = Tags[_random.Next(Tags.Length)];
                break;
            case 6 when siblings != null:
                siblings.Insert(_random.Next(siblings.Count + 1), donor.Clone());
                break;
            default:
                node.Children = node.Children == null ? null : new List<Node>();
                node.Content = Array.Empty<byte>();
                break;
        }

        entries[index] = tree.Encode();
        return ChainTarget.Encode(input[0], entries);
    }

    private static List<byte[]> Split(byte[] input)
    {
        var parts = new List<byte[]>();
        int offset = 1;
        while (input.Length - offset >= 2 && parts.Count < ChainTarget.MaxCertificates)
        {
            int length = Math.Min((input[offset] << 8) | input[offset + 1], input.Length - offset - 2);
            parts.Add(input.AsSpan(offset + 2, length).ToArray());
            offset += 2 + length;
        }

        return parts;
    }

    /// <summary>The elements <paramref name="data"/> consists of exactly; null when it is not a sequence of low-tag DER elements.</summary>
    private static List<Node>? Parse(ReadOnlySpan<byte> data, int depth)
    {
        if (depth > DerEncoding.MaxDepth)
        {
            return null;
        }

        var nodes = new List<Node>();
        while (!data.IsEmpty)
        {
            if (!DerEncoding.TryReadHeader(data, out int tag, out int header, out int length) || (tag & 0x1F) == 0x1F)
            {
                return null;
            }

            ReadOnlySpan<byte> content = data.Slice(header, length);
            var node = new Node { Tag = (byte)tag, Content = content.ToArray() };
            if ((tag & 0x20) != 0)
            {
                node.Children = Parse(content, depth + 1);
                if (node.Children == null)
                {
                    return null;
                }
            }
            else if (tag == DerEncoding.OctetString && content.Length > 1 && Parse(content, depth + 1) is { } inner)
            {
                node.Children = inner;
            }
            else if (tag == DerEncoding.BitString && content.Length > 2 && content[0] == 0 && Parse(content.Slice(1), depth + 1) is { } bits)
            {
                node.Children = bits;
                node.BitStringPrefix = true;
            }

            nodes.Add(node);
            data = data.Slice(header + length);
        }

        return nodes;
    }

    private static void Collect(Node node, List<(Node, List<Node>?)> into)
    {
        foreach (Node child in node.Children ?? new List<Node>())
        {
            into.Add((child, node.Children));
            Collect(child, into);
        }
    }

    private Node RandomNode(Node tree)
    {
        var all = new List<(Node Node, List<Node>? Siblings)>();
        Collect(tree, all);
        return all.Count == 0 ? tree : all[_random.Next(all.Count)].Node;
    }

    private sealed class Node
    {
        public byte Tag { get; set; }

        public byte[] Content { get; set; } = Array.Empty<byte>();

        /// <summary>Elements inside a constructed element, or inside a string that holds DER; null for plain content.</summary>
        public List<Node>? Children { get; set; }

        public bool BitStringPrefix { get; set; }

        public Node Clone() => new()
        {
            Tag = Tag,
            Content = Content.ToArray(),
            Children = Children?.Select(c => c.Clone()).ToList(),
            BitStringPrefix = BitStringPrefix,
        };

        public byte[] Encode()
        {
            var body = new List<byte>();
            if (Children == null)
            {
                body.AddRange(Content);
            }
            else
            {
                if (BitStringPrefix)
                {
                    body.Add(0);
                }

                foreach (Node child in Children)
                {
                    body.AddRange(child.Encode());
                }
            }

            var bytes = new List<byte> { Tag };
            if (body.Count < 0x80)
            {
                bytes.Add((byte)body.Count);
            }
            else
            {
                int octets = body.Count > 0xFFFFFF ? 4 : body.Count > 0xFFFF ? 3 : body.Count > 0xFF ? 2 : 1;
                bytes.Add((byte)(0x80 | octets));
                for (int i = octets - 1; i >= 0; i--)
                {
                    bytes.Add((byte)(body.Count >> (8 * i)));
                }
            }

            bytes.AddRange(body);
            return bytes.ToArray();
        }
    }
}
