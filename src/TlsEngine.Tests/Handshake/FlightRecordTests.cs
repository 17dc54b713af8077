using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>The messages of one encrypted flight share records (RFC 8446 §5.1): one seal and one open per flight.</summary>
public class FlightRecordTests
{
    private static (TlsPair Pair, List<string> KeyLog) Connect(TlsClientOptions client, TlsServerOptions server)
    {
        var keyLog = new List<string>();
        client.KeyLog = keyLog.Add;
        TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        return (pair, keyLog);
    }

    [Fact]
    public void Server_sends_encrypted_extensions_to_finished_in_one_record()
    {
        (TlsPair pair, List<string> keyLog) = Connect(Engines.Client(), Engines.Server());
        using (pair)
        {
            byte[] secret = ProtectedWire.Secret(keyLog, "SERVER_HANDSHAKE_TRAFFIC_SECRET");
            Assert.Single(ProtectedWire.Open(pair.ServerToClient, secret));
            // EncryptedExtensions, Certificate, CertificateVerify, Finished.
            Assert.Equal(new byte[] { 8, 11, 15, 20 }, ProtectedWire.HandshakeTypes(pair.ServerToClient, secret));
        }
    }

    [Fact]
    public void Client_sends_certificate_certificate_verify_and_finished_in_one_record()
    {
        TlsClientOptions client = Engines.Client();
        client.ClientCertificate = TestPki.Credential("ecdsa-p256");
        TlsServerOptions server = Engines.Server();
        server.ClientCertificateMode = TlsClientCertificateMode.Require;
        server.ClientCertificateTrustAnchors = TestPki.Roots;
        (TlsPair pair, List<string> keyLog) = Connect(client, server);
        using (pair)
        {
            Assert.NotEmpty(pair.Server.PeerCertificates);
            byte[] secret = ProtectedWire.Secret(keyLog, "CLIENT_HANDSHAKE_TRAFFIC_SECRET");
            Assert.Single(ProtectedWire.Open(pair.ClientToServer, secret));
            Assert.Equal(new byte[] { 11, 15, 20 }, ProtectedWire.HandshakeTypes(pair.ClientToServer, secret));
        }
    }

    [Fact]
    public void Server_sends_its_session_tickets_in_one_record()
    {
        TlsServerOptions server = Engines.Server();
        server.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(9), new FixedTimeProvider(Engines.Now));
        server.TicketsPerConnection = 3;
        (TlsPair pair, List<string> keyLog) = Connect(Engines.Client(), server);
        using (pair)
        {
            pair.Pump();
            byte[] secret = ProtectedWire.Secret(keyLog, "SERVER_TRAFFIC_SECRET_0");
            var records = ProtectedWire.Open(pair.ServerToClient, secret);
            Assert.Single(records);
            Assert.Equal(new byte[] { 4, 4, 4 }, ProtectedWire.HandshakeTypes(pair.ServerToClient, secret));
        }
    }

    [Fact]
    public void Session_tickets_alone_are_not_an_urgent_flight()
    {
        TlsServerOptions options = Engines.Server();
        options.SessionTicketKeys = new TlsSessionTicketKeys(TlsRandom.FromSeed(9), new FixedTimeProvider(Engines.Now));
        options.TicketsPerConnection = 2;
        using var client = TlsConnection.CreateClient(Engines.Client());
        using var server = TlsConnection.CreateServer(options);
        client.Connect();
        server.Inbound.Write(client.Outbound.ReadAll());
        server.Accept();
        client.Inbound.Write(server.Outbound.ReadAll());
        client.Connect();
        server.Inbound.Write(client.Outbound.ReadAll());
        server.Accept();
        Assert.True(server.IsHandshakeComplete, server.LastError?.ToString());
        // The client does not wait for tickets (RFC 8446 §4.6.1): a host may batch them with data.
        Assert.True(server.Outbound.Length > 0);
        Assert.False(server.OutboundHoldsFlight);
    }

    [Fact]
    public void Server_sends_what_is_ready_before_the_host_signs_and_the_rest_under_the_same_keys()
    {
        var keyLog = new List<string>();
        TlsClientOptions clientOptions = Engines.Client();
        clientOptions.KeyLog = keyLog.Add;
        TlsServerOptions serverOptions = Engines.Server();
        serverOptions.Certificate = TlsCertificateCredential.FromPemChain(File.ReadAllText(TestPki.CertPath("ecdsa-p256")));
        serverOptions.DelegatePrivateKeyOperations = true;
        using var client = TlsConnection.CreateClient(clientOptions);
        using var server = TlsConnection.CreateServer(serverOptions);
        client.Connect();
        server.Inbound.Write(client.Outbound.ReadAll());
        Assert.Equal(TlsStatus.WantPrivateKeyOperation, server.Accept());
        var wire = new List<byte>(server.Outbound.ReadAll());
        TlsPrivateKeyOperation operation = server.PendingPrivateKeyOperation!;
        using (var ecdsa = System.Security.Cryptography.ECDsa.Create())
        {
            ecdsa.ImportFromPem(File.ReadAllText(TestPki.KeyPath("ecdsa-p256")));
            server.CompletePrivateKeyOperation(ecdsa.SignData(operation.Data, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence));
        }

        server.Accept();
        wire.AddRange(server.Outbound.ReadAll());
        client.Inbound.Write(wire.ToArray());
        client.Connect();
        Assert.True(client.IsHandshakeComplete, client.LastError?.ToString());
        byte[] secret = ProtectedWire.Secret(keyLog, "SERVER_HANDSHAKE_TRAFFIC_SECRET");
        // EncryptedExtensions and Certificate while the host signs; CertificateVerify and Finished after.
        Assert.Equal(2, ProtectedWire.Open(wire, secret).Count);
        Assert.Equal(new byte[] { 8, 11, 15, 20 }, ProtectedWire.HandshakeTypes(wire, secret));
    }
}
