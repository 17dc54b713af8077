using System;

namespace TlsEngine.Records;

/// <summary>One direction of record protection, for either protocol version.</summary>
internal interface IRecordProtection : IDisposable
{
    /// <summary>True for TLS 1.3, where the content type travels inside the ciphertext.</summary>
    bool HidesContentType { get; }

    int MaxCiphertext { get; }

    /// <summary>Encrypts one record straight into <paramref name="output"/>'s storage.</summary>
    void Seal(ContentType type, ReadOnlySpan<byte> content, TlsBuffer output);

    /// <summary>
    /// Decrypts into <paramref name="plaintext"/> (at least as long as the ciphertext) and returns
    /// the content type and content length, or null when the record does not authenticate.
    /// </summary>
    (ContentType Type, int Length)? Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext);
}
