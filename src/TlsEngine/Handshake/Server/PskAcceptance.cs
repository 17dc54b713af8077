using System;
using System.Collections.Generic;
using TlsEngine.Crypto;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Server;

/// <summary>
/// Decides whether a ClientHello's pre_shared_key resumes a session (RFC 8446 §4.2.11) and
/// whether its 0-RTT data is taken (§4.2.10, §8).
/// </summary>
internal sealed class PskAcceptance
{
    // RFC 8446 §8.3: a window for the difference between the client's and the server's view of the ticket age.
    private static readonly TimeSpan AgeTolerance = TimeSpan.FromSeconds(10);

    private PskAcceptance(int index, TicketState state, byte[] identity, uint obfuscatedAge, bool withKeyExchange)
    {
        Index = index;
        State = state;
        Identity = identity;
        ObfuscatedAge = obfuscatedAge;
        WithKeyExchange = withKeyExchange;
    }

    public int Index { get; }

    public TicketState State { get; }

    public byte[] Identity { get; }

    public uint ObfuscatedAge { get; }

    /// <summary>psk_dhe_ke (true) or psk_ke (false).</summary>
    public bool WithKeyExchange { get; }

    /// <summary>The accepted PSK, or null for a full handshake. A wrong binder on a known ticket is fatal.</summary>
    public static PskAcceptance? Evaluate(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, byte[] encodedHello, CipherSuiteInfo suite)
    {
        // The offer has decoded both extensions and checked their placement and pairing (RFC 8446 §4.2.9, §4.2.11).
        PreSharedKeyOffer? psks = offer.PreSharedKey;
        if (psks == null || offer.PskModes is not { } modes)
        {
            return null;
        }

        bool dhe = modes.PskWithKeyExchange;
        bool pskOnly = config.AllowResumptionWithoutKeyExchange && modes.PskOnly;
        if (!dhe && !pskOnly)
        {
            return null;
        }

        DateTimeOffset now = context.Now;
        // A few identities are enough; each costs a decryption.
        for (int i = 0; i < Math.Min(psks.Identities.Count, 4); i++)
        {
            (byte[] identity, uint age) = psks.Identities[i];
            byte[]? plaintext = config.TicketKeys!.Open(context.Crypto, identity);
            TicketState? state = plaintext == null ? null : TicketState.TryParse(plaintext);
            if (state == null
                || CipherSuiteInfo.Get(state.Suite).Hash != suite.Hash
                || now.ToUnixTimeMilliseconds() - state.IssuedUnixMs > state.LifetimeSeconds * 1000L
                || !string.Equals(state.ServerName, offer.ServerName ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            byte[] truncatedHash = context.Transcript.HashWith(suite.Hash, encodedHello.AsSpan(0, encodedHello.Length - psks.BindersLength));
            byte[] expected = Resumption.Binder(context.Crypto, suite, state.Psk, truncatedHash);
            if (!FixedTime.Equals(expected, psks.Binders[i]))
            {
                throw new TlsFailureException(TlsFailureReason.BadPskBinder, "A PSK binder did not verify.");
            }

            return new PskAcceptance(i, state, identity, age, withKeyExchange: dhe && offer.HasKeyShareExtension);
        }

        return null;
    }

    /// <summary>0-RTT is taken only for the first identity, the ticket's own suite and ALPN, a plausible age, and once per ticket.</summary>
    public bool AcceptEarlyData(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, CipherSuiteInfo suite, string? protocol, bool firstHello)
    {
        if (!offer.EarlyDataOffered || !firstHello || Index != 0 || config.MaxEarlyDataSize == 0 || State.MaxEarlyDataSize == 0
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
}
