using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Records;

namespace TlsEngine.Tests.Support;

/// <summary>Opens and seals TLS 1.3 records with a traffic secret taken from a key log, to look inside a flight or re-cut it.</summary>
public static class ProtectedWire
{
    /// <summary>The secret logged under <paramref name="label"/> (NSS key log format: label, client random, secret).</summary>
    public static byte[] Secret(IEnumerable<string> keyLog, string label) =>
        Convert.FromHexString(keyLog.Single(line => line.StartsWith(label + " ", StringComparison.Ordinal)).Split(' ')[2]);

    /// <summary>
    /// The protected records of <paramref name="bytes"/> that open under <paramref name="trafficSecret"/>,
    /// in order from the first that does until the first that does not: inner content type and plaintext each.
    /// </summary>
    internal static List<(ContentType Type, byte[] Plaintext)> Open(IEnumerable<byte> bytes, byte[] trafficSecret, TlsCipherSuite suite = TlsCipherSuite.TLS_AES_128_GCM_SHA256)
    {
        using RecordProtection protection = Protection(trafficSecret, suite);
        var opened = new List<(ContentType, byte[])>();
        foreach ((byte type, byte[] payload) in Wire.Records(bytes).Where(r => r.Type == (byte)ContentType.ApplicationData))
        {
            byte[] plaintext = new byte[payload.Length];
            var result = protection.Open(Wire.Record(type, payload).AsSpan(0, 5), payload, plaintext);
            if (result == null)
            {
                if (opened.Count > 0)
                {
                    break;
                }

                continue;
            }

            opened.Add((result.Value.Type, plaintext[..result.Value.Length]));
        }

        return opened;
    }

    /// <summary>The handshake message types in the handshake records of <paramref name="bytes"/> that open under the secret.</summary>
    public static List<byte> HandshakeTypes(IEnumerable<byte> bytes, byte[] trafficSecret)
    {
        byte[] stream = Open(bytes, trafficSecret).Where(r => r.Type == ContentType.Handshake).SelectMany(r => r.Plaintext).ToArray();
        var types = new List<byte>();
        for (int at = 0; at + 4 <= stream.Length; at += 4 + ((stream[at + 1] << 16) | (stream[at + 2] << 8) | stream[at + 3]))
        {
            types.Add(stream[at]);
        }

        return types;
    }

    /// <summary>Seals each of <paramref name="fragments"/> as one handshake record under the secret, from sequence number 0.</summary>
    public static byte[] SealHandshake(byte[] trafficSecret, params byte[][] fragments)
    {
        using RecordProtection protection = Protection(trafficSecret, TlsCipherSuite.TLS_AES_128_GCM_SHA256);
        var output = new TlsBuffer(1 << 16);
        foreach (byte[] fragment in fragments)
        {
            protection.Seal(ContentType.Handshake, fragment, output);
        }

        return output.ReadAll();
    }

    private static RecordProtection Protection(byte[] trafficSecret, TlsCipherSuite suite)
    {
        CipherSuiteInfo info = CipherSuiteInfo.Get(suite);
        return TrafficKeys.Protection(CryptoProviders.Default, info, new Hkdf(CryptoProviders.Default, info.Hash), trafficSecret);
    }
}
