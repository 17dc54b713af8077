using TlsEngine;
using TlsEngine.Fuzz;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// A client reading the server's extensions: in a crafted TLS 1.2 ServerHello, and in the TLS 1.3
/// server's encrypted flight, edited on the wire and re-encrypted under the server's handshake keys
/// (from its key log). Each case checks the reason and the alert the server receives.
/// </summary>
public class ServerExtensionTests
{
    private static readonly byte[] Tls12Random = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static void AssertClientRefuses(TlsConnection client, TlsStatus status, TlsFailureReason reason, TlsAlertDescription alert)
    {
        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(reason, client.LastError!.Reason);
        Assert.Equal(alert, client.LastError.Alert);
        Assert.True(client.LastError.AlertSent);
        Assert.Equal((byte)alert, Wire.PlaintextAlert(client.Outbound.ReadAll()));
    }

    /// <summary>A TLS 1.2 ServerHello to the engine's client, with <paramref name="first"/> as its first extension.</summary>
    private static (TlsConnection Client, TlsStatus Status) ClientGetsTls12ServerHello(Extension first)
    {
        var client = TlsConnection.CreateClient(Engines.Client());
        client.Connect();
        client.Outbound.ReadAll();
        var hello = new ServerHello
        {
            Random = Tls12Random,
            CipherSuite = (ushort)TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            Extensions =
            {
                first,
                new Extension(ExtensionType.RenegotiationInfo, new byte[] { 0 }),
                new Extension(ExtensionType.ExtendedMasterSecret, Array.Empty<byte>()),
            },
        };
        hello.Extensions.RemoveAll(e => e != first && e.Type == first.Type);
        byte[] encoded = hello.Encode();
        client.Inbound.Write(Wire.Record(22, encoded));
        return (client, client.Connect());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 3, 0 })]
    public void Tls12_client_answers_a_malformed_ec_point_formats_with_decode_error(byte[] data)
    {
        // The fuzzing finding: an empty extension_data used to throw inside ServerHello processing.
        (TlsConnection client, TlsStatus status) = ClientGetsTls12ServerHello(new Extension(ExtensionType.EcPointFormats, data));
        using (client)
        {
            AssertClientRefuses(client, status, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
        }
    }

    [Fact]
    public void Tls12_client_refuses_point_formats_without_uncompressed_with_illegal_parameter()
    {
        (TlsConnection client, TlsStatus status) = ClientGetsTls12ServerHello(new Extension(ExtensionType.EcPointFormats, new byte[] { 2, 1, 2 }));
        using (client)
        {
            AssertClientRefuses(client, status, TlsFailureReason.UncompressedPointsRefused, TlsAlertDescription.IllegalParameter);
        }
    }

    [Theory]
    [InlineData(new byte[0], TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError)]
    [InlineData(new byte[] { 3, 0 }, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError)]
    [InlineData(new byte[] { 1, 9 }, TlsFailureReason.InsecureTls12Peer, TlsAlertDescription.HandshakeFailure)]
    public void Tls12_client_checks_renegotiation_info_encoding_then_value(byte[] data, TlsFailureReason reason, TlsAlertDescription alert)
    {
        (TlsConnection client, TlsStatus status) = ClientGetsTls12ServerHello(new Extension(ExtensionType.RenegotiationInfo, data));
        using (client)
        {
            AssertClientRefuses(client, status, reason, alert);
        }
    }

    [Fact]
    public void Client_answers_a_malformed_supported_versions_in_server_hello_with_decode_error()
    {
        (TlsConnection client, TlsStatus status) = ClientGetsTls12ServerHello(new Extension(ExtensionType.SupportedVersions, new byte[] { 3 }));
        using (client)
        {
            AssertClientRefuses(client, status, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
        }
    }

    public static IEnumerable<object[]> EncryptedFlightEdits()
    {
        // (name, message type, edit of that message, reason, alert)
        yield return Row("non-empty server_name acknowledgement", HandshakeType.EncryptedExtensions, m => Put(m, ExtensionType.ServerName, new byte[] { 0 }), TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
        yield return Row("empty ALPN list", HandshakeType.EncryptedExtensions, m => Put(m, ExtensionType.Alpn, new byte[] { 0, 0 }), TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
        yield return Row("repeated extension", HandshakeType.EncryptedExtensions, m => Add(Add(m, 0x7777, Array.Empty<byte>()), 0x7777, Array.Empty<byte>()), TlsFailureReason.DuplicateExtension, TlsAlertDescription.IllegalParameter);
        yield return Row("empty CertificateRequest signature_algorithms", HandshakeType.CertificateRequest, m => ExtensionMutator.Edit(m, ExtensionType.SignatureAlgorithms, _ => new byte[] { 0, 0 })!, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
        yield return Row("CertificateRequest without signature_algorithms", HandshakeType.CertificateRequest, m => Add(ExtensionMutator.Edit(m, ExtensionType.SignatureAlgorithms, _ => null)!, 0x7777, Array.Empty<byte>()), TlsFailureReason.MissingExtension, TlsAlertDescription.MissingExtension);
        yield return Row("CertificateRequest with an empty extensions block (<2..2^16-1>)", HandshakeType.CertificateRequest, m => RecordedFlight.Message(13, new byte[] { 0, 0, 0 }), TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
        yield return Row("certificate_authorities with an empty name", HandshakeType.CertificateRequest, m => Put(m, ExtensionType.CertificateAuthorities, new byte[] { 0, 2, 0, 0 }), TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
        yield return Row("unrequested extension in a CertificateEntry", HandshakeType.Certificate, m => Add(m, 18, new byte[] { 0, 0 }), TlsFailureReason.UnsupportedExtension, TlsAlertDescription.UnsupportedExtension);
    }

    [Theory]
    [MemberData(nameof(EncryptedFlightEdits))]
    public void Client_judges_the_extensions_of_the_encrypted_server_flight(string name, byte type, Func<byte[], byte[]> edit, TlsFailureReason reason, TlsAlertDescription alert)
    {
        _ = name;
        var keyLog = new List<string>();
        TlsServerOptions server = Engines.Server();
        server.KeyLog = keyLog.Add;
        server.ClientCertificateMode = TlsClientCertificateMode.Request;
        server.ClientCertificateTrustAnchors = TestPki.Roots;
        TlsClientOptions client = Engines.Client();
        client.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256 };
        client.ApplicationProtocols = new List<string> { "h2" };
        using TlsPair pair = Engines.Pair(client, server);
        bool edited = false;
        pair.Tamper = (fromClient, chunk) =>
        {
            string? secret = keyLog.LastOrDefault(l => l.StartsWith("SERVER_HANDSHAKE_TRAFFIC_SECRET ", StringComparison.Ordinal));
            if (fromClient || edited || secret == null)
            {
                return chunk;
            }

            RecordedFlight flight = RecordedFlight.Parse(chunk, RecordCipher.Tls13(TlsCipherSuite.TLS_AES_128_GCM_SHA256, Convert.FromHexString(secret.Split(' ')[2])));
            int index = flight.Messages.ToList().FindIndex(m => m.Protected && m.Message[0] == type);
            Assert.True(index >= 0, $"no message {type} in the server's flight");
            flight.Replace(index, edit(flight.Messages[index].Message));
            edited = true;
            return flight.Encode();
        };
        Assert.False(pair.Handshake());
        Assert.Equal(reason, pair.Client.LastError!.Reason);
        Assert.Equal(alert, pair.Client.LastError.Alert);
        Assert.True(pair.Client.LastError.AlertSent);
        // The alert went out under the client's handshake keys, which the server can read.
        Assert.Equal(TlsErrorKind.PeerAlert, pair.Server.LastError!.Kind);
        Assert.Equal(alert, pair.Server.LastError.Alert);
    }

    /// <summary>Sets an extension's body, appending the extension when the message has none of that type.</summary>
    private static byte[] Put(byte[] message, ushort type, byte[] data) =>
        ExtensionMutator.Edit(message, type, _ => data) ?? ExtensionMutator.Append(message, type, data)!;

    private static byte[] Add(byte[] message, ushort type, byte[] data) => ExtensionMutator.Append(message, type, data)!;

    private static object[] Row(string name, byte type, Func<byte[], byte[]> edit, TlsFailureReason reason, TlsAlertDescription alert) =>
        new object[] { name, type, edit, reason, alert };
}
