using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.KeySchedule;

/// <summary>The key schedule against RFC 8448 §3's published intermediate values.</summary>
public class Rfc8448KeyScheduleTests
{
    private static readonly Dictionary<string, byte[]> V = Hex.ReadVectors("rfc8448/simple-1rtt.txt");
    private static readonly Hkdf Hkdf = new(CryptoProviders.Default, HashAlgorithmId.Sha256);

    [Fact]
    public void Early_secret_with_no_psk_matches_rfc8448()
    {
        using var early = new EarlyStage(Hkdf, ReadOnlySpan<byte>.Empty);
        Assert.Equal(Hex.Of(V["early_secret"]), Hex.Of(early.Secret));
        Assert.Equal(Hex.Of(V["derived_for_handshake"]), Hex.Of(Hkdf.DeriveSecret(early.Secret, "derived", Hkdf.EmptyHash)));
    }

    [Fact]
    public void Handshake_secrets_and_keys_match_rfc8448()
    {
        using var early = new EarlyStage(Hkdf, ReadOnlySpan<byte>.Empty);
        using HandshakeStage handshake = early.Next(V["ecdhe"]);
        Assert.Equal(Hex.Of(V["handshake_secret"]), Hex.Of(handshake.Secret));
        byte[] client = handshake.ClientTrafficSecret(V["hash_ch_sh"]);
        byte[] server = handshake.ServerTrafficSecret(V["hash_ch_sh"]);
        Assert.Equal(Hex.Of(V["client_handshake_traffic_secret"]), Hex.Of(client));
        Assert.Equal(Hex.Of(V["server_handshake_traffic_secret"]), Hex.Of(server));
        Assert.Equal(Hex.Of(V["server_handshake_key"]), Hex.Of(Hkdf.ExpandLabel(server, "key", default, 16)));
        Assert.Equal(Hex.Of(V["server_handshake_iv"]), Hex.Of(Hkdf.ExpandLabel(server, "iv", default, 12)));
        Assert.Equal(Hex.Of(V["client_handshake_key"]), Hex.Of(Hkdf.ExpandLabel(client, "key", default, 16)));
        Assert.Equal(Hex.Of(V["client_handshake_iv"]), Hex.Of(Hkdf.ExpandLabel(client, "iv", default, 12)));
    }

    [Fact]
    public void Master_application_exporter_and_resumption_secrets_match_rfc8448()
    {
        using var early = new EarlyStage(Hkdf, ReadOnlySpan<byte>.Empty);
        using HandshakeStage handshake = early.Next(V["ecdhe"]);
        using MasterStage master = handshake.Next();
        Assert.Equal(Hex.Of(V["master_secret"]), Hex.Of(master.Secret));
        Assert.Equal(Hex.Of(V["client_application_traffic_secret"]), Hex.Of(master.ClientTrafficSecret(V["hash_ch_server_finished"])));
        Assert.Equal(Hex.Of(V["server_application_traffic_secret"]), Hex.Of(master.ServerTrafficSecret(V["hash_ch_server_finished"])));
        Assert.Equal(Hex.Of(V["exporter_master_secret"]), Hex.Of(master.ExporterSecret(V["hash_ch_server_finished"])));
        Assert.Equal(Hex.Of(V["resumption_master_secret"]), Hex.Of(master.ResumptionSecret(V["hash_ch_client_finished"])));
    }

    [Fact]
    public void Client_finished_verify_data_matches_rfc8448()
    {
        byte[] verifyData = Hkdf.FinishedVerifyData(V["client_handshake_traffic_secret"], V["hash_ch_server_finished"]);
        Assert.Equal(Hex.Of(V["client_finished_message"][4..]), Hex.Of(verifyData));
    }

    [Fact]
    public void Finished_key_expanded_with_the_record_keys_gives_rfc8448_client_verify_data()
    {
        CipherSuiteInfo suite = CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256);
        byte[] finishedKey = new byte[32];
        using RecordProtection protection = TrafficKeys.Protection(CryptoProviders.Default, suite, Hkdf, V["client_handshake_traffic_secret"], finishedKey);
        Assert.Equal(Hex.Of(Hkdf.ExpandLabel(V["client_handshake_traffic_secret"], "finished", default, 32)), Hex.Of(finishedKey));
        Assert.Equal(Hex.Of(V["client_finished_message"][4..]), Hex.Of(Hkdf.FinishedMac(finishedKey, V["hash_ch_server_finished"])));
        // The record keys are the same as without the finished_key.
        var output = new TlsBuffer(4096);
        protection.Seal(ContentType.Handshake, V["client_finished_message"], output);
        Assert.Equal(Hex.Of(V["client_finished_record"]), Hex.Of(output.ReadAll()));
    }

    [Fact]
    public void Handshake_stage_zeroes_the_handshake_secret_after_the_traffic_secrets_and_still_gives_rfc8448_master_secret()
    {
        using var early = new EarlyStage(Hkdf, ReadOnlySpan<byte>.Empty);
        using HandshakeStage handshake = early.Next(V["ecdhe"]);
        (byte[] client, byte[] server) = handshake.TrafficSecrets(V["hash_ch_sh"]);
        Assert.Equal(Hex.Of(V["client_handshake_traffic_secret"]), Hex.Of(client));
        Assert.Equal(Hex.Of(V["server_handshake_traffic_secret"]), Hex.Of(server));
        Assert.All(handshake.Secret, b => Assert.Equal(0, b));
        byte[] derived = handshake.Derived!;
        using MasterStage master = handshake.Next();
        Assert.Equal(Hex.Of(V["master_secret"]), Hex.Of(master.Secret));
        Assert.All(derived, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Master_stage_gives_rfc8448_secrets_in_handshake_order_from_one_keyed_hmac()
    {
        using var early = new EarlyStage(Hkdf, ReadOnlySpan<byte>.Empty);
        using HandshakeStage handshake = early.Next(V["ecdhe"]);
        MasterStage master = handshake.Next();
        (byte[] client, byte[] server, byte[] exporter) = master.ApplicationSecrets(V["hash_ch_server_finished"]);
        Assert.Equal(Hex.Of(V["client_application_traffic_secret"]), Hex.Of(client));
        Assert.Equal(Hex.Of(V["server_application_traffic_secret"]), Hex.Of(server));
        Assert.Equal(Hex.Of(V["exporter_master_secret"]), Hex.Of(exporter));
        Assert.Equal(Hex.Of(V["resumption_master_secret"]), Hex.Of(master.ResumptionSecret(V["hash_ch_client_finished"])));
        master.Dispose();
        Assert.All(master.Secret, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Record_protection_reproduces_rfc8448_client_finished_record()
    {
        CipherSuiteInfo suite = CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256);
        using RecordProtection protection = TrafficKeys.Protection(CryptoProviders.Default, suite, Hkdf, V["client_handshake_traffic_secret"]);
        var output = new TlsBuffer(4096);
        protection.Seal(ContentType.Handshake, V["client_finished_message"], output);
        Assert.Equal(Hex.Of(V["client_finished_record"]), Hex.Of(output.ReadAll()));
    }

    [Fact]
    public void Record_protection_opens_rfc8448_client_finished_record()
    {
        CipherSuiteInfo suite = CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256);
        using RecordProtection protection = TrafficKeys.Protection(CryptoProviders.Default, suite, Hkdf, V["client_handshake_traffic_secret"]);
        byte[] record = V["client_finished_record"];
        byte[] plaintext = new byte[record.Length];
        var opened = protection.Open(record.AsSpan(0, 5), record.AsSpan(5), plaintext);
        Assert.NotNull(opened);
        Assert.Equal(ContentType.Handshake, opened.Value.Type);
        Assert.Equal(Hex.Of(V["client_finished_message"]), Hex.Of(plaintext[..opened.Value.Length]));
    }

    [Fact]
    public void Record_protection_rejects_a_record_with_one_flipped_bit()
    {
        CipherSuiteInfo suite = CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256);
        using RecordProtection protection = TrafficKeys.Protection(CryptoProviders.Default, suite, Hkdf, V["client_handshake_traffic_secret"]);
        byte[] record = (byte[])V["client_finished_record"].Clone();
        record[20] ^= 0x01;
        Assert.Null(protection.Open(record.AsSpan(0, 5), record.AsSpan(5), new byte[record.Length]));
    }
}
