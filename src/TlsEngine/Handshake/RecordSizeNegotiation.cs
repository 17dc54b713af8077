using System.Collections.Generic;
using TlsEngine.Messages;

namespace TlsEngine.Handshake;

/// <summary>
/// record_size_limit (RFC 8449) and max_fragment_length (RFC 6066 §4) in both roles and versions:
/// what the hellos carry, the checks on the peer's values, and the limits the record layer then keeps.
/// </summary>
internal static class RecordSizeNegotiation
{
    /// <summary>RFC 8449 §4: no endpoint announces less.</summary>
    public const int MinLimit = 64;

    /// <summary>RFC 8449 §4: TLS 1.3's TLSInnerPlaintext, 2^14 bytes and the content type.</summary>
    public const int MaxLimitTls13 = 16385;

    /// <summary>RFC 8449 §4: TLS 1.2's plaintext.</summary>
    public const int MaxLimitTls12 = 16384;

    /// <summary>RFC 6066 §4: codes 1 to 4 stand for 2^9 to 2^12 bytes; 0 when the length has no code.</summary>
    public static byte FragmentLengthCode(int length) => length switch
    {
        512 => 1,
        1024 => 2,
        2048 => 3,
        4096 => 4,
        _ => 0,
    };

    /// <summary>Client: the extensions its ClientHello carries (the caller keeps pre_shared_key last).</summary>
    public static void Offer(ClientConfig config, List<Extension> extensions)
    {
        if (config.RecordSizeLimit is int limit)
        {
            // A TLS 1.2-only client announces no more than TLS 1.2 allows (RFC 8449 §4).
            int announced = config.MaxVersion < TlsVersion.Tls13 && limit > MaxLimitTls12 ? MaxLimitTls12 : limit;
            extensions.Add(new Extension(ExtensionType.RecordSizeLimit, ExtensionCodecs.EncodeU16((ushort)announced)));
        }

        if (config.MaxFragmentLength is int length)
        {
            extensions.Add(new Extension(ExtensionType.MaxFragmentLength, new[] { FragmentLengthCode(length) }));
        }
    }

    /// <summary>
    /// Client: the server's answer, in EncryptedExtensions (TLS 1.3) or ServerHello (TLS 1.2). Each
    /// extension must answer one this client sent (RFC 8446 §4.2); both at once is illegal_parameter
    /// (RFC 8449 §5); a max_fragment_length must echo the client's (RFC 6066 §4).
    /// </summary>
    public static void AcceptAnswer(HandshakeContext context, ClientConfig config, IReadOnlyList<Extension> answer, bool tls13)
    {
        Extension? limit = ExtensionBlock.Find(answer, ExtensionType.RecordSizeLimit);
        Extension? fragment = ExtensionBlock.Find(answer, ExtensionType.MaxFragmentLength);
        if (limit != null && fragment != null)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidMaxFragmentLength, "The server answered both max_fragment_length and record_size_limit.");
        }

        if (limit != null)
        {
            if (config.RecordSizeLimit == null)
            {
                throw TlsFailureException.UnsupportedExtension("The server sent a record_size_limit that was not offered.");
            }

            // A value above the version's maximum may be abort-worthy (RFC 8449 §4) but is harmless: records never exceed 2^14.
            Apply(context, ReadLimit(limit), config.RecordSizeLimit.Value, tls13);
        }
        else if (fragment != null)
        {
            if (config.MaxFragmentLength == null)
            {
                throw TlsFailureException.UnsupportedExtension("The server sent a max_fragment_length that was not offered.");
            }

            if (fragment.Data.Length != 1)
            {
                throw TlsFailureException.Decode("The server's max_fragment_length is not one byte.");
            }

            byte offered = FragmentLengthCode(config.MaxFragmentLength.Value);
            if (fragment.Data[0] != offered)
            {
                throw new TlsFailureException(TlsFailureReason.InvalidMaxFragmentLength, "The server's max_fragment_length does not echo the client's.");
            }

            ApplyFragmentLength(context, config.MaxFragmentLength.Value, tls13);
        }
    }

    /// <summary>
    /// Server: answers a client's record_size_limit with this side's (RFC 8449 §4), or else echoes a
    /// valid max_fragment_length (RFC 6066 §4), which a record_size_limit beside it overrides (RFC 8449 §5).
    /// </summary>
    public static void Answer(HandshakeContext context, HandshakeConfig config, ClientHello hello, List<Extension> extensions, bool tls13)
    {
        Extension? limit = hello.Find(ExtensionType.RecordSizeLimit);
        Extension? fragment = hello.Find(ExtensionType.MaxFragmentLength);
        if (limit != null)
        {
            // RFC 8449 §4: a server does not hold the client to the protocol's maximum.
            int peer = ReadLimit(limit);
            int own = System.Math.Min(config.RecordSizeLimit ?? MaxLimitTls13, tls13 ? MaxLimitTls13 : MaxLimitTls12);
            extensions.Add(new Extension(ExtensionType.RecordSizeLimit, ExtensionCodecs.EncodeU16((ushort)own)));
            Apply(context, peer, own, tls13);
            return;
        }

        if (fragment != null)
        {
            byte code = ReadFragmentLengthCode(fragment);
            extensions.Add(new Extension(ExtensionType.MaxFragmentLength, new[] { code }));
            ApplyFragmentLength(context, 1 << (8 + code), tls13);
        }
    }

    /// <summary>Server: refuses a malformed or illegal value in the ClientHello before anything is sent.</summary>
    public static void CheckOffer(ClientHello hello)
    {
        Extension? limit = hello.Find(ExtensionType.RecordSizeLimit);
        if (limit != null)
        {
            ReadLimit(limit);
        }

        Extension? fragment = hello.Find(ExtensionType.MaxFragmentLength);
        if (fragment != null && limit == null)
        {
            ReadFragmentLengthCode(fragment);
        }
    }

    /// <summary>RecordSizeLimit is a uint16 (RFC 8449 §4); below 64 is illegal_parameter.</summary>
    private static int ReadLimit(Extension extension)
    {
        if (!ExtensionCodecs.TryDecodeU16(extension.Data, out ushort value))
        {
            throw TlsFailureException.Decode("record_size_limit is not a 16-bit value.");
        }

        if (value < MinLimit)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidRecordSizeLimit, $"The peer's record_size_limit {value} is below 64.");
        }

        return value;
    }

    private static byte ReadFragmentLengthCode(Extension fragment)
    {
        if (fragment.Data.Length != 1)
        {
            throw TlsFailureException.Decode("The client's max_fragment_length is not one byte.");
        }

        // RFC 6066 §4: a value other than the four defined is illegal_parameter.
        byte code = fragment.Data[0];
        if (code is < 1 or > 4)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidMaxFragmentLength, $"The client's max_fragment_length code {code} is not defined.");
        }

        return code;
    }

    /// <summary>
    /// RFC 8449 §4: protected records sent keep to the peer's limit (in TLS 1.3 it counts the inner
    /// content type, and no padding is added), records received to this side's.
    /// </summary>
    private static void Apply(HandshakeContext context, int peerLimit, int ownLimit, bool tls13)
    {
        context.Channel.LimitSentFragments(tls13 ? peerLimit - 1 : peerLimit);
        context.Channel.LimitReceivedRecords(ownLimit);
    }

    /// <summary>RFC 6066 §4: the fragment length bounds the plaintext in both directions.</summary>
    private static void ApplyFragmentLength(HandshakeContext context, int length, bool tls13)
    {
        context.Channel.LimitSentFragments(length);
        context.Channel.LimitReceivedRecords(tls13 ? length + 1 : length);
    }
}
