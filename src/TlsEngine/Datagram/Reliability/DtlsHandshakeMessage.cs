using System;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>A reassembled DTLS handshake message, handed over in message_seq order.</summary>
internal readonly struct DtlsHandshakeMessage
{
    public DtlsHandshakeMessage(ushort messageSeq, ulong epoch, byte[] encoded)
    {
        MessageSeq = messageSeq;
        Epoch = epoch;
        Encoded = encoded;
    }

    public byte Type => Encoded[0];

    public ushort MessageSeq { get; }

    /// <summary>The epoch of the records that carried it.</summary>
    public ulong Epoch { get; }

    /// <summary>
    /// TLS form: the 4-byte header (msg_type, length) and the body, which is what DTLS 1.3's
    /// transcript hashes (RFC 9147 §5.2) and what the handshake states parse.
    /// </summary>
    public byte[] Encoded { get; }

    public ReadOnlySpan<byte> Body => Encoded.AsSpan(DtlsHandshakeHeader.TlsLength);

    /// <summary>The message as the TLS handshake layer reads it.</summary>
    public HandshakeMessage ToTlsMessage() => new(Type, Encoded);

    /// <summary>
    /// Writes the 12-byte header as if the message had come in one fragment (fragment_offset 0,
    /// fragment_length = length). DTLS 1.2's transcript hashes this header, then <see cref="Body"/>
    /// (RFC 6347 §4.2.6), so the hash does not depend on how the peer fragmented.
    /// </summary>
    public int WriteUnfragmentedHeader(Span<byte> destination)
    {
        DtlsHandshakeHeader.WriteUnfragmented(destination, Type, Encoded.Length - DtlsHandshakeHeader.TlsLength, MessageSeq);
        return DtlsHandshakeHeader.Length;
    }
}
