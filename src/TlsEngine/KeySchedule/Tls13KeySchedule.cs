using System;
using TlsEngine.Crypto;
using TlsEngine.Records;

namespace TlsEngine.KeySchedule;

/// <summary>
/// RFC 8446 §7.1 as a typestate: each stage can only produce the secrets it owns and the next
/// stage, so a secret can never be derived from the wrong point of the schedule.
/// </summary>
internal sealed class EarlyStage : IDisposable
{
    private readonly byte[]? _secret;

    /// <param name="hkdf">The key schedule's hash and label prefix.</param>
    /// <param name="psk">The PSK, or empty for a handshake without one: then nothing is derived here (see <see cref="Next"/>).</param>
    public EarlyStage(Hkdf hkdf, ReadOnlySpan<byte> psk)
    {
        Hkdf = hkdf;
        _secret = psk.Length == 0 ? null : hkdf.Extract(ReadOnlySpan<byte>.Empty, psk);
    }

    public Hkdf Hkdf { get; }

    /// <summary>The early secret; without a PSK it is HKDF-Extract(0, 0) (RFC 8446 §7.1).</summary>
    public byte[] Secret => _secret ?? Hkdf.Extract(ReadOnlySpan<byte>.Empty, new byte[Hkdf.HashLength]);

    /// <summary>binder_key for resumption PSKs (RFC 8446 §7.1).</summary>
    public byte[] ResumptionBinderKey() => Hkdf.DeriveSecret(Secret, "res binder", Hkdf.EmptyHash);

    /// <summary>
    /// binder_key for external PSKs (RFC 8446 §7.1): a label of its own, so a binder made for one kind
    /// of PSK never verifies as the other (§4.2.11.2).
    /// </summary>
    public byte[] ExternalBinderKey() => Hkdf.DeriveSecret(Secret, "ext binder", Hkdf.EmptyHash);

    public byte[] ClientEarlyTrafficSecret(ReadOnlySpan<byte> clientHelloHash) => Hkdf.DeriveSecret(Secret, "c e traffic", clientHelloHash);

    /// <summary>A handshake secret from the ECDHE result; empty input means psk_ke (zeros, RFC 8446 §7.1).</summary>
    public HandshakeStage Next(ReadOnlySpan<byte> sharedSecret)
    {
        if (sharedSecret.Length == 0)
        {
            sharedSecret = new byte[Hkdf.HashLength];
        }

        // Without a PSK the early secret, and so this, is a constant of the hash: computed once per process.
        byte[] derived = _secret == null ? Hkdf.DerivedWithoutPsk() : Hkdf.DeriveSecret(_secret, "derived", Hkdf.EmptyHash);
        var next = new HandshakeStage(Hkdf, Hkdf.Extract(derived, sharedSecret));
        Array.Clear(derived, 0, derived.Length);
        return next;
    }

    public void Dispose()
    {
        if (_secret != null)
        {
            Array.Clear(_secret, 0, _secret.Length);
        }
    }
}

internal sealed class HandshakeStage : IDisposable
{
    private readonly byte[] _secret;

    // Derive-Secret(handshake secret, "derived", ""): the salt of the master secret, taken with the
    // traffic secrets from the same keyed HMAC.
    private byte[]? _derived;

    public HandshakeStage(Hkdf hkdf, byte[] secret)
    {
        Hkdf = hkdf;
        _secret = secret;
    }

    public Hkdf Hkdf { get; }

    /// <summary>The handshake secret; zeroed once <see cref="TrafficSecrets"/> has taken all it gives.</summary>
    public byte[] Secret => _secret;

    /// <summary>The salt <see cref="Next"/> extracts the master secret with, once <see cref="TrafficSecrets"/> has run.</summary>
    public byte[]? Derived => _derived;

    public byte[] ClientTrafficSecret(ReadOnlySpan<byte> helloHash) => Hkdf.DeriveSecret(_secret, "c hs traffic", helloHash);

    public byte[] ServerTrafficSecret(ReadOnlySpan<byte> helloHash) => Hkdf.DeriveSecret(_secret, "s hs traffic", helloHash);

    /// <summary>
    /// Both handshake traffic secrets and the "derived" salt of the master secret, from one keyed
    /// HMAC. Those are the handshake secret's only uses (RFC 8446 §7.1), so it is zeroed here: what
    /// stays until <see cref="Next"/> is the salt, no longer lived than the secret it replaces.
    /// </summary>
    public (byte[] Client, byte[] Server) TrafficSecrets(ReadOnlySpan<byte> helloHash)
    {
        using IHmac secret = Hkdf.Key(_secret);
        byte[] client = Hkdf.DeriveSecret(secret, "c hs traffic", helloHash);
        byte[] server = Hkdf.DeriveSecret(secret, "s hs traffic", helloHash);
        ClearDerived();
        _derived = Hkdf.DeriveSecret(secret, "derived", Hkdf.EmptyHash);
        Array.Clear(_secret, 0, _secret.Length);
        return (client, server);
    }

    public MasterStage Next()
    {
        byte[] derived = _derived ?? Hkdf.DeriveSecret(_secret, "derived", Hkdf.EmptyHash);
        var next = new MasterStage(Hkdf, Hkdf.Extract(derived, new byte[Hkdf.HashLength]));
        Array.Clear(derived, 0, derived.Length);
        return next;
    }

    public void Dispose()
    {
        Array.Clear(_secret, 0, _secret.Length);
        ClearDerived();
    }

    private void ClearDerived()
    {
        if (_derived != null)
        {
            Array.Clear(_derived, 0, _derived.Length);
        }
    }
}

internal sealed class MasterStage : IDisposable
{
    private readonly byte[] _secret;

    // Keyed once by ApplicationSecrets and kept for ResumptionSecret: the keyed context is worth no
    // more than the master secret it is kept alongside, and goes with it at Dispose.
    private IHmac? _keyed;

    public MasterStage(Hkdf hkdf, byte[] secret)
    {
        Hkdf = hkdf;
        _secret = secret;
    }

    public Hkdf Hkdf { get; }

    public byte[] Secret => _secret;

    public byte[] ClientTrafficSecret(ReadOnlySpan<byte> finishedHash) => Hkdf.DeriveSecret(Keyed, "c ap traffic", finishedHash);

    public byte[] ServerTrafficSecret(ReadOnlySpan<byte> finishedHash) => Hkdf.DeriveSecret(Keyed, "s ap traffic", finishedHash);

    public byte[] ExporterSecret(ReadOnlySpan<byte> finishedHash) => Hkdf.DeriveSecret(Keyed, "exp master", finishedHash);

    /// <summary>Both application traffic secrets and the exporter secret, from one keyed HMAC.</summary>
    public (byte[] Client, byte[] Server, byte[] Exporter) ApplicationSecrets(ReadOnlySpan<byte> finishedHash) =>
        (ClientTrafficSecret(finishedHash), ServerTrafficSecret(finishedHash), ExporterSecret(finishedHash));

    public byte[] ResumptionSecret(ReadOnlySpan<byte> clientFinishedHash) => Hkdf.DeriveSecret(Keyed, "res master", clientFinishedHash);

    private IHmac Keyed => _keyed ??= Hkdf.Key(_secret);

    public void Dispose()
    {
        _keyed?.Dispose();
        _keyed = null;
        Array.Clear(_secret, 0, _secret.Length);
    }
}

/// <summary>Traffic secret to record keys, and the KeyUpdate ratchet (RFC 8446 §7.2–7.3).</summary>
internal static class TrafficKeys
{
    public static RecordProtection Protection(ICryptoProvider crypto, CipherSuiteInfo suite, Hkdf hkdf, ReadOnlySpan<byte> trafficSecret) =>
        Protection(crypto, suite, hkdf, trafficSecret, Span<byte>.Empty);

    /// <summary>
    /// Record keys, and when <paramref name="finishedKey"/> is not empty (a handshake traffic secret)
    /// also finished_key = HKDF-Expand-Label(secret, "finished", "", Hash.length) (RFC 8446 §4.4.4)
    /// from the same keyed HMAC rather than keying another.
    /// </summary>
    public static RecordProtection Protection(ICryptoProvider crypto, CipherSuiteInfo suite, Hkdf hkdf, ReadOnlySpan<byte> trafficSecret, Span<byte> finishedKey)
    {
        using IHmac secret = hkdf.Key(trafficSecret);
        byte[] key = hkdf.ExpandLabel(secret, "key", ReadOnlySpan<byte>.Empty, suite.KeyLength);
        byte[] iv = hkdf.ExpandLabel(secret, "iv", ReadOnlySpan<byte>.Empty, CipherSuiteInfo.IvLength);
        if (!finishedKey.IsEmpty)
        {
            hkdf.ExpandLabel(secret, "finished", ReadOnlySpan<byte>.Empty, finishedKey);
        }

        return new RecordProtection(crypto, suite, key, iv);
    }

    public static byte[] NextGeneration(Hkdf hkdf, ReadOnlySpan<byte> trafficSecret) =>
        hkdf.ExpandLabel(trafficSecret, "traffic upd", ReadOnlySpan<byte>.Empty, hkdf.HashLength);

    /// <summary>RFC 8446 §7.5 TLS-Exporter.</summary>
    public static byte[] Export(Hkdf hkdf, ReadOnlySpan<byte> exporterSecret, string label, ReadOnlySpan<byte> context, int length, IHashContext emptyHash, IHashContext contextHash)
    {
        byte[] secret = hkdf.DeriveSecret(exporterSecret, label, emptyHash.GetCurrentHash());
        contextHash.Update(context);
        byte[] result = hkdf.ExpandLabel(secret, "exporter", contextHash.GetCurrentHash(), length);
        Array.Clear(secret, 0, secret.Length);
        return result;
    }
}
