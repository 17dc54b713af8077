using System;
using System.Collections.Generic;
using TlsEngine.Buffers;

namespace TlsEngine.Messages;

/// <summary>pre_shared_key (RFC 8446 §4.2.11): the client's identities and binders, the server's choice.</summary>
internal sealed class PreSharedKeyOffer
{
    public List<(byte[] Identity, uint ObfuscatedAge)> Identities { get; } = new();

    public List<byte[]> Binders { get; } = new();

    /// <summary>Bytes of the binders vector (with its length prefix), which end the ClientHello.</summary>
    public int BindersLength { get; private set; }

    public static PreSharedKeyOffer? TryParse(ReadOnlySpan<byte> data)
    {
        var reader = new TlsReader(data);
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> identities) || identities.Length == 0)
        {
            return null;
        }

        int bindersStart = data.Length - reader.Remaining;
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> binders) || binders.Length == 0 || !reader.IsEmpty)
        {
            return null;
        }

        var offer = new PreSharedKeyOffer { BindersLength = data.Length - bindersStart };
        var identityReader = new TlsReader(identities);
        while (!identityReader.IsEmpty)
        {
            if (!identityReader.TryReadVector16(out ReadOnlySpan<byte> identity) || identity.Length == 0 || !identityReader.TryReadU32(out uint age))
            {
                return null;
            }

            offer.Identities.Add((identity.ToArray(), age));
        }

        var binderReader = new TlsReader(binders);
        while (!binderReader.IsEmpty)
        {
            if (!binderReader.TryReadVector8(out ReadOnlySpan<byte> binder) || binder.Length < 32)
            {
                return null;
            }

            offer.Binders.Add(binder.ToArray());
        }

        return offer.Identities.Count == offer.Binders.Count ? offer : null;
    }

    /// <summary>One identity with a zero binder of <paramref name="binderLength"/> bytes.</summary>
    public static byte[] EncodeSingle(byte[] identity, uint obfuscatedAge, int binderLength) =>
        Encode(new[] { (identity, obfuscatedAge, binderLength) }, out _);

    /// <summary>
    /// The client's identities, each with a zero binder of its hash's length, patched once the hello
    /// is encoded (RFC 8446 §4.2.11.2). Returns the extension and the length of its binders vector.
    /// </summary>
    public static byte[] Encode(IReadOnlyList<(byte[] Identity, uint ObfuscatedAge, int BinderLength)> offers, out int bindersLength)
    {
        var writer = new TlsWriter(256);
        using (writer.PushLength(2))
        {
            foreach ((byte[] identity, uint age, _) in offers)
            {
                writer.WriteVector16(identity);
                writer.WriteU32(age);
            }
        }

        bindersLength = 2;
        using (writer.PushLength(2))
        {
            foreach ((_, _, int binderLength) in offers)
            {
                writer.WriteVector8(new byte[binderLength]);
                bindersLength += 1 + binderLength;
            }
        }

        return writer.ToArray();
    }
}

internal static class EndOfEarlyDataMessage
{
    public static byte[] Encode() => new byte[] { HandshakeType.EndOfEarlyData, 0, 0, 0 };
}
