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
}
