using TlsEngine.Records;

namespace TlsEngine.Tests.Support;

/// <summary>Splits a byte stream into TLS records for inspection.</summary>
public static class Wire
{
    /// <summary>Frames <paramref name="payload"/> as one record of <paramref name="type"/> (legacy version 3,3).</summary>
    public static byte[] Record(byte type, byte[] payload) =>
        new byte[] { type, 3, 3, (byte)(payload.Length >> 8), (byte)payload.Length }.Concat(payload).ToArray();

    public static List<(byte Type, byte[] Payload)> Records(IEnumerable<byte> bytes)
    {
        byte[] data = bytes.ToArray();
        var records = new List<(byte, byte[])>();
        int offset = 0;
        while (offset + 5 <= data.Length)
        {
            int length = (data[offset + 3] << 8) | data[offset + 4];
            if (offset + 5 + length > data.Length)
            {
                break;
            }

            records.Add((data[offset], data[(offset + 5)..(offset + 5 + length)]));
            offset += 5 + length;
        }

        return records;
    }

    /// <summary>The plaintext alert description in the last record, when it is an unprotected alert.</summary>
    public static byte? PlaintextAlert(IEnumerable<byte> bytes)
    {
        var records = Records(bytes);
        if (records.Count == 0)
        {
            return null;
        }

        (byte type, byte[] payload) = records[^1];
        return type == (byte)ContentType.Alert && payload.Length == 2 ? payload[1] : null;
    }
}
