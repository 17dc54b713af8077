using System.Security.Cryptography;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Hosting;

/// <summary>Certificate validation and private key operations handed to the host without blocking.</summary>
public class HostDecisionTests
{
    private static readonly byte[] Buffer = new byte[65536];

    private static void Move(TlsConnection from, TlsConnection to)
    {
        while (from.Outbound.Length > 0)
        {
            int n = from.Outbound.Read(Buffer);
            to.Inbound.Write(Buffer.AsSpan(0, n));
        }
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Host_overrules_the_built_in_verdict_on_an_untrusted_chain(TlsVersion version)
    {
        TlsClientOptions clientOptions = Engines.Client();
        clientOptions.MaxVersion = version;
        clientOptions.DelegateCertificateValidation = true;
        TlsServerOptions serverOptions = Engines.Server();
        serverOptions.Certificate = TlsCertificateCredential.FromPemFiles(TestPki.PathOf("untrusted.pem"), TestPki.PathOf("untrusted.key.pem"));
        using var client = TlsConnection.CreateClient(clientOptions);
        using var server = TlsConnection.CreateServer(serverOptions);
        client.Connect();
        Move(client, server);
        server.Accept();
        Move(server, client);
        Assert.Equal(TlsStatus.WantCertificateValidation, client.Connect());
        Assert.Equal(TlsStatus.WantCertificateValidation, client.Connect());
        Assert.Equal(TlsAlertDescription.UnknownCa, client.PendingCertificateVerdict!.Alert);
        Assert.NotEmpty(client.PeerCertificates);
        client.CompleteCertificateValidation(accept: true);
        for (int i = 0; i < 5 && !(client.IsHandshakeComplete && server.IsHandshakeComplete); i++)
        {
            client.Connect();
            Move(client, server);
            server.Accept();
            Move(server, client);
        }

        Assert.True(client.IsHandshakeComplete && server.IsHandshakeComplete, $"{client.LastError} {server.LastError}");
    }

    [Fact]
    public void Host_rejection_fails_the_handshake_with_the_chosen_alert()
    {
        TlsClientOptions clientOptions = Engines.Client();
        clientOptions.DelegateCertificateValidation = true;
        using var client = TlsConnection.CreateClient(clientOptions);
        using var server = TlsConnection.CreateServer(Engines.Server());
        client.Connect();
        Move(client, server);
        server.Accept();
        Move(server, client);
        Assert.Equal(TlsStatus.WantCertificateValidation, client.Connect());
        Assert.Null(client.PendingCertificateVerdict);
        client.CompleteCertificateValidation(accept: false, TlsAlertDescription.CertificateRevoked, "pinned key mismatch");
        Assert.Equal(TlsStatus.Failed, client.Connect());
        Assert.Equal(TlsAlertDescription.CertificateRevoked, client.LastError!.Alert);
        Assert.Contains("pinned", client.LastError.Message);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, "ecdsa-p256")]
    [InlineData(TlsVersion.Tls12, "ecdsa-p256")]
    [InlineData(TlsVersion.Tls13, "rsa2048")]
    public void Server_signs_through_the_host_with_a_key_the_engine_never_sees(TlsVersion version, string keyType)
    {
        TlsClientOptions clientOptions = Engines.Client();
        clientOptions.MaxVersion = version;
        TlsServerOptions serverOptions = Engines.Server(keyType);
        serverOptions.Certificate = TlsCertificateCredential.FromPemChain(File.ReadAllText(TestPki.CertPath(keyType)));
        serverOptions.DelegatePrivateKeyOperations = true;
        using var client = TlsConnection.CreateClient(clientOptions);
        using var server = TlsConnection.CreateServer(serverOptions);
        client.Connect();
        Move(client, server);
        Assert.Equal(TlsStatus.WantPrivateKeyOperation, server.Accept());
        TlsPrivateKeyOperation operation = server.PendingPrivateKeyOperation!;
        server.CompletePrivateKeyOperation(ExternalSign(keyType, operation));
        for (int i = 0; i < 5 && !(client.IsHandshakeComplete && server.IsHandshakeComplete); i++)
        {
            server.Accept();
            Move(server, client);
            client.Connect();
            Move(client, server);
        }

        Assert.True(client.IsHandshakeComplete && server.IsHandshakeComplete, $"{client.LastError} {server.LastError}");
        Assert.Throws<InvalidOperationException>(() => server.CompletePrivateKeyOperation(new byte[1]));
    }

    /// <summary>Stands in for an HSM: .NET's own crypto over the PEM key.</summary>
    private static byte[] ExternalSign(string keyType, TlsPrivateKeyOperation operation)
    {
        string pem = File.ReadAllText(TestPki.KeyPath(keyType));
        HashAlgorithmName hash = operation.Scheme.ToString().Contains("384") ? HashAlgorithmName.SHA384 : operation.Scheme.ToString().Contains("512") ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        if (keyType == "rsa2048")
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa.SignData(operation.Data, hash, RSASignaturePadding.Pss);
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return ecdsa.SignData(operation.Data, hash, DSASignatureFormat.Rfc3279DerSequence);
    }
}
