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
        public static readonly HashSet<T> Values = new((T[])Enum.GetValues(typeof(T)));
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
}
