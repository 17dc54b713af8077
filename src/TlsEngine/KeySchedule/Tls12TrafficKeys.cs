namespace TlsEngine.KeySchedule;

/// <summary>
/// One direction's share of the TLS 1.2 key block (RFC 5246 §6.3): the AEAD key and the fixed
/// (implicit) part of the nonce. The record layer that installs them builds its own protection,
/// the stream or the datagram form (RFC 6347 §4.1.2.1), and zeroes the key.
/// </summary>
internal sealed class Tls12TrafficKeys
{
    public Tls12TrafficKeys(byte[] key, byte[] fixedIv)
    {
        Key = key;
        FixedIv = fixedIv;
    }

    public byte[] Key { get; }

    public byte[] FixedIv { get; }
}
