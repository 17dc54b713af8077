using System;
using System.Collections.Generic;
using System.Text;

namespace TlsEngine;

/// <summary>
/// Checks shared by the options' Validate methods. Each failure is an <see cref="ArgumentException"/>
/// whose ParamName is the option at fault. Lists must hold distinct, defined values: with that,
/// every list the engine encodes is bounded by the size of its enum, so no configured list can
/// overflow its length prefix on the wire.
/// </summary>
internal static class OptionRules
{
    /// <summary>ALPN's ProtocolName&lt;1..2^8-1&gt; (RFC 7301 §3.1).</summary>
    public const int MaxProtocolNameLength = 255;

    /// <summary>ALPN's ProtocolNameList&lt;2..2^16-1&gt; (RFC 7301 §3.1).</summary>
    public const int MaxProtocolListLength = 0xFFFF;

    public static IList<T> Present<T>(IList<T>? list, string option) =>
        list ?? throw new ArgumentException($"{option} must not be null.", option);

    /// <summary>Refuses an empty list (when it must be sent, its vector has a minimum of one entry), undefined values and repeats.</summary>
    public static void DistinctDefined<T>(IList<T>? values, string option, bool allowEmpty)
        where T : struct, Enum
    {
        IList<T> list = Present(values, option);
        if (!allowEmpty && list.Count == 0)
        {
            throw new ArgumentException($"{option} must not be empty: the list cannot be encoded without an entry.", option);
        }

        // Connections are created often and the lists are short: a pairwise check and a cached set of
        // defined values allocate nothing (Enum.IsDefined boxes and reflects on every call).
        for (int i = 0; i < list.Count; i++)
        {
            T value = list[i];
            if (!Defined<T>.Values.Contains(value))
            {
                throw new ArgumentException($"{option} holds {value}, which is not a known {typeof(T).Name}.", option);
            }

            for (int j = 0; j < i; j++)
            {
                if (EqualityComparer<T>.Default.Equals(list[j], value))
                {
                    throw new ArgumentException($"{option} lists {value} twice.", option);
                }
            }
        }
    }

    private static class Defined<T>
        where T : struct, Enum
    {
#if NET5_0_OR_GREATER
        public static readonly HashSet<T> Values = new(Enum.GetValues<T>());
#else
        public static readonly HashSet<T> Values = new((T[])Enum.GetValues(typeof(T)));
#endif
    }

    /// <summary>RFC 7301 §3.1: each name 1 to 255 bytes (UTF-8), the list within 2^16-1 bytes; returns the encoded list's length.</summary>
    public static int ApplicationProtocols(IList<string>? protocols, string option)
    {
        IList<string> list = Present(protocols, option);
        int total = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? protocol in list)
        {
            if (protocol == null)
            {
                throw new ArgumentException($"{option} holds a null name.", option);
            }

            int length = Encoding.UTF8.GetByteCount(protocol);
            if (length < 1 || length > MaxProtocolNameLength)
            {
                throw new ArgumentException($"Each name in {option} must be 1 to {MaxProtocolNameLength} bytes (UTF-8); one is {length}.", option);
            }

            if (!seen.Add(protocol))
            {
                throw new ArgumentException($"{option} lists '{protocol}' twice.", option);
            }

            total += 1 + length;
        }

        if (total > MaxProtocolListLength)
        {
            throw new ArgumentException($"{option} encodes in {total} bytes; the list's limit is {MaxProtocolListLength}.", option);
        }

        return total;
    }

    /// <summary>
    /// External PSKs: no null entry, distinct identities, TLS 1.3 enabled and a configured TLS 1.3
    /// suite for each key's hash (RFC 8446 §4.2.11). Returns the bytes the client's pre_shared_key
    /// extension needs for them.
    /// </summary>
    public static int ExternalPsks(IList<TlsExternalPsk>? psks, TlsOptions options, string option)
    {
        IList<TlsExternalPsk> list = Present(psks, option);
        if (list.Count == 0)
        {
            return 0;
        }

        if (options.MaxVersion < TlsVersion.Tls13)
        {
            throw new ArgumentException("External PSKs are TLS 1.3 only: MaxVersion must be Tls13.", option);
        }

        var identities = new HashSet<string>(StringComparer.Ordinal);
        int length = 0;
        foreach (TlsExternalPsk? psk in list)
        {
            if (psk == null)
            {
                throw new ArgumentException($"{option} holds a null entry.", option);
            }

            Handshake.ExternalPsk local = psk.Local;
            if (!identities.Add(Convert.ToBase64String(local.Identity)))
            {
                throw new ArgumentException($"{option} lists one identity twice.", option);
            }

            bool suited = false;
            foreach (TlsCipherSuite suite in options.CipherSuites)
            {
                Crypto.CipherSuiteInfo? info = Crypto.CipherSuiteInfo.Find((ushort)suite);
                suited |= info != null && info.Version == TlsVersion.Tls13 && info.Hash == local.Hash;
            }

            if (!suited)
            {
                throw new ArgumentException($"A PSK in {option} uses {psk.Hash.Name}, and no configured TLS 1.3 cipher suite has that hash.", option);
            }

            // PskIdentity (2 + identity + 4) and PskBinderEntry (1 + hash).
            length += 2 + local.Identity.Length + 4 + 1 + local.BinderLength;
        }

        return length;
    }

    public static void PskModes(TlsPskKeyExchangeModes modes, string option)
    {
        if (modes < TlsPskKeyExchangeModes.WithKeyExchange || modes > TlsPskKeyExchangeModes.Both)
        {
            throw new ArgumentException($"{option} must allow psk_dhe_ke, psk_ke or both.", option);
        }
    }

    /// <summary>Pins are "sha256/" and the base64 of a 32-byte SHA-256 digest of a SubjectPublicKeyInfo.</summary>
    public static List<byte[]> Pins(IList<string>? pins, string option)
    {
        var digests = new List<byte[]>();
        foreach (string? pin in Present(pins, option))
        {
            digests.Add(ParsePin(pin) ?? throw new ArgumentException($"Each entry in {option} must be \"sha256/\" and the base64 of a 32-byte SHA-256 digest.", option));
        }

        return digests;
    }

    private static byte[]? ParsePin(string? pin)
    {
        const string Prefix = "sha256/";
        if (pin == null || !pin.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            byte[] digest = Convert.FromBase64String(pin.Substring(Prefix.Length));
            return digest.Length == 32 ? digest : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
