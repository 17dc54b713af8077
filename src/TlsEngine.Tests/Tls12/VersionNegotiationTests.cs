using TlsEngine;
using TlsEngine.Records;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Tls12;

/// <summary>The version matrix, downgrade protection, EMS and renegotiation rules, in memory.</summary>
public class VersionNegotiationTests
{
    private static TlsPair Pair(TlsVersion clientMin, TlsVersion clientMax, TlsVersion serverMin, TlsVersion serverMax, string keyType = "ecdsa-p256")
    {
        TlsClientOptions client = Engines.Client();
        client.MinVersion = clientMin;
        client.MaxVersion = clientMax;
        TlsServerOptions server = Engines.Server(keyType);
        server.MinVersion = serverMin;
        server.MaxVersion = serverMax;
        return Engines.Pair(client, server);
    }

    [Theory]
    [InlineData(TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12)]
    [InlineData(TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls12)]
    [InlineData(TlsVersion.Tls13, TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls13)]
    public void Both_sides_agree_on_the_highest_common_version(TlsVersion cMin, TlsVersion cMax, TlsVersion sMin, TlsVersion sMax, TlsVersion expected)
    {
        using TlsPair pair = Pair(cMin, cMax, sMin, sMax);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        Assert.Equal(expected, pair.Client.Version);
        Assert.Equal(expected, pair.Server.Version);
        pair.Client.Write("v"u8, out _);
        pair.Pump();
        Assert.Equal(TlsStatus.Ok, pair.Server.Read(new byte[4], out int read));
        Assert.Equal(1, read);
    }

    [Theory]
    [InlineData(TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls13, TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls12)]
    public void Disjoint_versions_fail_cleanly_with_protocol_version(TlsVersion cMin, TlsVersion cMax, TlsVersion sMin, TlsVersion sMax)
    {
        using TlsPair pair = Pair(cMin, cMax, sMin, sMax);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.ProtocolVersion, pair.Server.LastError!.Alert);
        Assert.Equal(TlsErrorKind.Negotiation, pair.Server.LastError.Kind);
        Assert.Equal(TlsAlertDescription.ProtocolVersion, pair.Client.LastError!.Alert);
    }

    [Fact]
    public void Tls13_capable_server_marks_a_tls12_server_hello_with_the_downgrade_sentinel()
    {
        using TlsPair pair = Pair(TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls13);
        Assert.True(pair.Handshake());
        byte[] serverHello = Wire.Records(pair.ServerToClient)[0].Payload;
        Assert.Equal("444F574E47524401", Convert.ToHexString(serverHello.AsSpan(4 + 2 + 24, 8)));
    }

    [Fact]
    public void Tls12_only_server_sends_no_downgrade_sentinel()
    {
        using TlsPair pair = Pair(TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls12);
        Assert.True(pair.Handshake());
        byte[] serverHello = Wire.Records(pair.ServerToClient)[0].Payload;
        Assert.NotEqual("444F574E47524401", Convert.ToHexString(serverHello.AsSpan(4 + 2 + 24, 8)));
    }

    [Fact]
    public void Client_aborts_when_an_attacker_downgrades_a_tls13_server_to_tls12()
    {
        // The attacker strips TLS 1.3 from the ClientHello; the server still writes the sentinel.
        using TlsPair pair = Pair(TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls13);
        pair.Tamper = (fromClient, chunk) => fromClient && chunk[0] == 22 && chunk[5] == 1 ? StripTls13(chunk) : chunk;
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.IllegalParameter, pair.Client.LastError!.Alert);
        Assert.Contains("downgrade", pair.Client.LastError.Message);
    }

    [Fact]
    public void Server_refuses_client_without_extended_master_secret()
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = TlsVersion.Tls12;
        using TlsPair pair = Engines.Pair(client, Engines.Server());
        pair.Tamper = (fromClient, chunk) => fromClient && chunk[0] == 22 && chunk[5] == 1 ? RemoveExtension(chunk, 23) : chunk;
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.ExtendedMasterSecretMissing, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, pair.Server.LastError.Alert);
    }

    [Fact]
    public void Extended_master_secret_can_be_waived_explicitly()
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = TlsVersion.Tls12;
        TlsServerOptions server = Engines.Server();
        server.RequireExtendedMasterSecret = false;
        client.RequireExtendedMasterSecret = false;
        using TlsPair pair = Engines.Pair(client, server);
        pair.Tamper = (fromClient, chunk) => fromClient && chunk[0] == 22 && chunk[5] == 1 ? RemoveExtension(chunk, 23) : chunk;
        // The tampered hello changes the transcript only on the server side, so Finished fails: proof the
        // hello is authenticated, and that without the tamper the waiver negotiates.
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.DecryptError, pair.Server.LastError!.Alert);
    }

    [Fact]
    public void Client_refuses_renegotiation_with_no_renegotiation()
    {
        using TlsPair pair = Pair(TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12);
        Assert.True(pair.Handshake());
        pair.Server.WriteRawRecord(ContentType.Handshake, new byte[] { 0, 0, 0, 0 });
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[8], out _));
        Assert.Equal(TlsAlertDescription.NoRenegotiation, pair.Client.LastError!.Alert);
    }

    [Fact]
    public void Server_refuses_renegotiation_with_no_renegotiation()
    {
        using TlsPair pair = Pair(TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12);
        Assert.True(pair.Handshake());
        byte[] hello = Wire.Records(pair.ClientToServer)[0].Payload;
        pair.Client.WriteRawRecord(ContentType.Handshake, hello);
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Server.Read(new byte[8], out _));
        Assert.Equal(TlsAlertDescription.NoRenegotiation, pair.Server.LastError!.Alert);
    }

    [Fact]
    public void Server_refuses_client_offering_only_legacy_suites_with_handshake_failure()
    {
        using TlsPair pair = Pair(TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls13);
        pair.Tamper = (fromClient, chunk) => fromClient && chunk[0] == 22 && chunk[5] == 1 ? ReplaceSuites(chunk, 0x002F) : chunk;
        Assert.False(pair.Handshake());
        Assert.Equal(TlsAlertDescription.HandshakeFailure, pair.Server.LastError!.Alert);
        Assert.Contains("RSA key exchange", pair.Server.LastError.Message);
    }

    [Fact]
    public void Tls12_exporter_values_agree_and_key_update_is_refused_as_misuse()
    {
        using TlsPair pair = Pair(TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12, TlsVersion.Tls12);
        Assert.True(pair.Handshake());
        Assert.Equal(pair.Client.ExportKeyingMaterial("EXPORTER-x", default, 40), pair.Server.ExportKeyingMaterial("EXPORTER-x", default, 40));
        Assert.Throws<InvalidOperationException>(() => pair.Client.RequestKeyUpdate(false));
    }

    private static byte[] Rewrite(byte[] record, Action<TlsEngine.Messages.ClientHello> edit)
    {
        int length = (record[3] << 8) | record[4];
        var hello = TlsEngine.Messages.ClientHello.TryParse(record.AsSpan(9, length - 4))!;
        edit(hello);
        byte[] encoded = hello.Encode();
        byte[] rest = record[(5 + length)..];
        return new byte[] { 22, 3, 1, (byte)(encoded.Length >> 8), (byte)encoded.Length }.Concat(encoded).Concat(rest).ToArray();
    }

    private static byte[] StripTls13(byte[] record) => Rewrite(record, hello =>
    {
        hello.Extensions.RemoveAll(e => e.Type == TlsEngine.Messages.ExtensionType.SupportedVersions);
        hello.Extensions.Add(new TlsEngine.Messages.Extension(TlsEngine.Messages.ExtensionType.SupportedVersions, new byte[] { 2, 3, 3 }));
    });

    private static byte[] RemoveExtension(byte[] record, ushort type) => Rewrite(record, hello => hello.Extensions.RemoveAll(e => e.Type == type));

    private static byte[] ReplaceSuites(byte[] record, ushort suite) => Rewrite(record, hello => hello.CipherSuites = new List<ushort> { suite });
}
