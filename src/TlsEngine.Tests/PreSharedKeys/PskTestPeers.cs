using System.Security.Cryptography;
using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.PreSharedKeys;

/// <summary>Certificate-free clients and servers for the external PSK tests.</summary>
internal static class PskTestPeers
{
    public static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(0x40 + i)).ToArray();

    public static TlsExternalPsk Psk(string identity = "device-1", byte[]? key = null, HashAlgorithmName? hash = null) =>
        TlsExternalPsk.FromUtf8Identity(identity, key ?? Key, hash ?? HashAlgorithmName.SHA256);

    /// <summary>A client with PSKs, no server name and no roots: only a PSK can authenticate the server.</summary>
    public static TlsClientOptions Client(params TlsExternalPsk[] psks)
    {
        TlsClientOptions options = Engines.Client();
        options.ServerName = null;
        options.ExternalPsks = psks.ToList();
        return options;
    }

    /// <summary>A server with PSKs and no certificate.</summary>
    public static TlsServerOptions Server(params TlsExternalPsk[] psks)
    {
        TlsServerOptions options = Engines.Server();
        options.Certificate = null;
        options.ExternalPsks = psks.ToList();
        return options;
    }

    public static TlsPair Connected(TlsClientOptions client, TlsServerOptions server)
    {
        TlsPair pair = Engines.Pair(client, server);
        Assert.True(pair.Handshake(), $"{pair.Client.LastError} / {pair.Server.LastError}");
        return pair;
    }

    /// <summary>The failing side's reason and alert, and that alert as the last plaintext record it sent.</summary>
    public static void AssertPlaintextAlert(TlsConnection failed, IEnumerable<byte> sent, TlsFailureReason reason, TlsAlertDescription alert)
    {
        Assert.NotNull(failed.LastError);
        Assert.Equal(reason, failed.LastError!.Reason);
        Assert.Equal(alert, failed.LastError.Alert);
        Assert.True(failed.LastError.AlertSent);
        Assert.Equal((byte)alert, Wire.PlaintextAlert(sent));
    }

    /// <summary>Data flows both ways.</summary>
    public static void AssertDataFlows(TlsPair pair)
    {
        pair.Client.Write("ping"u8, out _);
        pair.Pump();
        var buffer = new byte[16];
        Assert.Equal(TlsStatus.Ok, pair.Server.Read(buffer, out int read));
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        pair.Server.Write("pong"u8, out _);
        pair.Pump();
        Assert.Equal(TlsStatus.Ok, pair.Client.Read(buffer, out read));
        Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
    }
}
