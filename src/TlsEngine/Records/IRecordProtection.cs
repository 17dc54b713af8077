using System;

namespace TlsEngine.Records;

/// <summary>One direction of record protection, for either protocol version.</summary>
internal interface IRecordProtection : IDisposable
{
    /// <summary>True for TLS 1.3, where the content type travels inside the ciphertext.</summary>
    bool HidesContentType { get; }

    int MaxCiphertext { get; }

    void Seal(ContentType type, ReadOnlySpan<byte> content, TlsBuffer output);

    /// <summary>The content type and plaintext, or null when the record does not authenticate.</summary>
    (ContentType Type, byte[] Content)? Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext);
}
