using TlsEngine.Crypto;
using TlsEngine.Datagram;
using TlsEngine.Records;

namespace TlsEngine.Cli;

/// <summary>
/// Names what a DTLS 1.3 datagram carries, as Wireshark does with a key log: the engines log their
/// traffic secrets, and the observer opens each record of one direction with them. It only reads
/// copies of the datagrams; the engines never see it.
/// </summary>
internal sealed class WireObserver : IDisposable
{
    private const byte Ack = 26;
    private static readonly byte[] HelloRetryRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");
    private readonly DtlsRecordLayer _layer = new();
    private readonly CipherSuiteInfo _suite;
    private readonly string _handshakeLabel;
    private readonly string _applicationLabel;
    private readonly Dictionary<string, byte[]> _secrets;

    /// <param name="fromClient">The direction observed.</param>
    /// <param name="suite">The one suite both engines offer.</param>
    /// <param name="secrets">Key log lines by label, filled as the engines derive them.</param>
    public WireObserver(bool fromClient, TlsCipherSuite suite, Dictionary<string, byte[]> secrets)
    {
        string side = fromClient ? "CLIENT" : "SERVER";
        _handshakeLabel = side + "_HANDSHAKE_TRAFFIC_SECRET";
        _applicationLabel = side + "_TRAFFIC_SECRET_0";
        _suite = CipherSuiteInfo.Get(suite);
        _secrets = secrets;
    }

    /// <summary>The records of <paramref name="datagram"/>, named: "ClientHello", "ACK (2 records)", ...</summary>
    public string Describe(byte[] datagram)
    {
        AddEpoch(2, _handshakeLabel);
        AddEpoch(3, _applicationLabel);
        byte[] copy = (byte[])datagram.Clone();
        var parts = new List<string>();
        int offset = 0;
        while (offset < copy.Length)
        {
            if (_layer.TryReadRecord(copy, ref offset, out DtlsRecord record) != RecordDrop.None)
            {
                parts.Add("(unreadable record)");
                continue;
            }

            Span<byte> content = record.Content(copy);
            string epoch = record.Epoch == 0 ? string.Empty : $" (epoch {record.Epoch})";
            parts.Add((byte)record.Type switch
            {
                (byte)ContentType.Handshake => Handshake(content) + epoch,
                Ack => $"ACK of {Math.Max(0, content.Length - 2) / 16} record(s){epoch}",
                (byte)ContentType.Alert => content.Length == 2 && content[1] == 0 ? $"close_notify{epoch}" : $"alert {(content.Length == 2 ? content[1] : 0)}{epoch}",
                (byte)ContentType.ApplicationData => $"application data, {content.Length} bytes{epoch}",
                byte other => $"record type {other}",
            });
        }

        return string.Join(", ", parts);
    }

    public void Dispose() => _layer.Dispose();

    /// <summary>DTLS handshake fragments: 12-byte header (type, length, message_seq, fragment offset and length).</summary>
    private static string Handshake(ReadOnlySpan<byte> content)
    {
        var names = new List<string>();
        while (content.Length >= 12)
        {
            int length = (content[1] << 16) | (content[2] << 8) | content[3];
            int fragmentOffset = (content[6] << 16) | (content[7] << 8) | content[8];
            int fragmentLength = Math.Min((content[9] << 16) | (content[10] << 8) | content[11], content.Length - 12);
            ReadOnlySpan<byte> body = content.Slice(12, fragmentLength);
            string name = content[0] switch
            {
                1 => "ClientHello",
                2 when fragmentOffset == 0 && body.Length >= 34 && body.Slice(2, 32).SequenceEqual(HelloRetryRandom) => "HelloRetryRequest (cookie)",
                2 => "ServerHello",
                4 => "NewSessionTicket",
                8 => "EncryptedExtensions",
                11 => "Certificate",
                13 => "CertificateRequest",
                15 => "CertificateVerify",
                20 => "Finished",
                byte other => $"handshake type {other}",
            };
            names.Add(fragmentLength < length ? $"{name} [{fragmentOffset}..{fragmentOffset + fragmentLength} of {length}]" : name);
            content = content.Slice(12 + fragmentLength);
        }

        return string.Join(" + ", names);
    }

    private void AddEpoch(ulong epoch, string label)
    {
        if (!_layer.HasReadEpoch(epoch) && _secrets.TryGetValue(label, out byte[]? secret))
        {
            _layer.AddReadEpoch(epoch, Dtls13RecordProtection.FromTrafficSecret(CryptoProviders.Default, _suite, secret));
        }
    }
}
