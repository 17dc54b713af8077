using TlsEngine.Crypto;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// A handshake message the adversary is about to send. Hooks may rewrite it, drop it, send it in
/// the clear under keys, repeat it, split it, or glue bytes behind it in the same record.
/// </summary>
internal sealed class Outgoing
{
    public Outgoing(byte type, byte[] encoded, int occurrence)
    {
        Type = type;
        Encoded = encoded;
        Occurrence = occurrence;
    }

    /// <summary>The handshake type the role meant to send.</summary>
    public byte Type { get; }

    /// <summary>1 for the first message of this type the adversary sends, 2 for the second...</summary>
    public int Occurrence { get; }

    /// <summary>Header and body as sent and (unless <see cref="SkipTranscript"/>) hashed.</summary>
    public byte[] Encoded { get; set; }

    /// <summary>The body; setting it re-frames the message with a correct length.</summary>
    public byte[] Body
    {
        get => Encoded[4..];
        set => Encoded = Frame(Encoded[0], value);
    }

    public bool Drop { get; set; }

    /// <summary>Send it in a plaintext record although write keys are on.</summary>
    public bool Plaintext { get; set; }

    /// <summary>Send it without adding it to the transcript.</summary>
    public bool SkipTranscript { get; set; }

    /// <summary>Bytes sent in the same record right after the message, never hashed.</summary>
    public byte[]? ExtraInRecord { get; set; }

    /// <summary>Split the message into records of at most this many bytes (0: one record).</summary>
    public int FragmentSize { get; set; }

    /// <summary>How many times it goes on the wire (hashed once).</summary>
    public int Copies { get; set; } = 1;

    /// <summary>Runs between the first and second fragment (with <see cref="FragmentSize"/>): an interleaved record.</summary>
    public Action<AdversaryPeer>? AfterFirstFragment { get; set; }

    /// <summary>Write it under this key instead of the current one.</summary>
    public AdversaryCipher? Key { get; set; }

    public static byte[] Frame(byte type, ReadOnlySpan<byte> body)
    {
        byte[] encoded = new byte[4 + body.Length];
        encoded[0] = type;
        encoded[1] = (byte)(body.Length >> 16);
        encoded[2] = (byte)(body.Length >> 8);
        encoded[3] = (byte)body.Length;
        body.CopyTo(encoded.AsSpan(4));
        return encoded;
    }
}

/// <summary>The running transcript (RFC 8446 §4.4.1, RFC 5246 §7.4.9), hashed on demand.</summary>
internal sealed class AdversaryTranscript
{
    private readonly ICryptoProvider _crypto;
    private readonly List<byte> _bytes = new();

    public AdversaryTranscript(ICryptoProvider crypto)
    {
        _crypto = crypto;
    }

    public byte[] Raw => _bytes.ToArray();

    public void Add(byte[] message) => _bytes.AddRange(message);

    public byte[] Hash(HashAlgorithmId hash, ReadOnlySpan<byte> extra = default)
    {
        using IHashContext context = _crypto.CreateHash(hash);
        context.Update(_bytes.ToArray());
        context.Update(extra);
        return context.GetCurrentHash();
    }

    /// <summary>After HelloRetryRequest, ClientHello1 becomes message_hash(Hash(ClientHello1)).</summary>
    public void ReplaceWithMessageHash(HashAlgorithmId hash)
    {
        byte[] digest = Hash(hash);
        _bytes.Clear();
        _bytes.AddRange(new byte[] { 254, 0, 0, (byte)digest.Length });
        _bytes.AddRange(digest);
    }
}
