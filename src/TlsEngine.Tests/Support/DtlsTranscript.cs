namespace TlsEngine.Tests.Support;

/// <summary>One recorded UDP datagram: who sent it and its bytes (possibly several records).</summary>
public sealed record DtlsDatagram(bool FromClient, byte[] Bytes);

/// <summary>One NSS key-log line: the label, the client random it belongs to, and the secret.</summary>
public sealed record KeyLogEntry(string Label, byte[] ClientRandom, byte[] Secret);

/// <summary>
/// A recorded DTLS exchange under TestData (dtls13/NAME or dtls12/NAME): NAME.datagrams ("c>s HEX" /
/// "s>c HEX" a line, in the order they were seen) and NAME.keylog (the client's NSS key log).
/// See the README next to the files for how each was made and what it holds.
/// </summary>
public sealed class DtlsTranscript
{
    private DtlsTranscript(IReadOnlyList<DtlsDatagram> datagrams, IReadOnlyList<KeyLogEntry> keys)
    {
        Datagrams = datagrams;
        Keys = keys;
    }

    public IReadOnlyList<DtlsDatagram> Datagrams { get; }

    public IReadOnlyList<KeyLogEntry> Keys { get; }

    /// <summary>Loads e.g. "dtls13/wolfssl-dtls13" or "dtls12/openssl-dtls12".</summary>
    public static DtlsTranscript Load(string name)
    {
        string basePath = Path.Combine(AppContext.BaseDirectory, "TestData", name);
        var datagrams = new List<DtlsDatagram>();
        foreach (string line in File.ReadAllLines(basePath + ".datagrams"))
        {
            string[] parts = line.Split(' ', 2);
            if (parts.Length != 2 || (parts[0] != "c>s" && parts[0] != "s>c"))
            {
                throw new InvalidDataException($"{name}.datagrams: unexpected line '{line}'");
            }

            datagrams.Add(new DtlsDatagram(parts[0] == "c>s", Convert.FromHexString(parts[1].Trim())));
        }

        var keys = new List<KeyLogEntry>();
        foreach (string line in File.ReadAllLines(basePath + ".keylog"))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith('#') || parts.Length != 3)
            {
                continue;
            }

            keys.Add(new KeyLogEntry(parts[0], Convert.FromHexString(parts[1]), Convert.FromHexString(parts[2])));
        }

        return new DtlsTranscript(datagrams, keys);
    }

    /// <summary>The secret logged under <paramref name="label"/> (e.g. CLIENT_TRAFFIC_SECRET_0, CLIENT_RANDOM).</summary>
    public byte[] Secret(string label) => Keys.Single(key => key.Label == label).Secret;
}
