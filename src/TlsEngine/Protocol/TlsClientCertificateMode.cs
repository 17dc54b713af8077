namespace TlsEngine;

/// <summary>Whether a server asks for a client certificate.</summary>
public enum TlsClientCertificateMode
{
    /// <summary>Never ask.</summary>
    None,

    /// <summary>Ask; a client without one may still connect. A presented chain must validate.</summary>
    Request,

    /// <summary>Ask and refuse clients without a valid certificate.</summary>
    Require,
}
