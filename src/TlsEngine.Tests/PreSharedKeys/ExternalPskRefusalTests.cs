using System.Security.Cryptography;
using TlsEngine;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using Xunit;
using static TlsEngine.Tests.PreSharedKeys.PskTestPeers;

namespace TlsEngine.Tests.PreSharedKeys;

/// <summary>External PSK handshakes that must fail, each with its reason and the alert on the wire.</summary>
public class ExternalPskRefusalTests
{
    [Fact]
    public void Server_without_certificate_refuses_an_unknown_identity_with_handshake_failure()
    {
        // RFC 8446 §4.2.11: an unknown identity is ignored; with nothing else to authenticate with, the handshake fails.
        using TlsPair pair = Engines.Pair(Client(Psk("stranger")), Server(Psk()));
        Assert.False(pair.Handshake());
        AssertPlaintextAlert(pair.Server, pair.ServerToClient, TlsFailureReason.NoAcceptablePsk, TlsAlertDescription.HandshakeFailure);
    }

    [Fact]
    public void Server_refuses_a_binder_made_with_another_key_with_decrypt_error()
    {
        using TlsPair pair = Engines.Pair(Client(Psk(key: new byte[32])), Server(Psk()));
        Assert.False(pair.Handshake());
        AssertPlaintextAlert(pair.Server, pair.ServerToClient, TlsFailureReason.BadPskBinder, TlsAlertDescription.DecryptError);
    }

    [Fact]
    public void Server_refuses_a_binder_whose_length_is_not_its_psk_hash_with_illegal_parameter()
    {
        // The client holds the identity as a SHA-384 key (48-byte binder); the server as SHA-256.
        using TlsPair pair = Engines.Pair(Client(Psk(hash: HashAlgorithmName.SHA384)), Server(Psk()));
        Assert.False(pair.Handshake());
        AssertPlaintextAlert(pair.Server, pair.ServerToClient, TlsFailureReason.InvalidPskBinderLength, TlsAlertDescription.IllegalParameter);
    }

    [Fact]
    public void Server_refuses_more_binders_than_identities_with_decode_error()
    {
        using var client = TlsConnection.CreateClient(Client(Psk()));
        client.Connect();
        byte[] record = client.Outbound.ReadAll();
        ClientHello hello = ClientHello.TryParse(record.AsSpan(9))!;
        Extension psk = hello.Extensions[^1];
        PreSharedKeyOffer offer = PreSharedKeyOffer.TryParse(psk.Data)!;
        // Keep the one identity and send two binders.
        byte[] identities = psk.Data.AsSpan(0, psk.Data.Length - offer.BindersLength).ToArray();
        byte[] binders = new byte[] { 0, 66, 32 }.Concat(new byte[32]).Concat(new byte[] { 32 }).Concat(new byte[32]).ToArray();
        hello.Extensions[^1] = new Extension(ExtensionType.PreSharedKey, identities.Concat(binders).ToArray());

        using var server = TlsConnection.CreateServer(Server(Psk()));
        server.Inbound.Write(Wire.Record(22, hello.Encode()));
        Assert.Equal(TlsStatus.Failed, server.Accept());
        AssertPlaintextAlert(server, server.Outbound.ReadAll(), TlsFailureReason.MalformedMessage, TlsAlertDescription.DecodeError);
    }

    [Fact]
    public void Server_allowing_only_psk_dhe_ke_ignores_a_psk_ke_offer()
    {
        TlsClientOptions client = Client(Psk());
        client.PskKeyExchangeModes = TlsPskKeyExchangeModes.WithoutKeyExchange;
        using TlsPair pair = Engines.Pair(client, Server(Psk()));
        Assert.False(pair.Handshake());
        AssertPlaintextAlert(pair.Server, pair.ServerToClient, TlsFailureReason.NoAcceptablePsk, TlsAlertDescription.HandshakeFailure);
    }

    [Fact]
    public void Server_allowing_only_psk_dhe_ke_answers_a_psk_ke_offer_with_its_certificate()
    {
        TlsClientOptions client = Client(Psk());
        client.ServerName = "localhost";
        client.PskKeyExchangeModes = TlsPskKeyExchangeModes.WithoutKeyExchange;
        TlsServerOptions server = Engines.Server();
        server.ExternalPsks = new List<TlsExternalPsk> { Psk() };
        using TlsPair pair = Connected(client, server);
        Assert.Null(pair.Client.PskIdentity);
        Assert.NotEmpty(pair.Client.PeerCertificates);
    }

    [Fact]
    public void Server_whose_psk_hash_fits_no_suite_the_client_offers_ignores_it()
    {
        // The client offers only SHA-256 suites; the server knows the identity as a SHA-384 key.
        TlsClientOptions client = Client(Psk());
        client.CipherSuites = new List<TlsCipherSuite> { TlsCipherSuite.TLS_AES_128_GCM_SHA256 };
        using TlsPair pair = Engines.Pair(client, Server(Psk(hash: HashAlgorithmName.SHA384)));
        Assert.False(pair.Handshake());
        AssertPlaintextAlert(pair.Server, pair.ServerToClient, TlsFailureReason.NoAcceptablePsk, TlsAlertDescription.HandshakeFailure);
    }

    [Fact]
    public void Client_without_server_name_refuses_a_certificate_handshake()
    {
        // The server knows no PSK and answers with its certificate, which this client has no name to verify.
        using TlsPair pair = Engines.Pair(Client(Psk()), Engines.Server());
        Assert.False(pair.Handshake());
        AssertPlaintextAlert(pair.Client, pair.ClientToServer, TlsFailureReason.NoAcceptablePsk, TlsAlertDescription.HandshakeFailure);
    }

    [Fact]
    public void Tls12_client_gets_handshake_failure_from_a_server_without_certificate()
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = TlsVersion.Tls12;
        using TlsPair pair = Engines.Pair(client, Server(Psk()));
        Assert.False(pair.Handshake());
        AssertPlaintextAlert(pair.Server, pair.ServerToClient, TlsFailureReason.NoAcceptablePsk, TlsAlertDescription.HandshakeFailure);
    }

    [Fact]
    public void Server_lookup_that_throws_ends_the_handshake_with_internal_error()
    {
        TlsServerOptions server = Server();
        server.ExternalPskLookup = _ => throw new InvalidOperationException("store offline");
        using TlsPair pair = Engines.Pair(Client(Psk()), server);
        Assert.False(pair.Handshake());
        AssertPlaintextAlert(pair.Server, pair.ServerToClient, TlsFailureReason.Internal, TlsAlertDescription.InternalError);
    }
}
