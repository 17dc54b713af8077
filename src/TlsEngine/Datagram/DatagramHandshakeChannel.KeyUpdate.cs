using System;
using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.Records;

namespace TlsEngine.Datagram;

/// <summary>
/// DTLS 1.3 key updates and key usage limits (RFC 9147 §8, §4.5.3): a KeyUpdate's new write keys
/// wait until the peer acknowledged the KeyUpdate and every message sent before it; the write key
/// is replaced before its confidentiality limit, and too many forgeries under one read key end the
/// connection.
/// </summary>
internal sealed partial class DatagramHandshakeChannel : IKeyUpdateGate
{
    // RFC 9147 §4.5.3: records failing authentication per key; 2^36 for AES-GCM and ChaCha20-Poly1305.
    private const ulong DefaultIntegrityLimit = 1UL << 36;

    private ulong? _pendingWriteEpoch;
    private ulong _writeUsageLimit = ulong.MaxValue;
    private bool _postHandshakeFlight;

    /// <summary>Lowers the write keys' confidentiality limit so tests can reach it.</summary>
    internal ulong? UsageLimitOverride { get; set; }

    /// <summary>Lowers the read keys' integrity limit so tests can reach it.</summary>
    internal ulong? IntegrityLimitOverride { get; set; }

    /// <summary>A KeyUpdate was sent and its new write epoch waits for the peer's ACK (RFC 9147 §8).</summary>
    public bool WriteKeyUpdatePending => _pendingWriteEpoch != null;

    /// <summary>The epoch records are written in now.</summary>
    public ulong WriteEpoch => _writeEpoch;

    /// <summary>The newest epoch the peer's records are read in.</summary>
    public ulong ReadEpoch => _readEpoch;

    /// <summary>
    /// The current write key has protected half of what its AEAD allows (RFC 8446 §5.5, RFC 9147 §4.5.3):
    /// time for a KeyUpdate, so that the other half covers the records written until its ACK arrives.
    /// </summary>
    public bool WriteKeyWearingOut =>
        HandshakeComplete && _version == TlsVersion.Tls13 && _pendingWriteEpoch == null
        && _records.NextWriteSequence(_writeEpoch) >= WriteUsageLimit / 2;

    private ulong WriteUsageLimit => UsageLimitOverride ?? _writeUsageLimit;

    private ulong IntegrityLimit => IntegrityLimitOverride ?? DefaultIntegrityLimit;

    private static ulong ConfidentialityLimit(CipherSuiteInfo suite) =>
        // RFC 8446 §5.5: AES-GCM may protect 2^24.5 full records per key; stay clear of it. ChaCha20-Poly1305's
        // limit lies beyond DTLS's 48-bit sequence numbers.
        suite.Aead == AeadAlgorithm.ChaCha20Poly1305 ? ulong.MaxValue : 1UL << 24;

    /// <summary>
    /// New DTLS 1.3 write keys. During the handshake they apply at once; after it they come from a
    /// KeyUpdate, and RFC 9147 §8 (with erratum 8047) has the sender keep its old keys until the
    /// KeyUpdate and all messages before it are acknowledged.
    /// </summary>
    private void InstallDtls13WriteKeys(ulong epoch, CipherSuiteInfo suite, byte[] secret)
    {
        _records.AddWriteEpoch(epoch, Dtls13RecordProtection.FromTrafficSecret(_crypto, suite, secret));
        if (HandshakeComplete)
        {
            _pendingWriteEpoch = epoch;
            return;
        }

        _writeEpoch = epoch;
        _writeUsageLimit = ConfidentialityLimit(suite);
    }

    /// <summary>
    /// A post-handshake message (NewSessionTicket, KeyUpdate) joins the outstanding post-handshake
    /// flight, or starts one when nothing is outstanding: the flight is done only once the peer
    /// acknowledged all of it (RFC 9147 §5.8.4, §7).
    /// </summary>
    private bool StartPostHandshakeFlight(byte[] message)
    {
        if (_version != TlsVersion.Tls13 || message.Length == 0 || message[0] is not (Messages.HandshakeType.NewSessionTicket or Messages.HandshakeType.KeyUpdate))
        {
            return false;
        }

        if (_startNewFlight || _flight.IsSettled)
        {
            _startNewFlight = true;
            StartFlightIfNeeded(stateless: false);
        }

        _postHandshakeFlight = true;
        return true;
    }

    /// <summary>The flight was acknowledged whole: a KeyUpdate in it now moves this side to its new write epoch (RFC 9147 §8).</summary>
    private void OnFlightAcknowledged()
    {
        if (_pendingWriteEpoch is not ulong next)
        {
            return;
        }

        ulong previous = _writeEpoch;
        _writeEpoch = next;
        _pendingWriteEpoch = null;
        _postHandshakeFlight = false;

        // Nothing unacknowledged is left in the old epoch, so no retransmission needs its keys.
        if (previous >= TrafficEpoch.Handshake)
        {
            _records.RetireWriteEpoch(previous);
        }
    }

    /// <summary>
    /// The retransmission bound passed. During the handshake, and while a KeyUpdate waits for its
    /// ACK, the connection fails (<see cref="TlsFailureReason.HandshakeTimedOut"/>): the peer stopped
    /// answering, and the write keys cannot move on. A completed connection's other flights (the
    /// client's final flight, NewSessionTickets) are given up instead: RFC 9147 §5.8 bounds the
    /// retransmissions, not the connection, and the data the peer sends, if it is still there, is read.
    /// </summary>
    private bool RetransmitOnTimer()
    {
        try
        {
            return _flight.HandleTimeout();
        }
        catch (TlsFailureException failure) when (failure.Reason == TlsFailureReason.HandshakeTimedOut && HandshakeComplete && _pendingWriteEpoch == null)
        {
            _flight.Complete();
            return false;
        }
    }

    /// <summary>RFC 9147 §4.5.3: a key that protected its AEAD's limit of records is never used again; the connection ends first.</summary>
    private void CheckWriteUsage(ulong epoch)
    {
        if (epoch >= TrafficEpoch.Application && _version == TlsVersion.Tls13 && epoch == _writeEpoch
            && _records.NextWriteSequence(epoch) >= WriteUsageLimit)
        {
            throw new TlsFailureException(TlsFailureReason.LimitExceeded, "The write key reached its usage limit before the peer acknowledged the KeyUpdate.");
        }
    }

    /// <summary>RFC 9147 §4.5.3: more forgeries under one read key than the AEAD's integrity limit end the connection.</summary>
    private void CheckIntegrity()
    {
        foreach (ulong epoch in _readEpochs)
        {
            if (_records.FailedAuthentications(epoch) >= IntegrityLimit)
            {
                throw new TlsFailureException(TlsFailureReason.LimitExceeded, "Records failing authentication under one key reached the integrity limit.");
            }
        }
    }
}
