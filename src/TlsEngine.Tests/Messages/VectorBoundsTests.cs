using TlsEngine.Messages;
using Xunit;

namespace TlsEngine.Tests.Messages;

/// <summary>
/// Every vector a codec reads, at and just past its RFC bounds (the presentation language's
/// &lt;floor..ceiling&gt;): the floor parses, one below it does not, and inner lengths must agree
/// with the outer ones.
/// </summary>
public class VectorBoundsTests
{
    [Theory]
    [InlineData(1, new byte[] { 2, 3, 4 }, true)]
    [InlineData(1, new byte[] { 0 }, false)]
    [InlineData(1, new byte[] { 1, 3 }, false)]
    [InlineData(2, new byte[] { 0, 2, 0, 0x1D }, true)]
    [InlineData(2, new byte[] { 0, 0 }, false)]
    [InlineData(2, new byte[] { 0, 3, 0, 0x1D, 0 }, false)]
    [InlineData(2, new byte[] { 0, 2, 0, 0x1D, 0 }, false)]
    public void U16_lists_need_at_least_one_element(int prefix, byte[] data, bool parses)
    {
        // supported_versions<2..254>, named_group_list<2..2^16-1>, supported_signature_algorithms<2..2^16-2>.
        Assert.Equal(parses, ExtensionBlock.TryReadU16List(data, prefix, out _));
    }

    [Theory]
    [InlineData(new byte[] { 1, 0 }, true, true)]
    [InlineData(new byte[] { 2, 1, 0 }, true, true)]
    [InlineData(new byte[] { 1, 1 }, true, false)]
    [InlineData(new byte[0], false, false)]
    [InlineData(new byte[] { 0 }, false, false)]
    [InlineData(new byte[] { 2, 0 }, false, false)]
    [InlineData(new byte[] { 1, 0, 0 }, false, false)]
    public void Ec_point_formats_is_a_non_empty_one_byte_list(byte[] data, bool parses, bool uncompressed)
    {
        // RFC 8422 §5.1.2: ec_point_format_list<1..2^8-1>.
        Assert.Equal(parses, ExtensionCodecs.TryDecodeEcPointFormats(data, out bool hasUncompressed));
        Assert.Equal(uncompressed, hasUncompressed);
    }

    [Theory]
    [InlineData(new byte[] { 0 }, true, 0)]
    [InlineData(new byte[] { 2, 7, 7 }, true, 2)]
    [InlineData(new byte[0], false, 0)]
    [InlineData(new byte[] { 0, 0 }, false, 0)]
    [InlineData(new byte[] { 3, 7 }, false, 0)]
    public void Renegotiation_info_is_one_vector_of_up_to_255_bytes(byte[] data, bool parses, int length)
    {
        // RFC 5746 §3.2: renegotiated_connection<0..255>.
        Assert.Equal(parses, ExtensionCodecs.TryDecodeRenegotiationInfo(data, out int renegotiated));
        Assert.Equal(length, renegotiated);
    }

    [Theory]
    [InlineData(new byte[] { 1, 1 }, true, false, true)]
    [InlineData(new byte[] { 2, 0, 1 }, true, true, true)]
    [InlineData(new byte[] { 1, 7 }, true, false, false)]
    [InlineData(new byte[] { 0 }, false, false, false)]
    [InlineData(new byte[0], false, false, false)]
    [InlineData(new byte[] { 1, 1, 1 }, false, false, false)]
    public void Psk_key_exchange_modes_is_a_non_empty_one_byte_list(byte[] data, bool parses, bool pskOnly, bool withKeyExchange)
    {
        // RFC 8446 §4.2.9: ke_modes<1..255>; unknown modes are ignored.
        Assert.Equal(parses, ExtensionCodecs.TryDecodePskModes(data, out bool psk, out bool dhe));
        Assert.Equal(pskOnly, psk);
        Assert.Equal(withKeyExchange, dhe);
    }

    [Theory]
    [InlineData(new byte[] { 0, 3, 0, 1, 0x30 }, 3, true)]
    [InlineData(new byte[] { 0, 0 }, 3, false)]
    [InlineData(new byte[] { 0, 0 }, 0, true)]
    [InlineData(new byte[] { 0, 2, 0, 0 }, 0, false)]
    [InlineData(new byte[] { 0, 3, 0, 2, 0x30 }, 0, false)]
    public void Certificate_authorities_hold_non_empty_names(byte[] data, int minimum, bool parses)
    {
        // RFC 8446 §4.2.4: authorities<3..2^16-1> of DistinguishedName<1..2^16-1>; RFC 5246 §7.4.4 allows an empty list.
        Assert.Equal(parses, ExtensionCodecs.IsValidAuthorities(data, minimum));
    }

    [Fact]
    public void Server_name_refuses_a_second_host_name_and_an_empty_one()
    {
        // RFC 6066 §3: HostName<1..2^16-1>, one name per type; names of unknown types are skipped.
        Assert.True(ExtensionCodecs.TryDecodeServerName(new byte[] { 0, 8, 0, 0, 1, 0x61, 9, 0, 1, 0x62 }, out string? name));
        Assert.Equal("a", name);
        Assert.False(ExtensionCodecs.TryDecodeServerName(new byte[] { 0, 8, 0, 0, 1, 0x61, 0, 0, 1, 0x62 }, out _));
        Assert.False(ExtensionCodecs.TryDecodeServerName(new byte[] { 0, 3, 0, 0, 0 }, out _));
    }

    [Fact]
    public void Client_key_shares_may_be_empty_but_no_key_may_be()
    {
        // RFC 8446 §4.2.8: client_shares<0..2^16-1>, key_exchange<1..2^16-1>.
        Assert.True(ExtensionCodecs.TryDecodeClientKeyShares(new byte[] { 0, 0 }, out var none) && none.Count == 0);
        Assert.False(ExtensionCodecs.TryDecodeClientKeyShares(new byte[] { 0, 4, 0, 0x1D, 0, 0 }, out _));
        Assert.False(ExtensionCodecs.TryDecodeServerKeyShare(new byte[] { 0, 0x1D, 0, 0 }, out _));
    }

    [Fact]
    public void Cookie_and_alpn_need_content()
    {
        // RFC 8446 §4.2.2: cookie<1..2^16-1>; RFC 7301 §3.1: ProtocolName<1..2^8-1> in a list of <2..2^16-1>.
        Assert.False(ExtensionCodecs.TryDecodeCookie(new byte[] { 0, 0 }, out _));
        Assert.True(ExtensionCodecs.TryDecodeCookie(new byte[] { 0, 1, 9 }, out _));
        Assert.False(ExtensionCodecs.TryDecodeAlpn(new byte[] { 0, 0 }, out _));
        Assert.False(ExtensionCodecs.TryDecodeAlpn(new byte[] { 0, 1, 0 }, out _));
    }

    [Fact]
    public void Pre_shared_key_needs_an_identity_and_a_binder_of_at_least_32_bytes()
    {
        // RFC 8446 §4.2.11: identities<7..2^16-1>, identity<1..2^16-1>, binders<33..2^16-1> of PskBinderEntry<32..255>.
        byte[] good = PreSharedKeyOffer.EncodeSingle(new byte[] { 1 }, 0, 32);
        Assert.NotNull(PreSharedKeyOffer.TryParse(good));
        Assert.Null(PreSharedKeyOffer.TryParse(PreSharedKeyOffer.EncodeSingle(new byte[] { 1 }, 0, 31)));
        Assert.Null(PreSharedKeyOffer.TryParse(PreSharedKeyOffer.EncodeSingle(Array.Empty<byte>(), 0, 32)));
        Assert.Null(PreSharedKeyOffer.TryParse(new byte[] { 0, 0 }.Concat(good.AsSpan(2 + 1 + 4 + 2).ToArray()).ToArray()));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 }, false)]
    [InlineData(new byte[] { 0, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3 }, true)]
    [InlineData(new byte[] { 0, 0, 6, 0, 13, 0, 2, 0, 0 }, false)]
    [InlineData(new byte[] { 0, 0, 4, 0x77, 0x77, 0, 0 }, true)]
    public void Tls13_certificate_request_needs_extensions_and_a_non_empty_scheme_list(byte[] body, bool parses)
    {
        // RFC 8446 §4.3.2: extensions<2..2^16-1>; signature_algorithms, when present, must decode (its absence is the state's missing_extension).
        CertificateRequestMessage? request = CertificateRequestMessage.TryParse(body);
        Assert.Equal(parses, request != null);
    }

    [Theory]
    [InlineData(new byte[] { 1, 64, 0, 2, 4, 3, 0, 0 }, true)]
    [InlineData(new byte[] { 0, 0, 2, 4, 3, 0, 0 }, false)]
    [InlineData(new byte[] { 1, 64, 0, 0, 0, 0 }, false)]
    [InlineData(new byte[] { 1, 64, 0, 2, 4, 3, 0, 2, 0, 0 }, false)]
    [InlineData(new byte[] { 1, 64, 0, 2, 4, 3, 0, 3, 0, 1, 0x30 }, true)]
    public void Tls12_certificate_request_bounds(byte[] body, bool parses)
    {
        // RFC 5246 §7.4.4: certificate_types<1..2^8-1>, supported_signature_algorithms<2..2^16-2>, DistinguishedName<1..2^16-1>.
        Assert.Equal(parses, Tls12CertificateRequestMessage.TryParse(body) != null);
    }

    [Fact]
    public void New_session_ticket_extensions_stop_at_2_pow_16_minus_2()
    {
        // RFC 8446 §4.6.1: Extension extensions<0..2^16-2>.
        byte[] head = { 0, 0, 0, 60, 0, 0, 0, 1, 0, 0, 1, 7 };
        byte[] fits = head.Concat(new byte[] { 0xFF, 0xFE, 0x77, 0x77, 0xFF, 0xFA }).Concat(new byte[0xFFFA]).ToArray();
        byte[] over = head.Concat(new byte[] { 0xFF, 0xFF, 0x77, 0x77, 0xFF, 0xFB }).Concat(new byte[0xFFFB]).ToArray();
        Assert.NotNull(NewSessionTicketMessage.TryParse(fits));
        Assert.Null(NewSessionTicketMessage.TryParse(over));
    }

    [Fact]
    public void Certificate_entries_report_extensions()
    {
        byte[] withExtension = { 0, 0, 0, 10, 0, 0, 1, 0x30, 0, 4, 0, 18, 0, 0 };
        byte[] without = { 0, 0, 0, 6, 0, 0, 1, 0x30, 0, 0 };
        Assert.True(CertificateMessage.TryParse(withExtension)!.HasEntryExtensions);
        Assert.False(CertificateMessage.TryParse(without)!.HasEntryExtensions);
    }

    [Fact]
    public void Finished_length_is_checked_against_verify_data()
    {
        Assert.True(FinishedMessage.HasLength(new byte[32], 32));
        Assert.False(FinishedMessage.HasLength(new byte[31], 32));
        Assert.False(FinishedMessage.HasLength(new byte[13], 12));
    }

    [Fact]
    public void Largest_client_hello_parses()
    {
        var hello = new ClientHello
        {
            LegacySessionId = new byte[32],
            CipherSuites = Enumerable.Range(0, 32767).Select(i => (ushort)i).ToList(),
            CompressionMethods = Enumerable.Range(0, 255).Select(i => (byte)i).ToArray(),
            Extensions = { new Extension(21, new byte[65531]) },
        };
        byte[] encoded = hello.Encode();
        Assert.Equal(ClientHello.MaxBodyLength, encoded.Length - 4);
        Assert.NotNull(ClientHello.TryParse(encoded.AsSpan(4)));
    }
}
