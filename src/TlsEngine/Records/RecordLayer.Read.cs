using System;

namespace TlsEngine.Records;

/// <summary>The read side: deframing, decryption and the record policy.</summary>
internal sealed partial class RecordLayer
{
    // TLS 1.2 warning alerts are not fatal, but a peer must not keep the engine busy with them.
    private const int MaxWarningAlertsInRow = 4;

    private bool _handshakeSeen;
    private bool _openedInEpoch;
    private int _changeCipherSpecs;
    private int _emptyRecordsInRow;
    private int _warningAlertsInRow;
    private EarlyDataSkip _skip;
    private long _skipBudget;
    private long _earlyDataRemaining;

    private enum EarlyDataSkip
    {
        None,

        /// <summary>After a 1-RTT answer: records that fail under the handshake key, until one opens.</summary>
        UndecryptableRecords,

        /// <summary>After a HelloRetryRequest: records of outer type application_data, until the second ClientHello.</summary>
        OuterApplicationData,
    }

    /// <summary>
    /// The server declined the client's 0-RTT data: its records are skipped, up to
    /// <paramref name="budget"/> bytes, rather than being fatal (RFC 8446 §4.2.10).
    /// </summary>
    public void SkipRejectedEarlyData(long budget, bool afterHelloRetryRequest)
    {
        _skip = afterHelloRetryRequest ? EarlyDataSkip.OuterApplicationData : EarlyDataSkip.UndecryptableRecords;
        _skipBudget = budget;
    }

    /// <summary>The server accepted 0-RTT: at most <paramref name="maxEarlyDataSize"/> bytes of it may arrive.</summary>
    public void AcceptEarlyData(IRecordProtection earlyKeys, uint maxEarlyDataSize)
    {
        SetReadProtection(earlyKeys, ReadEpoch.EarlyData);
        _earlyDataRemaining = maxEarlyDataSize;
    }

    /// <summary>
    /// Takes records from <paramref name="input"/>, starting at <paramref name="consumed"/> and
    /// advancing it past each record taken, until one the layers above must see: handshake bytes
    /// (already added to the reassembler), application data, a TLS 1.2 change_cipher_spec, or the
    /// peer's close_notify. False when the next record is not complete yet. Protected records are
    /// decrypted in place: the record's content is a slice of <paramref name="input"/>.
    /// </summary>
    public bool TryReadRecord(Span<byte> input, scoped ref int consumed, out Record record)
    {
        // Every pass consumes a whole record, so this ends when the input does.
        while (true)
        {
            Span<byte> data = input.Slice(consumed);
            if (!TryDeframe(data, out ContentType outerType, out int length))
            {
                record = default;
                return false;
            }

            consumed += RecordLimits.HeaderLength + length;
            if (TryOpen(data.Slice(0, RecordLimits.HeaderLength + length), outerType, out record))
            {
                return true;
            }
        }
    }

    private bool TryDeframe(ReadOnlySpan<byte> data, out ContentType type, out int length)
    {
        type = default;
        length = 0;
        if (data.Length < RecordLimits.HeaderLength)
        {
            return false;
        }

        type = (ContentType)data[0];
        length = (data[3] << 8) | data[4];
        if (type is not (ContentType.ChangeCipherSpec or ContentType.Alert or ContentType.Handshake or ContentType.ApplicationData))
        {
            throw new TlsFailureException(TlsFailureReason.UnknownContentType, $"Record of unknown content type {data[0]}.");
        }

        if (data[1] != 0x03)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidRecordVersion, "Record with a legacy version that is not TLS.");
        }

        // Early data skipped after a HelloRetryRequest is ciphertext even though no read key is set.
        int limit = IsProtected(type) ? _read!.MaxCiphertext
            : _skip == EarlyDataSkip.OuterApplicationData && type == ContentType.ApplicationData ? RecordLimits.MaxCiphertext
            : RecordLimits.MaxPlaintext;
        if (length > limit)
        {
            throw TlsFailureException.RecordOverflow($"Record of {length} bytes exceeds the limit.");
        }

        return data.Length >= RecordLimits.HeaderLength + length;
    }

    // TLS 1.3 hides the real type inside application_data records; TLS 1.2 protects every type but CCS.
    private bool IsProtected(ContentType outerType) =>
        _read != null && (_read.HidesContentType ? outerType == ContentType.ApplicationData : outerType != ContentType.ChangeCipherSpec);

    /// <summary>Opens one whole record (header included), which the caller has already counted as consumed.</summary>
    /// <returns>True when the record must go up; false when it was consumed here (skipped, ignored or handled).</returns>
    private bool TryOpen(Span<byte> wire, ContentType outerType, out Record record)
    {
        record = default;
        ReadOnlySpan<byte> header = wire.Slice(0, RecordLimits.HeaderLength);
        Span<byte> payload = wire.Slice(RecordLimits.HeaderLength);
        ContentType type = outerType;
        Span<byte> content;
        bool isProtected = IsProtected(outerType);
        if (isProtected)
        {
            // A payload shorter than TLS 1.2's explicit nonce cannot authenticate; Open says so.
            Span<byte> inPlace = payload.Length >= _read!.PlaintextOffset ? payload.Slice(_read.PlaintextOffset) : Span<byte>.Empty;
            (ContentType Type, int Length)? opened = _read.Open(header, payload, inPlace);
            if (opened == null)
            {
                SkipUndecryptable(wire.Length);
                return false;
            }

            _openedInEpoch = true;

            // RFC 8446 §4.2.10: the skip allowance ends with the first record the handshake key opens.
            if (_skip == EarlyDataSkip.UndecryptableRecords)
            {
                _skip = EarlyDataSkip.None;
            }

            type = opened.Value.Type;
            content = payload.Slice(_read.PlaintextOffset, opened.Value.Length);

            // RFC 8446 §5: a type TLS does not define is the same failure inside protection as outside it.
            if (type is not (ContentType.ChangeCipherSpec or ContentType.Alert or ContentType.Handshake or ContentType.ApplicationData))
            {
                throw new TlsFailureException(TlsFailureReason.UnknownContentType, $"Protected record of unknown content type {(byte)type}.");
            }
        }
        else
        {
            if (_skip == EarlyDataSkip.OuterApplicationData && outerType == ContentType.ApplicationData)
            {
                SkipOuterApplicationData(wire.Length);
                return false;
            }

            content = payload;
        }

        if (RecordPolicy.Check(Epoch, type, isProtected) is TlsFailureReason refused && !IsAlertFromPeerWithoutOurKeys(type, isProtected))
        {
            throw new TlsFailureException(refused, $"A {(isProtected ? "protected" : "plaintext")} {type} record is not allowed in the {Epoch} epoch.");
        }

        // RFC 8446 §5.1: handshake messages must not be interleaved with other record types.
        if (type != ContentType.Handshake && _reassembler.HasPartialMessage)
        {
            throw new TlsFailureException(TlsFailureReason.InterleavedContentType, $"A {type} record interrupted a fragmented handshake message.");
        }

        CountEmpty(content.Length);
        if (type != ContentType.Alert)
        {
            _warningAlertsInRow = 0;
        }

        switch (type)
        {
            case ContentType.Handshake:
                AddHandshake(content);
                record = new Record(type, default);
                return true;
            case ContentType.Alert:
                return HandleAlert(content, out record);
            case ContentType.ChangeCipherSpec:
                return HandleChangeCipherSpec(content, out record);
            default:
                if (Epoch == ReadEpoch.EarlyData && (_earlyDataRemaining -= content.Length) < 0)
                {
                    throw new TlsFailureException(TlsFailureReason.TooMuchEarlyData, "The client sent more early data than max_early_data_size allows.");
                }

                record = new Record(type, content);
                return true;
        }
    }

    /// <summary>
    /// A TLS 1.3 client that could not process our ServerHello can only alert in the clear. Until a
    /// record has opened under the client's handshake keys, a server reads such an alert as it is: a
    /// forged one could only abort a handshake, which an on-path attacker can do anyway. A client
    /// never needs this (a server that sent ServerHello has keys), and after that point, and always
    /// after the handshake, plaintext alerts are refused.
    /// </summary>
    private bool IsAlertFromPeerWithoutOurKeys(ContentType type, bool isProtected) =>
        _isServer && type == ContentType.Alert && !isProtected && Epoch == ReadEpoch.Handshake && !_openedInEpoch;

    private void SkipUndecryptable(int recordLength)
    {
        if (_skip != EarlyDataSkip.UndecryptableRecords)
        {
            throw TlsFailureException.BadRecordMac();
        }

        if ((_skipBudget -= recordLength) < 0)
        {
            throw new TlsFailureException(TlsFailureReason.BadRecordMac, "Undecryptable records exceed the early data the server would skip.");
        }

    }

    private void SkipOuterApplicationData(int recordLength)
    {
        if ((_skipBudget -= recordLength) < 0)
        {
            throw new TlsFailureException(TlsFailureReason.TooMuchEarlyData, "Early data after a HelloRetryRequest exceeds what the server would skip.");
        }

    }

    private void AddHandshake(ReadOnlySpan<byte> content)
    {
        if (content.Length == 0)
        {
            throw new TlsFailureException(TlsFailureReason.EmptyRecord, "A handshake record was empty.");
        }

        // The second ClientHello ends the window in which early data is skipped after a HelloRetryRequest.
        if (_skip == EarlyDataSkip.OuterApplicationData)
        {
            _skip = EarlyDataSkip.None;
        }

        _handshakeSeen = true;
        _reassembler.Add(content);
    }

    private void CountEmpty(int length)
    {
        _emptyRecordsInRow = length == 0 ? _emptyRecordsInRow + 1 : 0;
        if (_emptyRecordsInRow > _maxEmptyRecordsInRow)
        {
            throw new TlsFailureException(TlsFailureReason.TooManyEmptyRecords, "Too many empty records in a row.");
        }
    }

    private bool HandleChangeCipherSpec(Span<byte> content, out Record record)
    {
        record = default;
        if (content.Length != 1 || content[0] != 1)
        {
            throw new TlsFailureException(TlsFailureReason.UnexpectedChangeCipherSpec, "A change_cipher_spec record is not the single byte 1.");
        }

        if (IsTls13 == false)
        {
            // TLS 1.2: a real protocol step, legal only where the state machine expects it.
            record = new Record(ContentType.ChangeCipherSpec, content);
            return true;
        }

        // RFC 8446 §5: after the first ClientHello and before the peer's Finished, one is ignored.
        if (!_handshakeSeen || ++_changeCipherSpecs > 1)
        {
            throw new TlsFailureException(TlsFailureReason.UnexpectedChangeCipherSpec, "Unexpected change_cipher_spec record.");
        }

        return false;
    }

    private bool HandleAlert(Span<byte> alert, out Record record)
    {
        record = default;
        if (alert.Length == 0)
        {
            throw new TlsFailureException(TlsFailureReason.EmptyRecord, "An alert record was empty.");
        }

        if (alert.Length != 2)
        {
            throw new TlsFailureException(TlsFailureReason.MalformedAlert, "An alert record is not two bytes long.");
        }

        byte level = alert[0];
        var description = (TlsAlertDescription)alert[1];
        if (description == TlsAlertDescription.CloseNotify)
        {
            record = new Record(ContentType.Alert, alert);
            return true;
        }

        // RFC 8446 §6: TLS 1.3 ignores the level; every alert but close_notify and user_canceled is fatal.
        bool tls12Rules = IsTls13 == false || (IsTls13 == null && _offersTls12 && !RecordPolicy.IsTls13Keyed(Epoch));
        if (tls12Rules && level is not (1 or 2))
        {
            throw new TlsFailureException(TlsFailureReason.MalformedAlert, $"An alert has the unknown level {level}.");
        }

        bool warning = tls12Rules ? level == 1 : description == TlsAlertDescription.UserCanceled;
        if (!warning)
        {
            throw new TlsFailureException(TlsFailureReason.PeerAlert, $"The peer sent a fatal {description} alert.", description);
        }

        // RFC 5246 §7.2: a warning does not end the connection (e.g. unrecognized_name, RFC 6066 §3).
        if (++_warningAlertsInRow > MaxWarningAlertsInRow)
        {
            throw new TlsFailureException(TlsFailureReason.TooManyWarningAlerts, "Too many warning alerts in a row.");
        }

        return false;
    }
}
