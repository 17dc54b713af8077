using TlsEngine.Messages;

namespace TlsEngine.Handshake.Server.Tls12;

/// <summary>
/// A ClientHello's TLS 1.2 extensions (RFC 7627, RFC 5746, RFC 8422 §5.1.2). A malformed one is a
/// decode_error whatever the version; what their values mean is the TLS 1.2 server's business.
/// </summary>
internal sealed class Tls12Extensions
{
    public Tls12Extensions(ClientHello hello)
    {
        Extension? extendedMasterSecret = hello.Find(ExtensionType.ExtendedMasterSecret);
        if (extendedMasterSecret != null && !ExtensionCodecs.IsEmpty(extendedMasterSecret.Data))
        {
            throw TlsFailureException.Decode("ClientHello's extended_master_secret extension carries data.");
        }

        ExtendedMasterSecret = extendedMasterSecret != null;
        Extension? renegotiation = hello.Find(ExtensionType.RenegotiationInfo);
        if (renegotiation != null)
        {
            RenegotiatedConnectionLength = ExtensionCodecs.TryDecodeRenegotiationInfo(renegotiation.Data, out int length)
                ? length
                : throw TlsFailureException.Decode("ClientHello has a malformed renegotiation_info extension.");
        }

        Extension? pointFormats = hello.Find(ExtensionType.EcPointFormats);
        if (pointFormats != null)
        {
            PointFormatsSent = true;
            AcceptsUncompressedPoints = ExtensionCodecs.TryDecodeEcPointFormats(pointFormats.Data, out bool uncompressed)
                ? uncompressed
                : throw TlsFailureException.Decode("ClientHello has a malformed ec_point_formats extension.");
        }
    }

    public bool ExtendedMasterSecret { get; }

    /// <summary>The renegotiated_connection length in renegotiation_info; null when the extension is absent.</summary>
    public int? RenegotiatedConnectionLength { get; }

    public bool PointFormatsSent { get; }

    public bool AcceptsUncompressedPoints { get; }
}
