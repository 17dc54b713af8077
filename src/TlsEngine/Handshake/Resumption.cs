using System;
using TlsEngine.Buffers;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;

namespace TlsEngine.Handshake;

/// <summary>What a server seals into a ticket, and the PSK binder both sides compute (RFC 8446 §4.2.11.2).</summary>
internal sealed class TicketState
{
    private const byte FormatVersion = 1;

    // The same layout, for a ticket issued over DTLS 1.3: a ticket is redeemed only over the protocol
    // that issued it (RFC 9147 §5.9 derives DTLS's secrets under other labels).
    private const byte DatagramFormatVersion = 2;

    /// <summary>Issued by a DTLS connection.</summary>
    public bool Datagram { get; set; }

    public TlsCipherSuite Suite { get; set; }

    public long IssuedUnixMs { get; set; }

    public uint AgeAdd { get; set; }

    public uint LifetimeSeconds { get; set; }

    public uint MaxEarlyDataSize { get; set; }

    public byte[] Psk { get; set; } = Array.Empty<byte>();

    public string ServerName { get; set; } = string.Empty;

    public string ApplicationProtocol { get; set; } = string.Empty;

    public byte[] Encode()
    {
        var writer = new TlsWriter(128);
        writer.WriteU8(Datagram ? DatagramFormatVersion : FormatVersion);
        writer.WriteU16((ushort)Suite);
        writer.WriteU32((uint)(IssuedUnixMs >> 32));
        writer.WriteU32((uint)IssuedUnixMs);
        writer.WriteU32(AgeAdd);
        writer.WriteU32(LifetimeSeconds);
        writer.WriteU32(MaxEarlyDataSize);
        writer.WriteVector8(Psk);
        writer.WriteVector8(System.Text.Encoding.UTF8.GetBytes(ServerName));
        writer.WriteVector8(System.Text.Encoding.UTF8.GetBytes(ApplicationProtocol));
        byte[] encoded = writer.ToArray();
        writer.Wipe(); // it held the PSK
        return encoded;
    }

    public static TicketState? TryParse(ReadOnlySpan<byte> data)
    {
        var reader = new TlsReader(data);
        if (!reader.TryReadU8(out byte version) || version is not (FormatVersion or DatagramFormatVersion)
            || !reader.TryReadU16(out ushort suite) || !reader.TryReadU32(out uint high) || !reader.TryReadU32(out uint low)
            || !reader.TryReadU32(out uint ageAdd) || !reader.TryReadU32(out uint lifetime) || !reader.TryReadU32(out uint maxEarly)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> psk) || !reader.TryReadVector8(out ReadOnlySpan<byte> name)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> protocol) || !reader.IsEmpty || CipherSuiteInfo.Find(suite) == null)
        {
            return null;
        }

        return new TicketState
        {
            Datagram = version == DatagramFormatVersion,
            Suite = (TlsCipherSuite)suite,
            IssuedUnixMs = ((long)high << 32) | low,
            AgeAdd = ageAdd,
            LifetimeSeconds = lifetime,
            MaxEarlyDataSize = maxEarly,
            Psk = psk.ToArray(),
            ServerName = System.Text.Encoding.UTF8.GetString(name.ToArray()),
            ApplicationProtocol = System.Text.Encoding.UTF8.GetString(protocol.ToArray()),
        };
    }
}

internal static class Resumption
{
    /// <summary>
    /// The binder: HMAC over the transcript up to (not including) the binders list, keyed from the
    /// "ext binder" or "res binder" secret by the kind of PSK (RFC 8446 §4.2.11.2, §7.1).
    /// </summary>
    public static byte[] Binder(ICryptoProvider crypto, HashAlgorithmId hash, byte[] psk, byte[] truncatedTranscriptHash, bool external, string labelPrefix = Hkdf.Tls13LabelPrefix)
    {
        var hkdf = new Hkdf(crypto, hash, labelPrefix);
        using var early = new EarlyStage(hkdf, psk);
        byte[] binderKey = external ? early.ExternalBinderKey() : early.ResumptionBinderKey();
        byte[] binder = hkdf.FinishedVerifyData(binderKey, truncatedTranscriptHash);
        Array.Clear(binderKey, 0, binderKey.Length);
        return binder;
    }
}
