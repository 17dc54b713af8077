using TlsEngine;
using Xunit;

namespace TlsEngine.Tests.Support;

/// <summary>The path-validation PKI (TestData/pki/paths, made by generate.sh) and the checks its tests share.</summary>
public static class PathPki
{
    public static string FileOf(string file) => TestPki.PathOf(Path.Combine("paths", file));

    /// <summary>NAME.pem (the certificate and its intermediates) with NAME.key.pem.</summary>
    public static TlsCertificateCredential Credential(string name) =>
        TlsCertificateCredential.FromPemFiles(FileOf(name + ".pem"), FileOf(name + ".key.pem"));

    public static TlsTrustAnchors Root(string name) => TlsTrustAnchors.FromPemFile(FileOf(name + ".pem"));

    /// <summary>A client trusting <paramref name="roots"/> (the test root by default) and a server presenting <paramref name="name"/>.</summary>
    public static TlsPair ServerPresenting(string name, TlsTrustAnchors? roots = null, string serverName = "localhost", TlsVersion version = TlsVersion.Tls13)
    {
        TlsClientOptions client = Engines.Client(serverName: serverName);
        client.TrustAnchors = roots ?? TestPki.Roots;
        client.MinVersion = client.MaxVersion = version;
        TlsServerOptions server = Engines.Server();
        server.Certificate = Credential(name);
        return Engines.Pair(client, server);
    }

    /// <summary>A server requiring a client certificate under the test root, and a client presenting <paramref name="name"/>.</summary>
    public static TlsPair ClientPresenting(string name)
    {
        TlsClientOptions client = Engines.Client();
        client.ClientCertificate = Credential(name);
        TlsServerOptions server = Engines.Server();
        server.ClientCertificateMode = TlsClientCertificateMode.Require;
        server.ClientCertificateTrustAnchors = TestPki.Roots;
        return Engines.Pair(client, server);
    }

    /// <summary>The client failed with <paramref name="reason"/>, and the server received the matching alert.</summary>
    public static void AssertClientRefuses(TlsPair pair, TlsFailureReason reason, TlsAlertDescription alert = TlsAlertDescription.BadCertificate)
    {
        Assert.False(pair.Handshake());
        TlsError error = pair.Client.LastError!;
        Assert.True(reason == error.Reason, $"expected {reason}, got {error.Reason}: {error.Message}");
        Assert.Equal(TlsErrorKind.Certificate, error.Kind);
        Assert.Equal(alert, error.Alert);
        Assert.True(error.AlertSent);
        Assert.Equal(TlsErrorKind.PeerAlert, pair.Server.LastError!.Kind);
        Assert.Equal(alert, pair.Server.LastError.Alert);
    }

    /// <summary>The server failed with <paramref name="reason"/>, and the client received the matching alert.</summary>
    public static void AssertServerRefuses(TlsPair pair, TlsFailureReason reason, TlsAlertDescription alert = TlsAlertDescription.BadCertificate)
    {
        Assert.False(pair.Handshake());
        TlsError error = pair.Server.LastError!;
        Assert.True(reason == error.Reason, $"expected {reason}, got {error.Reason}: {error.Message}");
        Assert.Equal(alert, error.Alert);
        Assert.True(error.AlertSent);
        // A TLS 1.3 client has finished its side already; it learns of the refusal on its next read.
        Assert.Equal(TlsStatus.Failed, pair.Client.Read(new byte[16], out _));
        Assert.Equal(TlsErrorKind.PeerAlert, pair.Client.LastError!.Kind);
        Assert.Equal(alert, pair.Client.LastError.Alert);
    }

    public static void AssertCompletes(TlsPair pair) =>
        Assert.True(pair.Handshake(), $"client: {pair.Client.LastError} / server: {pair.Server.LastError}");
}
