using TlsEngine;
using TlsEngine.Fuzz;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// The peer's record_size_limit (RFC 8449 §4) and max_fragment_length (RFC 6066 §4, RFC 8449 §5):
/// a limit below 64, an undefined fragment length, an answer that does not echo the offer, or both
/// answers at once is illegal_parameter. Each case checks the reason and the alert on the wire.
/// </summary>
public class RecordSizeLimitNegotiationTests
{
    private static readonly byte[] Tls12Random = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static void AssertRefuses(TlsConnection side, TlsStatus status, TlsFailureReason reason, TlsAlertDescription alert)
    {
        Assert.Equal(TlsStatus.Failed, status);
        Assert.Equal(reason, side.LastError!.Reason);
        Assert.Equal(alert, side.LastError.Alert);
        Assert.True(side.LastError.AlertSent);
        Assert.Equal((byte)alert, Wire.PlaintextAlert(side.Outbound.ReadAll()));
    }

    private static TlsClientOptions Offering(int? limit, int? fragment)
    {
        TlsClientOptions options = Engines.Client();
        options.RecordSizeLimit = limit;
        options.MaxFragmentLength = fragment;
        return options;
    }

    private static (TlsConnection Server, TlsStatus Status) ServerGets(TlsClientOptions options, ushort type, byte[] data)
    {
        using var client = TlsConnection.CreateClient(options);
        client.Connect();
        ClientHello hello = ClientHello.TryParse(client.Outbound.ReadAll().AsSpan(9))!;
        int index = hello.Extensions.FindIndex(e => e.Type == type);
        hello.Extensions[index] = new Extension(type, data);
        byte[] encoded = hello.Encode();
        var server = TlsConnection.CreateServer(Engines.Server());
        server.Inbound.Write(Wire.Record(22, encoded));
        return (server, server.Accept());
    }

    private static (TlsConnection Client, TlsStatus Status) Tls12ClientGets(TlsClientOptions options, params Extension[] answers)
    {
        var client = TlsConnection.CreateClient(options);
        client.Connect();
        client.Outbound.ReadAll();
        var hello = new ServerHello
        {
            Random = Tls12Random,
            CipherSuite = (ushort)TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            Extensions =
            {
                new Extension(ExtensionType.RenegotiationInfo, new byte[] { 0 }),
                new Extension(ExtensionType.ExtendedMasterSecret, Array.Empty<byte>()),
            },
        };
        hello.Extensions.AddRange(answers);
        client.Inbound.Write(Wire.Record(22, hello.Encode()));
        return (client, client.Connect());
    }

    [Fact]
    public void Server_refuses_a_client_record_size_limit_below_64()
    {
        (TlsConnection server, TlsStatus status) = ServerGets(Offering(256, null), ExtensionType.RecordSizeLimit, new byte[] { 0, 63 });
        using (server)
        {
            AssertRefuses(server, status, TlsFailureReason.InvalidRecordSizeLimit, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Server_answers_a_record_size_limit_of_the_wrong_length_with_decode_error()
    {
        (TlsConnection server, TlsStatus status) = ServerGets(Offering(256, null), ExtensionType.RecordSizeLimit, new byte[] { 1, 0, 0 });
        using (server)
        {
            AssertRefuses(server, status, TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
        }
    }

    [Fact]
    public void Server_refuses_an_undefined_max_fragment_length()
    {
        (TlsConnection server, TlsStatus status) = ServerGets(Offering(null, 512), ExtensionType.MaxFragmentLength, new byte[] { 9 });
        using (server)
        {
            AssertRefuses(server, status, TlsFailureReason.InvalidMaxFragmentLength, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Tls12_client_refuses_a_server_record_size_limit_below_64()
    {
        (TlsConnection client, TlsStatus status) = Tls12ClientGets(Offering(256, null), new Extension(ExtensionType.RecordSizeLimit, new byte[] { 0, 10 }));
        using (client)
        {
            AssertRefuses(client, status, TlsFailureReason.InvalidRecordSizeLimit, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Tls12_client_refuses_a_max_fragment_length_that_does_not_echo_its_own()
    {
        (TlsConnection client, TlsStatus status) = Tls12ClientGets(Offering(null, 512), new Extension(ExtensionType.MaxFragmentLength, new byte[] { 2 }));
        using (client)
        {
            AssertRefuses(client, status, TlsFailureReason.InvalidMaxFragmentLength, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Tls12_client_refuses_both_answers_at_once()
    {
        (TlsConnection client, TlsStatus status) = Tls12ClientGets(
            Offering(256, 512),
            new Extension(ExtensionType.RecordSizeLimit, new byte[] { 1, 0 }),
            new Extension(ExtensionType.MaxFragmentLength, new byte[] { 1 }));
        using (client)
        {
            AssertRefuses(client, status, TlsFailureReason.InvalidMaxFragmentLength, TlsAlertDescription.IllegalParameter);
        }
    }

    [Fact]
    public void Tls12_client_refuses_a_record_size_limit_it_did_not_offer()
    {
        (TlsConnection client, TlsStatus status) = Tls12ClientGets(Offering(null, null), new Extension(ExtensionType.RecordSizeLimit, new byte[] { 1, 0 }));
        using (client)
        {
            AssertRefuses(client, status, TlsFailureReason.UnsupportedExtension, TlsAlertDescription.UnsupportedExtension);
        }
    }

    public static IEnumerable<object[]> EncryptedExtensionsEdits()
    {
        yield return new object[] { "record_size_limit below 64", ExtensionType.RecordSizeLimit, new byte[] { 0, 63 }, TlsFailureReason.InvalidRecordSizeLimit };
        yield return new object[] { "max_fragment_length not echoed", ExtensionType.MaxFragmentLength, new byte[] { 4 }, TlsFailureReason.InvalidMaxFragmentLength };
    }

    [Theory]
    [MemberData(nameof(EncryptedExtensionsEdits))]
    public void Tls13_client_refuses_illegal_values_in_encrypted_extensions(string name, ushort type, byte[] data, TlsFailureReason reason)
    {
        _ = name;
        var keyLog = new List<string>();
        TlsServerOptions server = Engines.Server();
        server.KeyLog = keyLog.Add;
        TlsClientOptions client = type == ExtensionType.RecordSizeLimit ? Offering(256, null) : Offering(null, 512);
        client.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256 };
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
            int index = flight.Messages.ToList().FindIndex(m => m.Protected && m.Message[0] == HandshakeType.EncryptedExtensions);
            flight.Replace(index, ExtensionMutator.Edit(flight.Messages[index].Message, type, _ => data)!);
            edited = true;
            return flight.Encode();
        };
        Assert.False(pair.Handshake());
        Assert.Equal(reason, pair.Client.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.IllegalParameter, pair.Client.LastError.Alert);
        Assert.True(pair.Client.LastError.AlertSent);
        Assert.Equal(TlsAlertDescription.IllegalParameter, pair.Server.LastError!.Alert);
    }
}
