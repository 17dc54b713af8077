using TlsEngine.Messages;
using TlsEngine.Tests.Support;

namespace TlsEngine.Tests.Adversary;

/// <summary>Small edits the misbehaviour tables share.</summary>
internal static class Tweaks
{
    /// <summary>DOWNGRD followed by 01 (TLS 1.2) or 00 (TLS 1.1 and below), RFC 8446 §4.1.3.</summary>
    public static byte[] DowngradeSentinel(byte last) => new byte[] { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, last };

    public static Extension Ext(ushort type, params byte[] data) => new(type, data);

    /// <summary>Replaces the data of every extension of <paramref name="type"/> (adds one when there is none).</summary>
    public static void Set(List<Extension> extensions, ushort type, params byte[] data)
    {
        int index = extensions.FindIndex(e => e.Type == type);
        if (index < 0)
        {
            extensions.Add(new Extension(type, data));
            return;
        }

        extensions[index] = new Extension(type, data);
    }

    public static void Remove(List<Extension> extensions, ushort type) => extensions.RemoveAll(e => e.Type == type);

    /// <summary>Repeats the extension of <paramref name="type"/> right after itself.</summary>
    public static void Duplicate(List<Extension> extensions, ushort type)
    {
        int index = extensions.FindIndex(e => e.Type == type);
        extensions.Insert(index + 1, extensions[index]);
    }

    /// <summary>Flips the lowest bit of the message's last byte.</summary>
    public static void FlipLastByte(Outgoing message)
    {
        byte[] encoded = (byte[])message.Encoded.Clone();
        encoded[^1] ^= 0x01;
        message.Encoded = encoded;
    }

    /// <summary>A group entry of a key_share in ServerHello form.</summary>
    public static byte[] ServerShare(ushort group, byte[] key) => ExtensionCodecs.EncodeServerKeyShare(new KeyShareEntry(group, key));

    /// <summary>An X25519 u-coordinate of order 8 (RFC 7748 §6.1: the secret it gives is all zeros).</summary>
    public static byte[] X25519OrderEight() => Hex.Parse("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");

    /// <summary>u = p: a non-canonical encoding of 0 (RFC 7748 §5 reduces it), of small order.</summary>
    public static byte[] X25519NonCanonicalZero() => Hex.Parse("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

    /// <summary>u = 1, of order 4, with bit 255 set (RFC 7748 §5 masks it).</summary>
    public static byte[] X25519OneWithTopBit() => Hex.Parse("0100000000000000000000000000000000000000000000000000000000000080");

    /// <summary>
    /// Sets bit 255 of the X25519 key in key_share whose group field starts at <paramref name="groupOffset"/>
    /// (RFC 7748 §5: the receiver masks it, so the key is the same).
    /// </summary>
    public static void SetX25519TopBit(List<Extension> extensions, int groupOffset)
    {
        byte[] data = (byte[])extensions.First(e => e.Type == ExtensionType.KeyShare).Data.Clone();
        if (data[groupOffset] != 0 || data[groupOffset + 1] != 0x1D || data[groupOffset + 3] != 32)
        {
            throw new InvalidOperationException("the key_share entry there is not a 32-byte X25519 key");
        }

        data[groupOffset + 4 + 31] |= 0x80;
        Set(extensions, ExtensionType.KeyShare, data);
    }

    /// <summary>An uncompressed P-256 point that is not on the curve.</summary>
    public static byte[] OffCurveP256() => new byte[] { 4 }.Concat(Enumerable.Repeat((byte)0x01, 64)).ToArray();

    /// <summary>The body of a TLS 1.3 Certificate message: context, then the given entries as (DER, extensions).</summary>
    public static byte[] CertificateBody(byte[] context, params (byte[] Der, byte[] Extensions)[] entries)
    {
        var list = new List<byte>();
        foreach ((byte[] der, byte[] extensions) in entries)
        {
            list.AddRange(U24(der.Length));
            list.AddRange(der);
            list.AddRange(new[] { (byte)(extensions.Length >> 8), (byte)extensions.Length });
            list.AddRange(extensions);
        }

        return new[] { (byte)context.Length }.Concat(context).Concat(U24(list.Count)).Concat(list).ToArray();
    }

    public static byte[] U24(int value) => new[] { (byte)(value >> 16), (byte)(value >> 8), (byte)value };

    /// <summary>A handshake message of any type and body.</summary>
    public static byte[] Message(byte type, params byte[] body) => Outgoing.Frame(type, body);
}
