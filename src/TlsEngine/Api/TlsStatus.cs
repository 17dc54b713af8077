namespace TlsEngine;

/// <summary>What a driving call (<c>Connect</c>, <c>Accept</c>, <c>Read</c>, ...) asks the host to do next.</summary>
public enum TlsStatus
{
    /// <summary>Progress was made: the handshake is complete or data moved.</summary>
    Ok,

    /// <summary>More peer bytes are needed in <see cref="TlsConnection.Inbound"/>.</summary>
    WantRead,

    /// <summary><see cref="TlsConnection.Outbound"/> holds bytes the peer needs: send them, then call again.</summary>
    WantWrite,

    /// <summary>The peer sent close_notify: a clean end of the stream.</summary>
    Closed,

    /// <summary>The connection failed; see <see cref="TlsConnection.LastError"/> and drain Outbound (it holds the alert).</summary>
    Failed,

    /// <summary>
    /// The host validates the peer's chain (<see cref="TlsClientOptions.DelegateCertificateValidation"/>):
    /// inspect <see cref="TlsConnection.PeerCertificates"/> and <see cref="TlsConnection.PendingCertificateVerdict"/>,
    /// call <see cref="TlsConnection.CompleteCertificateValidation"/>, then call again. Drain Outbound too.
    /// </summary>
    WantCertificateValidation,

    /// <summary>
    /// The host signs (<see cref="TlsServerOptions.DelegatePrivateKeyOperations"/>): sign
    /// <see cref="TlsConnection.PendingPrivateKeyOperation"/>, call <see cref="TlsConnection.CompletePrivateKeyOperation"/>,
    /// then call again. Drain Outbound too.
    /// </summary>
    WantPrivateKeyOperation,
}

/// <summary>A signature the engine needs from a key the host keeps (an HSM, a remote signer).</summary>
public sealed class TlsPrivateKeyOperation
{
    internal TlsPrivateKeyOperation(TlsSignatureScheme scheme, byte[] data)
    {
        Scheme = scheme;
        Data = data;
    }

    /// <summary>The scheme to sign with (for ECDSA: a DER-encoded signature over the scheme's hash of Data).</summary>
    public TlsSignatureScheme Scheme { get; }

    /// <summary>The bytes to sign (the signature hashes them per the scheme).</summary>
    public byte[] Data { get; }
}

