using System;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>
/// Everything the handshake layer needs from the layer that carries its messages: the stream record
/// layer for TLS, a datagram record layer with message sequencing and flights for DTLS. The states
/// speak only TLS-style handshake messages (4-byte header and body) and traffic secrets; the channel
/// decides the wire form, the transcript form and what a secret means on the wire (a record epoch).
/// </summary>
internal interface IHandshakeChannel : IDisposable
{
    /// <summary>
    /// The next complete handshake message from the peer, in TLS form, with its transcript form
    /// (<see cref="HandshakeMessage.TranscriptForm"/>) chosen by the channel: the message itself for
    /// TLS and DTLS 1.3 (RFC 9147 §5.2), the 12-byte-header form with its message_seq for DTLS 1.2
    /// (RFC 6347 §4.2.6).
    /// </summary>
    bool TryTakeMessage(out HandshakeMessage message);

    /// <summary>
    /// Queues one handshake message (TLS form). When <paramref name="transcript"/> is given the channel
    /// first adds the message to it, in this protocol's transcript form; post-handshake messages and
    /// the messages that stay out of the transcript (HelloVerifyRequest) pass null.
    /// </summary>
    /// <param name="message">4-byte header and body.</param>
    /// <param name="transcript">The transcript to feed, or null.</param>
    /// <param name="initialClientHello">The first ClientHello of a connection (TLS: record version 0x0301).</param>
    void SendHandshake(byte[] message, TranscriptHash? transcript, bool initialClientHello = false);

    /// <summary>A change_cipher_spec record: TLS 1.2's protocol step, or TLS 1.3's compatibility one (never DTLS 1.3).</summary>
    void SendChangeCipherSpec();

    /// <summary>The negotiated version (null until known): decides alert rules and the record version.</summary>
    void SetVersion(TlsVersion? version);

    /// <summary>
    /// TLS 1.3: new keys for what the peer sends, derived from <paramref name="secret"/> (RFC 8446 §7.3)
    /// with <paramref name="hkdf"/>'s label prefix. <paramref name="epoch"/> is the DTLS 1.3 epoch the
    /// secret belongs to (RFC 9147 §6.1): <see cref="TrafficEpoch.EarlyData"/>, <see cref="TrafficEpoch.Handshake"/>,
    /// <see cref="TrafficEpoch.Application"/>, plus one per KeyUpdate. The secret may be zeroed after the call.
    /// </summary>
    void InstallReadSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret);

    /// <summary>TLS 1.3: new keys for what this side sends; <paramref name="epoch"/> as for <see cref="InstallReadSecret"/>.</summary>
    void InstallWriteSecret(ulong epoch, CipherSuiteInfo suite, Hkdf hkdf, byte[] secret);

    /// <summary>Client: 0-RTT application data under the early write keys just installed (RFC 8446 §4.2.10).</summary>
    void SendEarlyData(ReadOnlySpan<byte> data);

    /// <summary>Client: after a HelloRetryRequest the second ClientHello goes out without the 0-RTT keys.</summary>
    void DropEarlyWriteKeys();

    /// <summary>Server: reads accepted 0-RTT data under client_early_traffic_secret, up to <paramref name="maxEarlyDataSize"/> bytes.</summary>
    void AcceptEarlyData(CipherSuiteInfo suite, Hkdf hkdf, byte[] clientEarlySecret, uint maxEarlyDataSize);

    /// <summary>Server: skips the client's declined 0-RTT records, up to <paramref name="budget"/> record bytes (RFC 8446 §4.2.10).</summary>
    void SkipRejectedEarlyData(long budget, bool afterHelloRetryRequest);

    /// <summary>Server: the peer's 0-RTT records are being read (between the first flight and EndOfEarlyData).</summary>
    bool ReadingEarlyData { get; }

    /// <summary>TLS 1.2: the peer's change_cipher_spec arrived; its records are protected from now on (RFC 5246 §7.1).</summary>
    void InstallTls12ReadKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys);

    /// <summary>TLS 1.2: our change_cipher_spec is queued; what follows is protected.</summary>
    void InstallTls12WriteKeys(CipherSuiteInfo suite, Tls12TrafficKeys keys);

    /// <summary>TLS 1.2: the peer's Finished verified; application data may follow under the same keys.</summary>
    void EnterTls12Application();

    /// <summary>Most content bytes per record sent (RFC 8449 §4, RFC 6066 §4).</summary>
    void LimitSentFragments(int maxContent);

    /// <summary>Refuses received records larger than <paramref name="limit"/> (RFC 8449 §4).</summary>
    void LimitReceivedRecords(int limit);
}
