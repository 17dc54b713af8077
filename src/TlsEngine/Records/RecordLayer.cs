using System;

namespace TlsEngine.Records;

/// <summary>One record taken off the wire, already decrypted when protection is active.</summary>
internal readonly ref struct Record
{
    public Record(ContentType type, ReadOnlySpan<byte> content, bool wasProtected, bool inDestination)
    {
        Type = type;
        Content = content;
        WasProtected = wasProtected;
        InDestination = inDestination;
    }

    public ContentType Type { get; }

    /// <summary>Valid until the next record is read: it lives in the layer's scratch buffer or the caller's destination.</summary>
    public ReadOnlySpan<byte> Content { get; }

    public bool WasProtected { get; }

    /// <summary>True when the plaintext was decrypted straight into the destination the caller offered.</summary>
    public bool InDestination { get; }
}

/// <summary>
/// Deframes records from the inbound queue (any split of the input) and frames outgoing
/// content into records no larger than 2^14 bytes, protected once keys are installed.
/// </summary>
internal sealed class RecordLayer : IDisposable
{
    // Plaintext lands here, so reading a record allocates nothing; idle connections give it back.
    private byte[] _scratch = Array.Empty<byte>();
    private IRecordProtection? _read;
    private IRecordProtection? _write;

    /// <summary>The first ClientHello goes out with legacy_record_version 0x0301 for old middleboxes.</summary>
    public bool UseInitialRecordVersion { get; set; }

    public bool IsReadProtected => _read != null;

    /// <summary>
    /// Bytes of undecryptable records a server may still discard because it declined the
    /// client's 0-RTT data (RFC 8446 §4.2.10); zero outside that window.
    /// </summary>
    public int EarlyDataSkipBudget { get; set; }

    public bool IsWriteProtected => _write != null;

    public void SetReadProtection(IRecordProtection protection)
    {
        _read?.Dispose();
        _read = protection;
    }

    /// <summary>After a HelloRetryRequest the second ClientHello goes out in the clear again, whatever 0-RTT keys were set.</summary>
    public void ClearWriteProtection()
    {
        _write?.Dispose();
        _write = null;
    }

    public void SetWriteProtection(IRecordProtection protection)
    {
        _write?.Dispose();
        _write = protection;
    }

    /// <summary>
    /// Takes one whole record off <paramref name="inbound"/>; false when more bytes are needed.
    /// A protected record is decrypted straight into <paramref name="destination"/> when it fits,
    /// saving the copy through the layer's scratch buffer (the application's read buffer).
    /// </summary>
    public bool TryReadRecord(TlsBuffer inbound, out Record record, Span<byte> destination = default)
    {
        bool skipped;
        do
        {
            if (TryReadOne(inbound, out record, out skipped, destination))
            {
                return true;
            }
        }
        while (skipped);

        return false;
    }

    private bool TryReadOne(TlsBuffer inbound, out Record record, out bool skipped, Span<byte> destination)
    {
        record = default;
        skipped = false;
        ReadOnlySpan<byte> data = inbound.Peek();
        if (data.Length < RecordLimits.HeaderLength)
        {
            return false;
        }

        var type = (ContentType)data[0];
        int length = (data[3] << 8) | data[4];
        if (type is not (ContentType.ChangeCipherSpec or ContentType.Alert or ContentType.Handshake or ContentType.ApplicationData))
        {
            throw TlsFailureException.Unexpected($"Record of unknown content type {data[0]}.");
        }

        if (data[1] != 0x03)
        {
            throw TlsFailureException.Decode("Record with a legacy version that is not TLS.");
        }

        // TLS 1.3 hides the real type inside application_data records; TLS 1.2 protects every type but CCS.
        bool protect = _read != null && (_read.HidesContentType ? type == ContentType.ApplicationData : type != ContentType.ChangeCipherSpec);
        if (length > (protect ? _read!.MaxCiphertext : RecordLimits.MaxPlaintext))
        {
            throw TlsFailureException.RecordOverflow($"Record of {length} bytes exceeds the limit.");
        }

        if (data.Length < RecordLimits.HeaderLength + length)
        {
            return false;
        }

        if (_scratch.Length == 0)
        {
            _scratch = new byte[RecordLimits.MaxPlaintext + 2048];
        }

        ReadOnlySpan<byte> header = data.Slice(0, RecordLimits.HeaderLength);
        ReadOnlySpan<byte> payload = data.Slice(RecordLimits.HeaderLength, length);
        if (protect)
        {
            bool direct = destination.Length >= length;
            Span<byte> target = direct ? destination : _scratch;
            (ContentType Type, int Length)? opened = _read!.Open(header, payload, target);
            if (opened == null)
            {
                if (EarlyDataSkipBudget < length)
                {
                    throw TlsFailureException.BadRecordMac();
                }

                EarlyDataSkipBudget -= length;
                inbound.Skip(RecordLimits.HeaderLength + length);
                skipped = true;
                return false;
            }

            record = new Record(opened.Value.Type, target.Slice(0, opened.Value.Length), true, direct);
        }
        else
        {
            if (type == ContentType.ApplicationData)
            {
                throw TlsFailureException.Unexpected("Application data arrived before keys were established.");
            }

            payload.CopyTo(_scratch);
            record = new Record(type, new ReadOnlySpan<byte>(_scratch, 0, payload.Length), false, false);
        }

        inbound.Skip(RecordLimits.HeaderLength + length);
        return true;
    }

    /// <summary>Writes <paramref name="content"/> as one or more records, fragmenting at 2^14 bytes.</summary>
    public void Write(ContentType type, ReadOnlySpan<byte> content, TlsBuffer outbound)
    {
        Span<byte> header = stackalloc byte[RecordLimits.HeaderLength];
        do
        {
            int take = Math.Min(content.Length, RecordLimits.MaxPlaintext);
            ReadOnlySpan<byte> fragment = content.Slice(0, take);
            if (_write != null && type != ContentType.ChangeCipherSpec)
            {
                _write.Seal(type, fragment, outbound);
            }
            else
            {
                header[0] = (byte)type;
                header[1] = 0x03;
                header[2] = (byte)(UseInitialRecordVersion ? 0x01 : 0x03);
                header[3] = (byte)(take >> 8);
                header[4] = (byte)take;
                outbound.WriteUnbounded(header);
                outbound.WriteUnbounded(fragment);
            }

            content = content.Slice(take);
        }
        while (content.Length > 0);
    }

    /// <summary>Drops the decryption scratch buffer; it is reallocated on the next record.</summary>
    public void ReleaseScratch()
    {
        Array.Clear(_scratch, 0, _scratch.Length);
        _scratch = Array.Empty<byte>();
    }

    public void Dispose()
    {
        ReleaseScratch();
        _read?.Dispose();
        _write?.Dispose();
        _read = null;
        _write = null;
    }
}
