using System;
using TlsEngine.KeySchedule;

namespace TlsEngine.Handshake;

/// <summary>The TLS 1.3 secrets both roles derive at the same two points of the handshake (RFC 8446 §7.1).</summary>
internal static class Tls13Secrets
{
    /// <summary>
    /// After ServerHello: the handshake traffic secrets, kept in the context and logged. The stage
    /// that holds the handshake secret goes to the states that finish the handshake, which pass it on.
    /// </summary>
    public static HandshakeStage DeriveHandshake(HandshakeContext context, byte[] sharedSecret, byte[] psk)
    {
        Hkdf hkdf = context.RequireHkdf;
        using var early = new EarlyStage(hkdf, psk);
        HandshakeStage stage = early.Next(sharedSecret);
        byte[] helloHash = context.Transcript.Current();
        // The stage zeroes the handshake secret once the traffic secrets and the master secret's salt
        // are out, and the salt when the master secret is extracted; disposing it with the connection
        // is the safety net for an abandoned handshake.
        context.Own(stage);
        (byte[] client, byte[] server) = stage.TrafficSecrets(helloHash);
        var traffic = new TrafficSecrets(client, server);
        context.Traffic = traffic;
        context.LogSecret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", traffic.Client);
        context.LogSecret("SERVER_HANDSHAKE_TRAFFIC_SECRET", traffic.Server);
        return stage;
    }

    /// <summary>
    /// After the server's Finished: the master secret, the exporter secret and the application
    /// traffic secrets, which the caller installs when its role allows. The handshake secret has
    /// given all it has to give (RFC 8446 §7.1) and is zeroed; the master stage goes to the state
    /// that derives the resumption secret.
    /// </summary>
    public static (byte[] Client, byte[] Server, MasterStage Master) DeriveApplication(HandshakeContext context, HandshakeStage handshake)
    {
        MasterStage master = handshake.Next();
        handshake.Dispose();
        context.Own(master);
        byte[] finishedHash = context.Transcript.Current();
        (byte[] client, byte[] server, byte[] exporter) = master.ApplicationSecrets(finishedHash);
        context.ExporterSecret = context.Own(exporter);
        context.LogSecret("CLIENT_TRAFFIC_SECRET_0", client);
        context.LogSecret("SERVER_TRAFFIC_SECRET_0", server);
        context.LogSecret("EXPORTER_SECRET", context.ExporterSecret);
        return (client, server, master);
    }
}
