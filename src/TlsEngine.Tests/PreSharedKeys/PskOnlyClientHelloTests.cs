using TlsEngine;
using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.Messages;
using TlsEngine.Tests.Support;
using PskBinder = TlsEngine.Handshake.Resumption;
using Xunit;
using static TlsEngine.Tests.PreSharedKeys.PskTestPeers;

namespace TlsEngine.Tests.PreSharedKeys;

/// <summary>
/// ClientHellos of constrained PSK clients (RFC 8446 §9.2): with a pre_shared_key, signature_algorithms
/// and supported_groups may be left out, and key_share with them; the pairing of the two stays required.
/// </summary>
public class PskOnlyClientHelloTests
{
    /// <summary>The engine client's PSK hello with <paramref name="drop"/> removed and the binder made again over what is left.</summary>
    private static byte[] EditedHello(TlsPskKeyExchangeModes modes, params ushort[] drop)
    {
        TlsClientOptions options = Client(Psk());
        options.PskKeyExchangeModes = modes;
        using var client = TlsConnection.CreateClient(options);
        client.Connect();
        ClientHello hello = ClientHello.TryParse(client.Outbound.ReadAll().AsSpan(9))!;
        hello.Extensions.RemoveAll(e => drop.Contains(e.Type));
        byte[] encoded = hello.Encode();
        PreSharedKeyOffer offer = PreSharedKeyOffer.TryParse(hello.Extensions[^1].Data)!;
        int bindersStart = encoded.Length - offer.BindersLength;
        byte[] truncatedHash = System.Security.Cryptography.SHA256.HashData(encoded.AsSpan(0, bindersStart));
        PskBinder.Binder(CryptoProviders.Default, HashAlgorithmId.Sha256, Key, truncatedHash, external: true).CopyTo(encoded, bindersStart + 3);
        return encoded;
    }

    private static TlsConnection ServerGiven(byte[] hello, TlsPskKeyExchangeModes modes)
    {
        TlsServerOptions options = Server(Psk());
        options.PskKeyExchangeModes = modes;
        var server = TlsConnection.CreateServer(options);
        server.Inbound.Write(Wire.Record(22, hello));
        server.Accept();
        return server;
    }

    [Fact]
    public void Server_takes_a_psk_ke_hello_without_groups_key_share_or_signature_algorithms()
    {
        byte[] hello = EditedHello(TlsPskKeyExchangeModes.WithoutKeyExchange, ExtensionType.SupportedGroups, ExtensionType.KeyShare, ExtensionType.SignatureAlgorithms);
        using TlsConnection server = ServerGiven(hello, TlsPskKeyExchangeModes.Both);
        Assert.Null(server.LastError);
        (byte type, byte[] payload) = Wire.Records(server.Outbound.ReadAll())[0];
        Assert.Equal(22, type);
        ServerHello answer = ServerHello.TryParse(payload.AsSpan(4))!;
        Assert.Equal(new byte[] { 0, 0 }, answer.Find(ExtensionType.PreSharedKey)!.Data);
        Assert.Null(answer.Find(ExtensionType.KeyShare));
    }

    [Fact]
    public void Server_allowing_only_psk_dhe_ke_refuses_a_hello_without_key_share_with_handshake_failure()
    {
        // The client offers psk_dhe_ke alone but no key share: no mode is usable, and without a PSK no group either.
        byte[] hello = EditedHello(TlsPskKeyExchangeModes.Both, ExtensionType.SupportedGroups, ExtensionType.KeyShare);
        using TlsConnection server = ServerGiven(hello, TlsPskKeyExchangeModes.WithKeyExchange);
        AssertPlaintextAlert(server, server.Outbound.ReadAll(), TlsFailureReason.NoAcceptablePsk, TlsAlertDescription.HandshakeFailure);
    }

    [Theory]
    [InlineData(ExtensionType.SupportedGroups)]
    [InlineData(ExtensionType.KeyShare)]
    public void Server_refuses_a_psk_hello_with_only_one_of_supported_groups_and_key_share_with_missing_extension(ushort dropped)
    {
        byte[] hello = EditedHello(TlsPskKeyExchangeModes.WithoutKeyExchange, dropped);
        using TlsConnection server = ServerGiven(hello, TlsPskKeyExchangeModes.Both);
        AssertPlaintextAlert(server, server.Outbound.ReadAll(), TlsFailureReason.MissingExtension, TlsAlertDescription.MissingExtension);
    }
}
