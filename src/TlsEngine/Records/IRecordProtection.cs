using System;

namespace TlsEngine.Records;

/// <summary>One direction of record protection, for either protocol version.</summary>
internal interface IRecordProtection : IDisposable
{
    /// <summary>True for TLS 1.3, where the content type travels inside the ciphertext.</summary>
    bool HidesContentType { get; }

    /// <summary>The longest record payload accepted before decryption, derived from <see cref="ReceiveLimit"/>.</summary>
    int MaxCiphertext { get; }

    /// <summary>
    /// The largest plaintext accepted, counted as RFC 8449 §4 counts a record size limit: TLS 1.3's
    /// whole TLSInnerPlaintext (content, type byte and padding, at most 2^14 + 1), TLS 1.2's
    /// plaintext (at most 2^14). A larger record is record_overflow.
    /// </summary>
    int ReceiveLimit { get; set; }

    /// <summary>Records sealed or opened so far under this key.</summary>
    ulong SequenceNumber { get; }

    /// <summary>How many records this key may seal before it must be replaced (RFC 8446 §5.5).</summary>
    ulong UsageLimit { get; }

    /// <summary>
    /// Where the plaintext starts within a record's payload when it is decrypted in place: after
    /// TLS 1.2's explicit nonce, at the start for TLS 1.3.
    /// </summary>
    int PlaintextOffset { get; }

    /// <summary>The whole record, header included, that sealing <paramref name="contentLength"/> bytes produces.</summary>
    int SealedLength(int contentLength);

    /// <summary>
    /// Encrypts one record into the first <see cref="SealedLength"/> bytes of <paramref name="output"/>
    /// and returns that length. <paramref name="content"/> may overlap <paramref name="output"/>.
    /// </summary>
    int Seal(ContentType type, ReadOnlySpan<byte> content, Span<byte> output);

    /// <summary>
    /// Decrypts into <paramref name="plaintext"/> (at least as long as the ciphertext, or the
    /// ciphertext's own storage from <see cref="PlaintextOffset"/> on: decryption in place) and
    /// returns the content type and content length, or null when the record does not authenticate.
    /// </summary>
    (ContentType Type, int Length)? Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext);
}

internal static class RecordProtectionExtensions
{
    /// <summary>Encrypts one record straight into <paramref name="output"/>'s storage.</summary>
    public static void Seal(this IRecordProtection protection, ContentType type, ReadOnlySpan<byte> content, TlsBuffer output)
    {
        Span<byte> record = output.Reserve(protection.SealedLength(content.Length));
        output.Commit(protection.Seal(type, content, record));
    }
}
