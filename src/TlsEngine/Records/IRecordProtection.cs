using System;

namespace TlsEngine.Records;

/// <summary>One direction of record protection, for either protocol version.</summary>
internal interface IRecordProtection : IDisposable
{
    /// <summary>True for TLS 1.3, where the content type travels inside the ciphertext.</summary>
    bool HidesContentType { get; }

    int MaxCiphertext { get; }

    /// <summary>Records sealed or opened so far under this key.</summary>
    ulong SequenceNumber { get; }

    /// <summary>How many records this key may seal before it must be replaced (RFC 8446 §5.5).</summary>
    ulong UsageLimit { get; }

    /// <summary>Encrypts one record straight into <paramref name="output"/>'s storage.</summary>
    void Seal(ContentType type, ReadOnlySpan<byte> content, TlsBuffer output);

    /// <summary>
    /// Decrypts into <paramref name="plaintext"/> (at least as long as the ciphertext) and returns
    /// the content type and content length, or null when the record does not authenticate.
    /// </summary>
    (ContentType Type, int Length)? Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext);
}
