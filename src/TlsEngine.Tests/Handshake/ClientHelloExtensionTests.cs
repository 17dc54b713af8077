using TlsEngine;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// A server reading ClientHello extensions: a vector below its RFC minimum or with inner lengths that
/// disagree is a decode_error; a well-formed value the protocol forbids is something else. Each case
/// edits one extension of the engine client's real hello and checks the reason and the alert on the wire.
/// </summary>
public class ClientHelloExtensionTests
{
    private static ClientHello CapturedClientHello(bool tls12 = false)
    {
        TlsClientOptions options = Engines.Client();
        if (tls12)
        {
            options.MaxVersion = TlsVersion.Tls12;
        }

        using var client = TlsConnection.CreateClient(options);
        client.Connect();
        byte[] record = client.Outbound.ReadAll();
        return ClientHello.TryParse(record.AsSpan(9))!;
    }

    private static void Set(ClientHello hello, ushort type, byte[] data)
    {
        int index = hello.Extensions.FindIndex(e => e.Type == type);
        Extension extension = new(type, data);
        if (index < 0)
        {
            // Before pre_shared_key, which must stay last.
            int psk = hello.Extensions.FindIndex(e => e.Type == ExtensionType.PreSharedKey);
            hello.Extensions.Insert(psk < 0 ? hello.Extensions.Count : psk, extension);
        }
        else
        {
            hello.Extensions[index] = extension;
        }
    }

    private static void AssertServerRefuses(ClientHello hello, TlsFailureReason reason, TlsAlertDescription alert, TlsServerOptions? options = null)
    {
        byte[] encoded = hello.Encode();
        using var server = TlsConnection.CreateServer(options ?? Engines.Server());
        server.Inbound.Write(new byte[] { 22, 3, 1, (byte)(encoded.Length >> 8), (byte)encoded.Length });
        server.Inbound.Write(encoded);
        Assert.Equal(TlsStatus.Failed, server.Accept());
        Assert.Equal(reason, server.LastError!.Reason);
        Assert.Equal(alert, server.LastError.Alert);
        Assert.True(server.LastError.AlertSent);
        Assert.Equal((byte)alert, Wire.PlaintextAlert(server.Outbound.ReadAll()));
    }

    public static IEnumerable<object[]> MalformedExtensions()
    {
        // (name, type, extension_data): each below its vector's minimum or inconsistent with its own length.
        yield return Row("empty signature_algorithms list (<2..2^16-2>)", ExtensionType.SignatureAlgorithms, 0, 0);
        yield return Row("odd signature_algorithms list", ExtensionType.SignatureAlgorithms, 0, 3, 4, 3, 5);
        yield return Row("empty supported_groups list (<2..2^16-1>)", ExtensionType.SupportedGroups, 0, 0);
        yield return Row("empty supported_versions list (<2..254>)", ExtensionType.SupportedVersions, 0);
        yield return Row("empty key_exchange in a key share (<1..2^16-1>)", ExtensionType.KeyShare, 0, 4, 0, 0x1D, 0, 0);
        yield return Row("empty psk_key_exchange_modes (<1..255>)", ExtensionType.PskKeyExchangeModes, 0);
        yield return Row("psk_key_exchange_modes longer than its length", ExtensionType.PskKeyExchangeModes, 1, 1, 0);
        yield return Row("empty cookie (<1..2^16-1>)", ExtensionType.Cookie, 0, 0);
        yield return Row("early_data with a body", ExtensionType.EarlyData, 0);
        yield return Row("extended_master_secret with a body", ExtensionType.ExtendedMasterSecret, 0);
        yield return Row("empty ec_point_formats extension_data", ExtensionType.EcPointFormats);
        yield return Row("empty ec_point_format_list (<1..2^8-1>)", ExtensionType.EcPointFormats, 0);
        yield return Row("ec_point_formats shorter than its length", ExtensionType.EcPointFormats, 2, 0);
        yield return Row("empty renegotiation_info extension_data", ExtensionType.RenegotiationInfo);
        yield return Row("renegotiation_info longer than its length", ExtensionType.RenegotiationInfo, 0, 0);
        yield return Row("empty server_name list (<1..2^16-1>)", ExtensionType.ServerName, 0, 0);
        yield return Row("two host_names in server_name", ExtensionType.ServerName, 0, 10, 0, 0, 3, 0x61, 0x2E, 0x62, 0, 0, 1, 0x63);
        yield return Row("empty ALPN list (<2..2^16-1>)", ExtensionType.Alpn, 0, 0);
        yield return Row("pre_shared_key with no identities (<7..2^16-1>)", ExtensionType.PreSharedKey, 0, 0, 0, 33, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32);
    }

    [Theory]
    [MemberData(nameof(MalformedExtensions))]
    public void Server_answers_a_malformed_extension_with_decode_error(string name, ushort type, byte[] data)
    {
        _ = name;
        ClientHello hello = CapturedClientHello();
        Set(hello, type, data);
        if (type == ExtensionType.PreSharedKey)
        {
            Set(hello, ExtensionType.PskKeyExchangeModes, new byte[] { 1, 1 });
        }

        AssertServerRefuses(hello, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Server_answers_an_empty_ec_point_formats_with_decode_error_in_either_version(bool tls12)
    {
        // The fuzzing finding: an empty extension_data used to throw inside the TLS 1.2 server flight.
        ClientHello hello = CapturedClientHello(tls12);
        Set(hello, ExtensionType.EcPointFormats, Array.Empty<byte>());
        AssertServerRefuses(hello, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
    }

    [Fact]
    public void Tls12_server_refuses_point_formats_without_uncompressed_with_illegal_parameter()
    {
        // RFC 8422 §5.1.2: ansiX962_compressed_prime only.
        ClientHello hello = CapturedClientHello(tls12: true);
        Set(hello, ExtensionType.EcPointFormats, new byte[] { 1, 1 });
        AssertServerRefuses(hello, TlsFailureReason.UncompressedPointsRefused, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Tls12_server_refuses_a_renegotiated_connection_on_an_initial_handshake_with_handshake_failure()
    {
        // RFC 5746 §3.6: well-formed but not empty.
        ClientHello hello = CapturedClientHello(tls12: true);
        Set(hello, ExtensionType.RenegotiationInfo, new byte[] { 2, 7, 7 });
        AssertServerRefuses(hello, TlsFailureReason.InsecureTls12Peer, TlsAlertDescription.HandshakeFailure);
    }

    [Fact]
    public void Server_names_a_repeated_extension_as_a_duplicate()
    {
        ClientHello hello = CapturedClientHello();
        hello.Extensions.Insert(0, hello.Extensions.First(e => e.Type == ExtensionType.SignatureAlgorithms));
        AssertServerRefuses(hello, TlsFailureReason.DuplicateExtension, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Pre_shared_key_that_is_not_last_is_illegal_even_without_ticket_keys()
    {
        ClientHello hello = CapturedClientHello();
        byte[] offer = PreSharedKeyOffer.EncodeSingle(new byte[] { 1, 2, 3 }, 0, 32);
        hello.Extensions.Insert(0, new Extension(ExtensionType.PreSharedKey, offer));
        AssertServerRefuses(hello, TlsFailureReason.MisplacedExtension, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Pre_shared_key_without_psk_key_exchange_modes_is_a_missing_extension()
    {
        // RFC 8446 §4.2.9.
        ClientHello hello = CapturedClientHello();
        hello.Extensions.RemoveAll(e => e.Type == ExtensionType.PskKeyExchangeModes);
        Set(hello, ExtensionType.PreSharedKey, PreSharedKeyOffer.EncodeSingle(new byte[] { 1, 2, 3 }, 0, 32));
        AssertServerRefuses(hello, TlsFailureReason.MissingExtension, TlsAlertDescription.MissingExtension);
    }

    [Fact]
    public void Empty_client_shares_are_legal_and_get_a_hello_retry_request()
    {
        // RFC 8446 §4.2.8: client_shares<0..2^16-1> may be empty; the server asks for a share.
        ClientHello hello = CapturedClientHello();
        Set(hello, ExtensionType.KeyShare, new byte[] { 0, 0 });
        byte[] encoded = hello.Encode();
        using var server = TlsConnection.CreateServer(Engines.Server());
        server.Inbound.Write(new byte[] { 22, 3, 1, (byte)(encoded.Length >> 8), (byte)encoded.Length });
        server.Inbound.Write(encoded);
        Assert.Equal(TlsStatus.WantWrite, server.Accept());
        Assert.Null(server.LastError);
        Assert.True(server.HelloRetryRequested);
    }

    private static object[] Row(string name, ushort type, params byte[] data) => new object[] { name, type, data };
}
