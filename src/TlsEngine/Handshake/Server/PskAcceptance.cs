using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Server;

/// <summary>
/// Decides whether a ClientHello's pre_shared_key resumes a session or names an external PSK
/// (RFC 8446 §4.2.11), and whether 0-RTT data is taken (§4.2.10, §8). Each identity is one kind or
/// the other: one that opens as this server's ticket is a ticket, and only the others are looked
/// up as external identities, so a ticket never reaches the host's lookup and an external key is
/// never taken for a ticket. The binder label follows the kind ("res binder" or "ext binder", §7.1).
/// </summary>
internal sealed class PskAcceptance
{
    // RFC 8446 §8.3: a window for the difference between the client's and the server's view of the ticket age.
    private static readonly TimeSpan AgeTolerance = TimeSpan.FromSeconds(10);

    // A few identities are enough; each costs a ticket decryption or a lookup.
    private const int MaxIdentitiesExamined = 8;

    private PskAcceptance(int index, CipherSuiteInfo suite, byte[] key, TicketState? ticket, ExternalPsk? external, byte[] identity, uint obfuscatedAge, bool withKeyExchange)
    {
        Index = index;
        Suite = suite;
        Key = key;
        State = ticket;
        External = external;
        Identity = identity;
        ObfuscatedAge = obfuscatedAge;
        WithKeyExchange = withKeyExchange;
    }

    public int Index { get; }

    /// <summary>The suite the handshake uses with this PSK: one with the PSK's hash.</summary>
    public CipherSuiteInfo Suite { get; }

    /// <summary>The PSK fed to the key schedule.</summary>
    public byte[] Key { get; }

    /// <summary>The resumed session; null for an external PSK.</summary>
    public TicketState? State { get; }

    /// <summary>The external PSK; null for a resumption.</summary>
    public ExternalPsk? External { get; }

    public byte[] Identity { get; }

    public uint ObfuscatedAge { get; }

    /// <summary>psk_dhe_ke (true) or psk_ke (false).</summary>
    public bool WithKeyExchange { get; }

    /// <summary>
    /// The accepted PSK, or null for a handshake without one. <paramref name="suites"/> are the
    /// suites the server may choose, best first: a ticket must fit the first (the suite chosen
    /// without PSKs); an external PSK takes the first with its hash. A wrong binder on a PSK the
    /// server would accept is fatal.
    /// </summary>
    public static PskAcceptance? Evaluate(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, byte[] encodedHello, IReadOnlyList<CipherSuiteInfo> suites)
    {
        // The offer has decoded both extensions and checked their placement and pairing (RFC 8446 §4.2.9, §4.2.11).
        PreSharedKeyOffer? psks = offer.PreSharedKey;
        if (psks == null || offer.PskModes is not { } modes || suites.Count == 0)
        {
            return null;
        }

        for (int i = 0; i < Math.Min(psks.Identities.Count, MaxIdentitiesExamined); i++)
        {
            (byte[] identity, uint age) = psks.Identities[i];
            byte[]? plaintext = config.TicketKeys?.Open(context.Crypto, identity);
            PskAcceptance? candidate = plaintext != null
                ? FromTicket(context, config, offer, TicketState.TryParse(plaintext), modes, suites[0], i, identity, age)
                : FromExternal(config, offer, modes, suites, i, identity);
            if (candidate == null)
            {
                continue;
            }

            candidate.VerifyBinder(context, encodedHello, psks);
            return candidate;
        }

        return null;
    }

    /// <summary>0-RTT is taken only for a ticket sent first, its own suite and ALPN, a plausible age, and once per ticket.</summary>
    public bool AcceptEarlyData(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, CipherSuiteInfo suite, string? protocol, bool firstHello)
    {
        // External PSKs carry no early-data settings of their own: their 0-RTT is declined (RFC 8446 §4.2.10 allows it).
        if (State == null || !offer.EarlyDataOffered || !firstHello || Index != 0 || config.MaxEarlyDataSize == 0 || State.MaxEarlyDataSize == 0
            || State.Suite != suite.Suite || State.ApplicationProtocol != (protocol ?? string.Empty))
        {
            return false;
        }

        long clientAgeMs = unchecked((uint)(ObfuscatedAge - State.AgeAdd));
        long serverAgeMs = context.Now.ToUnixTimeMilliseconds() - State.IssuedUnixMs;
        if (Math.Abs(serverAgeMs - clientAgeMs) > AgeTolerance.TotalMilliseconds)
        {
            return false;
        }

        DateTimeOffset expires = DateTimeOffset.FromUnixTimeMilliseconds(State.IssuedUnixMs + (State.LifetimeSeconds * 1000L));
        return config.TicketKeys!.TryUseOnce(Identity, expires);
    }

    private static PskAcceptance? FromTicket(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, TicketState? state, (bool PskOnly, bool PskWithKeyExchange) modes, CipherSuiteInfo suite, int index, byte[] identity, uint age)
    {
        // RFC 8446 §4.2.9: psk_dhe_ke needs the client's key_share; without one only psk_ke is left, if allowed.
        bool dhe = modes.PskWithKeyExchange && offer.HasKeyShareExtension;
        bool pskOnly = config.AllowResumptionWithoutKeyExchange && modes.PskOnly;
        // A DTLS ticket is not redeemed over TLS nor the reverse: a full handshake follows instead.
        if (state == null || (!dhe && !pskOnly) || state.Datagram != context.IsDatagram
            || CipherSuiteInfo.Get(state.Suite).Hash != suite.Hash
            || context.Now.ToUnixTimeMilliseconds() - state.IssuedUnixMs > state.LifetimeSeconds * 1000L
            || !string.Equals(state.ServerName, offer.ServerName ?? string.Empty, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new PskAcceptance(index, suite, state.Psk, state, null, identity, age, withKeyExchange: dhe);
    }

    private static PskAcceptance? FromExternal(ServerConfig config, ClientHelloOffer offer, (bool PskOnly, bool PskWithKeyExchange) modes, IReadOnlyList<CipherSuiteInfo> suites, int index, byte[] identity)
    {
        ExternalPsk? psk = FindExternal(config, identity);
        // RFC 8446 §4.2.9: a mode both sides allow, psk_dhe_ke first for its forward secrecy (and only with a key_share).
        bool dhe = modes.PskWithKeyExchange && offer.HasKeyShareExtension && (config.ExternalPskModes & TlsPskKeyExchangeModes.WithKeyExchange) != 0;
        bool pskOnly = modes.PskOnly && (config.ExternalPskModes & TlsPskKeyExchangeModes.WithoutKeyExchange) != 0;
        if (psk == null || (!dhe && !pskOnly))
        {
            return null;
        }

        foreach (CipherSuiteInfo suite in suites)
        {
            // RFC 8446 §4.2.11: the suite's hash must be the PSK's.
            if (suite.Hash == psk.Hash)
            {
                return new PskAcceptance(index, suite, psk.Key, null, psk, identity, 0, withKeyExchange: dhe);
            }
        }

        return null;
    }

    private static ExternalPsk? FindExternal(ServerConfig config, byte[] identity)
    {
        foreach (ExternalPsk psk in config.ExternalPsks)
        {
            // Identities are public (they travel in the clear): a plain comparison is enough.
            if (psk.Identity.AsSpan().SequenceEqual(identity))
            {
                return psk;
            }
        }

        ExternalPsk? found = config.ExternalPskLookup?.Invoke((byte[])identity.Clone());
        return found != null && found.Key.Length > 0 ? found : null;
    }

    /// <summary>RFC 8446 §4.2.11.2: the binder covers the ClientHello up to the binders list; a mismatch aborts the handshake.</summary>
    private void VerifyBinder(HandshakeContext context, byte[] encodedHello, PreSharedKeyOffer psks)
    {
        byte[] binder = psks.Binders[Index];
        if (binder.Length != Suite.HashLength)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidPskBinderLength, $"A PSK binder is {binder.Length} bytes; its hash makes {Suite.HashLength}.");
        }

        byte[] truncatedHash = context.Transcript.HashWith(Suite.Hash, encodedHello.AsSpan(0, encodedHello.Length - psks.BindersLength));
        byte[] expected = Resumption.Binder(context.Crypto, Suite.Hash, Key, truncatedHash, external: External != null, context.LabelPrefix);
        if (!FixedTime.Equals(expected, binder))
        {
            throw new TlsFailureException(TlsFailureReason.BadPskBinder, "A PSK binder did not verify.");
        }
    }
}
