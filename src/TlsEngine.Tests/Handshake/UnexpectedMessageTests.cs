using TlsEngine;
using TlsEngine.Crypto;
using TlsEngine.Handshake;
using TlsEngine.Handshake.Client;
using TlsEngine.Handshake.Client.Tls12;
using TlsEngine.Handshake.Server;
using TlsEngine.Handshake.Server.Tls12;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>Every handshake state refuses every message type it does not expect with unexpected_message (RFC 8446 §6.2).</summary>
public class UnexpectedMessageTests
{
    private static HandshakeStage Stage() => new(new Hkdf(CryptoProviders.Default, HashAlgorithmId.Sha256), new byte[32]);

    private static MasterStage Master() => new(new Hkdf(CryptoProviders.Default, HashAlgorithmId.Sha256), new byte[32]);

    private static readonly byte[] AllTypes = { 0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 15, 16, 20, 24, 99 };

    private static HandshakeContext Context(bool server) =>
        new(OptionSnapshots.Of(server ? Engines.Server() : Engines.Client()), server, new TlsBuffer(65536), CryptoProviders.Default);

    public static IEnumerable<object[]> States()
    {
        ClientConfig client = OptionSnapshots.Client(Engines.Client());
        ServerConfig server = OptionSnapshots.Server(Engines.Server());
        ICertificate leaf = TestPki.Credential().Chain[0];
        CipherSuiteInfo suite12 = CipherSuiteInfo.Get(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
        var hello = new ClientHello();
        Func<HandshakeState> flight = () => new ExpectServerHello(new ClientHelloFlight(client));
        yield return Row("client ExpectServerHello", false, flight, 2);
        yield return Row("client ExpectEncryptedExtensions", false, () => new ExpectEncryptedExtensions(hello, client, false, false, Stage()), 8);
        yield return Row("client ExpectCertificate", false, () => new ExpectCertificate(client, Stage()), 11, 13);
        yield return Row("client ExpectCertificateVerify", false, () => new ExpectCertificateVerify(client, leaf, null, Stage()), 15);
        yield return Row("client ExpectFinished", false, () => new ExpectFinished(client, null, Stage()), 20);
        yield return Row("client Connected", false, () => new Connected(), 4, 24);
        yield return Row("client ExpectCertificate12", false, () => new ExpectCertificate12(client, suite12, true), 11);
        yield return Row("client ExpectServerKeyExchange12", false, () => new ExpectServerKeyExchange12(client, leaf, true), 12);
        yield return Row("client ExpectServerHelloDone12", false, () => new ExpectServerHelloDone12(client, CryptoProviders.Default.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.FromSeed(1)), new byte[32], true), 13, 14);
        yield return Row("client ExpectServerFinished12", false, () => new ExpectServerFinished12(new Tls12KeySchedule(CryptoProviders.Default, suite12), Protection(suite12)));
        yield return Row("client Connected12", false, () => new Connected12(), 0);
        yield return Row("server ExpectClientHello", true, () => new ExpectClientHello(server), 1);
        yield return Row("server ExpectClientCertificate", true, () => new ExpectClientCertificate(server, Master()), 11);
        yield return Row("server ExpectClientCertificateVerify", true, () => new ExpectClientCertificateVerify(server, leaf, Master()), 15);
        yield return Row("server ExpectEndOfEarlyData", true, () => new ExpectEndOfEarlyData(new ExpectClientFinished(Master())), 5);
        yield return Row("server ExpectClientFinished", true, () => new ExpectClientFinished(Master()), 20);
        yield return Row("server Connected", true, () => new Connected(), 24);
        yield return Row("server ExpectClientKeyExchange12", true, () => new ExpectClientKeyExchange12(CryptoProviders.Default.GenerateKeyShare(TlsNamedGroup.X25519, TlsRandom.FromSeed(1)), true, server, false), 16);
        yield return Row("server ExpectClientFinished12", true, () => new ExpectClientFinished12(new Tls12KeySchedule(CryptoProviders.Default, suite12), Protection(suite12), Protection(suite12), false, false));
        yield return Row("server Connected12", true, () => new Connected12(), 1);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void State_refuses_every_unexpected_message_type(string name, bool server, Func<object> create, byte[] accepted)
    {
        foreach (byte type in AllTypes.Where(t => !accepted.Contains(t)))
        {
            var state = (HandshakeState)create();
            using HandshakeContext context = Context(server);
            var message = new HandshakeMessage(type, new byte[] { type, 0, 0, 0 });
            var failure = Assert.Throws<TlsFailureException>(() => state.Handle(context, message));
            Assert.True(failure.Alert == TlsAlertDescription.UnexpectedMessage, $"{name} answered {HandshakeType.Name(type)} with {failure.Alert}");
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void State_refuses_change_cipher_spec_unless_tls12_expects_it(string name, bool server, Func<object> create, byte[] accepted)
    {
        _ = accepted;
        if (name.Contains("Finished12", StringComparison.Ordinal))
        {
            return;
        }

        using HandshakeContext context = Context(server);
        var failure = Assert.Throws<TlsFailureException>(() => ((HandshakeState)create()).HandleChangeCipherSpec(context));
        Assert.Equal(TlsAlertDescription.UnexpectedMessage, failure.Alert);
    }

    [Fact]
    public void Renegotiation_requests_get_no_renegotiation_in_tls12()
    {
        using HandshakeContext client = Context(server: false);
        Assert.Equal(TlsAlertDescription.NoRenegotiation, Assert.Throws<TlsFailureException>(() => new Connected12().Handle(client, new HandshakeMessage(0, new byte[4]))).Alert);
        using HandshakeContext server = Context(server: true);
        Assert.Equal(TlsAlertDescription.NoRenegotiation, Assert.Throws<TlsFailureException>(() => new Connected12().Handle(server, new HandshakeMessage(1, new byte[4]))).Alert);
    }

    [Fact]
    public void Client_rejects_a_bad_tls13_finished_with_decrypt_error()
    {
        using HandshakeContext context = Context(server: false);
        context.SetSuite(CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256));
        context.Transcript.Add(new byte[] { 1, 0, 0, 0 });
        context.Traffic = new TrafficSecrets(new byte[32], new byte[32]);
        byte[] forged = FinishedMessage.Encode(new byte[32]);
        var failure = Assert.Throws<TlsFailureException>(() => new ExpectFinished(OptionSnapshots.Client(Engines.Client()), null, Stage()).Handle(context, new HandshakeMessage(20, forged)));
        Assert.Equal(TlsAlertDescription.DecryptError, failure.Alert);
    }

    [Fact]
    public void Client_rejects_certificate_verify_with_a_scheme_it_did_not_offer()
    {
        TlsClientOptions options = Engines.Client();
        options.SignatureSchemes = new List<TlsSignatureScheme> { TlsSignatureScheme.EcdsaSecp256r1Sha256 };
        using HandshakeContext context = Context(server: false);
        context.SetSuite(CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256));
        byte[] verify = new CertificateVerifyMessage { Scheme = (ushort)TlsSignatureScheme.EcdsaSecp384r1Sha384, Signature = new byte[8] }.Encode();
        var failure = Assert.Throws<TlsFailureException>(() => new ExpectCertificateVerify(OptionSnapshots.Client(options), TestPki.Credential().Chain[0], null, Stage()).Handle(context, new HandshakeMessage(15, verify)));
        Assert.Equal(TlsAlertDescription.IllegalParameter, failure.Alert);
    }

    private static object[] Row(string name, bool server, Func<HandshakeState> create, params byte[] accepted) => new object[] { name, server, (Func<object>)create, accepted };

    private static Tls12TrafficKeys Protection(CipherSuiteInfo suite) => new(new byte[suite.KeyLength], new byte[suite.Tls12FixedIvLength]);
}
