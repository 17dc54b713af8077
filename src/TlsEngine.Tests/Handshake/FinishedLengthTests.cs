using TlsEngine;
using TlsEngine.Fuzz;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Handshake;

/// <summary>
/// verify_data has a fixed length (the hash length in TLS 1.3, RFC 8446 §4.4.4; 12 bytes in TLS 1.2,
/// RFC 5246 §7.4.9), so a Finished of another length is malformed: decode_error, not decrypt_error.
/// The forging side's real Finished is cut or padded and re-encrypted under its own handshake keys,
/// taken from its key log, so the other side decrypts it and judges the message itself.
/// </summary>
public class FinishedLengthTests
{
    [Theory]
    [InlineData(TlsVersion.Tls13, true, -1)]
    [InlineData(TlsVersion.Tls13, true, 1)]
    [InlineData(TlsVersion.Tls13, false, -1)]
    [InlineData(TlsVersion.Tls13, false, 1)]
    [InlineData(TlsVersion.Tls13, false, -32)]
    [InlineData(TlsVersion.Tls12, true, -1)]
    [InlineData(TlsVersion.Tls12, true, 1)]
    [InlineData(TlsVersion.Tls12, false, -1)]
    [InlineData(TlsVersion.Tls12, false, 20)]
    public void Finished_of_the_wrong_length_gets_decode_error(TlsVersion version, bool fromClient, int lengthChange)
    {
        using TlsPair pair = PairWithResizedFinished(version, fromClient, lengthChange);
        Assert.False(pair.Handshake());
        (TlsConnection forger, TlsConnection victim) = fromClient ? (pair.Client, pair.Server) : (pair.Server, pair.Client);
        Assert.Equal(TlsFailureReason.MalformedMessage, victim.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.DecodeError, victim.LastError.Alert);
        Assert.True(victim.LastError.AlertSent);
        if (forger.LastError == null)
        {
            // A TLS 1.3 client that sent its Finished considers the handshake done and only reads on Read.
            forger.Read(new byte[64], out _);
        }

        Assert.Equal(TlsErrorKind.PeerAlert, forger.LastError!.Kind);
        Assert.Equal(TlsAlertDescription.DecodeError, forger.LastError.Alert);
    }

    [Theory]
    [InlineData(TlsVersion.Tls13, true)]
    [InlineData(TlsVersion.Tls13, false)]
    [InlineData(TlsVersion.Tls12, true)]
    [InlineData(TlsVersion.Tls12, false)]
    public void Re_encrypting_an_unchanged_finished_still_completes(TlsVersion version, bool fromClient)
    {
        // The instrument itself: a resize of zero must leave a working handshake.
        using TlsPair pair = PairWithResizedFinished(version, fromClient, 0);
        Assert.True(pair.Handshake(), pair.Client.LastError?.ToString() ?? pair.Server.LastError?.ToString());
    }

    [Theory]
    [InlineData(TlsVersion.Tls13)]
    [InlineData(TlsVersion.Tls12)]
    public void Finished_of_the_right_length_and_wrong_value_still_gets_decrypt_error(TlsVersion version)
    {
        using TlsPair pair = PairWithResizedFinished(version, fromClient: true, 0, flip: true);
        Assert.False(pair.Handshake());
        Assert.Equal(TlsFailureReason.BadFinished, pair.Server.LastError!.Reason);
        Assert.Equal(TlsAlertDescription.DecryptError, pair.Server.LastError.Alert);
    }

    /// <summary>A pair where one side's Finished is resized by <paramref name="lengthChange"/> bytes (or has a bit flipped) on the wire.</summary>
    private static TlsPair PairWithResizedFinished(TlsVersion version, bool fromClient, int lengthChange, bool flip = false)
    {
        TlsCipherSuite suite = version == TlsVersion.Tls13 ? TlsCipherSuite.TLS_AES_128_GCM_SHA256 : TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        TlsClientOptions client = Engines.Client();
        client.CipherSuites = new List<TlsCipherSuite> { suite };
        client.MaxVersion = version;
        var keyLog = new List<string>();
        TlsServerOptions server = Engines.Server();
        (fromClient ? (TlsOptions)client : server).KeyLog = keyLog.Add;
        TlsPair pair = Engines.Pair(client, server);
        bool done = false;
        pair.Tamper = (sentByClient, chunk) =>
        {
            RecordCipher? cipher = sentByClient == fromClient && !done ? Cipher(version, suite, fromClient, keyLog, pair.ServerToClient) : null;
            if (cipher == null)
            {
                return chunk;
            }

            RecordedFlight flight = RecordedFlight.Parse(chunk, cipher);
            int index = flight.Messages.ToList().FindIndex(m => m.Protected && m.Message[0] == 20);
            if (index < 0)
            {
                return chunk;
            }

            byte[] verifyData = flight.Messages[index].Message[4..];
            verifyData = lengthChange < 0 ? verifyData[..^(-lengthChange)] : [.. verifyData, .. new byte[lengthChange]];
            if (flip)
            {
                verifyData[0] ^= 1;
            }

            flight.Replace(index, RecordedFlight.Message(20, verifyData));
            done = true;
            return flight.Encode();
        };
        return pair;
    }

    /// <summary>The forging side's protection for its Finished, once its key log has what it takes.</summary>
    private static RecordCipher? Cipher(TlsVersion version, TlsCipherSuite suite, bool fromClient, List<string> keyLog, List<byte> serverToClient)
    {
        if (version == TlsVersion.Tls13)
        {
            string label = fromClient ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET" : "SERVER_HANDSHAKE_TRAFFIC_SECRET";
            string? line = keyLog.LastOrDefault(l => l.StartsWith(label + " ", StringComparison.Ordinal));
            return line == null ? null : RecordCipher.Tls13(suite, Convert.FromHexString(line.Split(' ')[2]));
        }

        string? master = keyLog.LastOrDefault(l => l.StartsWith("CLIENT_RANDOM ", StringComparison.Ordinal));
        if (master == null)
        {
            return null;
        }

        // The ServerHello is the server's first message; its random follows the version.
        byte[] serverHello = RecordedFlight.Parse(serverToClient.ToArray()).Messages[0].Message;
        string[] fields = master.Split(' ');
        return RecordCipher.Tls12(suite, Convert.FromHexString(fields[2]), Convert.FromHexString(fields[1]), serverHello[6..38], clientWrite: fromClient);
    }
}
