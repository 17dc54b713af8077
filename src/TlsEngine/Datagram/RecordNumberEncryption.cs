using System;
using TlsEngine.Crypto;

namespace TlsEngine.Datagram;

/// <summary>
/// DTLS 1.3 record number encryption (RFC 9147 §4.2.3): the header's sequence bits are XORed with
/// the leading bytes of a mask computed from the first 16 bytes of the record's ciphertext. The
/// same operation encrypts (after sealing) and decrypts (before opening).
/// </summary>
internal static class RecordNumberEncryption
{
    /// <summary>
    /// Toggles the sequence bits of the record at <paramref name="record"/>[0] in place and returns
    /// them as they stand afterwards; <see cref="RecordDrop.CiphertextTooShort"/> (nothing changed)
    /// when the ciphertext is shorter than the sample, which receivers treat like a record that
    /// failed deprotection.
    /// </summary>
    public static RecordDrop Apply(IRecordNumberMask mask, Span<byte> record, in UnifiedHeader header, out ushort sequenceBits)
    {
        sequenceBits = 0;
        if (header.PayloadLength < RecordNumberMasks.SampleLength || record.Length < header.RecordLength)
        {
            return RecordDrop.CiphertextTooShort;
        }

        Span<byte> bytes = stackalloc byte[RecordNumberMasks.SampleLength];
        mask.Compute(record.Slice(header.HeaderLength, RecordNumberMasks.SampleLength), bytes);
        Span<byte> sequence = record.Slice(header.SequenceOffset, header.SequenceLength);
        for (int i = 0; i < sequence.Length; i++)
        {
            sequence[i] ^= bytes[i];
        }

        bytes.Clear();
        sequenceBits = header.ReadSequenceBits(record);
        return RecordDrop.None;
    }
}
