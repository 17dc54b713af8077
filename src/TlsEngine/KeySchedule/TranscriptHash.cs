using System;
using TlsEngine.Buffers;
using TlsEngine.Crypto;

namespace TlsEngine.KeySchedule;

/// <summary>
/// The running hash of handshake messages (RFC 8446 §4.4.1). Until the cipher suite (and so the
/// hash) is known, messages are buffered; a HelloRetryRequest replaces ClientHello1 with its hash.
/// </summary>
internal sealed class TranscriptHash
{
    private readonly ICryptoProvider _crypto;
    private TlsWriter? _raw;
    private TlsWriter? _buffered = new(1024);
    private IHashContext? _hash;

    // The hash of the messages so far, until the next one is added: the key schedule and Finished ask
    // for the same point of the transcript more than once. Public values, handed out as copies.
    private byte[]? _current;

    /// <param name="crypto">The provider whose hash the transcript uses.</param>
    /// <param name="keepRaw">TLS 1.2 may be negotiated: keep the messages themselves until <see cref="DropRaw"/>.</param>
    public TranscriptHash(ICryptoProvider crypto, bool keepRaw)
    {
        _crypto = crypto;
        _raw = keepRaw ? new TlsWriter(2048) : null;
    }

    public bool HasAlgorithm => _hash != null;

    /// <summary>Every message added so far, unhashed: TLS 1.2's CertificateVerify signs these bytes themselves.</summary>
    public ReadOnlySpan<byte> Raw => _raw != null ? _raw.WrittenSpan : throw TlsFailureException.Internal("The raw transcript was not kept.");

    /// <summary>TLS 1.3 was negotiated, or the handshake is over: the raw messages are not needed any more.</summary>
    public void DropRaw()
    {
        _raw?.Wipe();
        _raw = null;
    }

    /// <summary>The handshake is over: nothing of the transcript is needed after it.</summary>
    public void Release()
    {
        DropRaw();
        _buffered?.Wipe();
        _buffered = null;
        ReplaceHash(null);
    }

    public void Add(ReadOnlySpan<byte> encodedMessage)
    {
        _raw?.WriteBytes(encodedMessage);
        _current = null;
        if (_hash != null)
        {
            _hash.Update(encodedMessage);
        }
        else
        {
            _buffered!.WriteBytes(encodedMessage);
        }
    }

    public void SetAlgorithm(HashAlgorithmId hash)
    {
        if (_hash != null)
        {
            return;
        }

        _hash = _crypto.CreateHash(hash);
        _hash.Update(_buffered!.WrittenSpan);
        _buffered = null;
    }

    /// <summary>The hash the transcript would have with <paramref name="extra"/> appended; the transcript is unchanged.</summary>
    public byte[] HashWith(HashAlgorithmId hash, ReadOnlySpan<byte> extra)
    {
        using IHashContext context = _hash != null ? _hash.Clone() : _crypto.CreateHash(hash);
        if (_hash == null)
        {
            context.Update(_buffered!.WrittenSpan);
        }

        context.Update(extra);
        return context.GetCurrentHash();
    }

    public byte[] Current()
    {
        if (_hash == null)
        {
            throw new InvalidOperationException("The transcript hash algorithm is not known yet.");
        }

        _current ??= _hash.GetCurrentHash();
        return (byte[])_current.Clone();
    }

    /// <summary>DTLS 1.2: the first ClientHello leaves the transcript when a HelloVerifyRequest answers it (RFC 6347 §4.2.1).</summary>
    public void Restart()
    {
        if (_hash != null)
        {
            throw TlsFailureException.Internal("The transcript cannot restart once its hash is chosen.");
        }

        _raw?.Wipe();
        _raw = _raw != null ? new TlsWriter(2048) : null;
        _buffered!.Wipe();
        _buffered = new TlsWriter(1024);
    }

    /// <summary>
    /// A stateless server's transcript after its HelloRetryRequest (RFC 8446 §4.4.1, RFC 9147 §5.1): it
    /// starts from message_hash(Hash(ClientHello1)), the hash it kept in the cookie, not from the message.
    /// </summary>
    public void StartWithMessageHash(HashAlgorithmId hash, ReadOnlySpan<byte> clientHelloHash)
    {
        if (_hash != null)
        {
            throw TlsFailureException.Internal("The transcript already has messages hashed.");
        }

        _buffered!.Wipe();
        _buffered = new TlsWriter(1024);
        ReplaceHash(_crypto.CreateHash(hash));
        AddMessageHash(clientHelloHash);
    }

    /// <summary>RFC 8446 §4.4.1: after HelloRetryRequest, ClientHello1 becomes message_hash(Hash(ClientHello1)).</summary>
    public void ReplaceWithMessageHash(HashAlgorithmId hash)
    {
        SetAlgorithm(hash);
        byte[] clientHelloHash = _hash!.GetCurrentHash();
        ReplaceHash(_crypto.CreateHash(hash));
        AddMessageHash(clientHelloHash);
    }

    private void ReplaceHash(IHashContext? next)
    {
        _hash?.Dispose();
        _hash = next;
        _current = null;
    }

    private void AddMessageHash(ReadOnlySpan<byte> clientHelloHash)
    {
        _current = null;
        Span<byte> header = stackalloc byte[4];
        header[0] = Messages.HandshakeType.MessageHash;
        header[1] = 0;
        header[2] = 0;
        header[3] = (byte)clientHelloHash.Length;
        _hash!.Update(header);
        _hash.Update(clientHelloHash);
    }
}
