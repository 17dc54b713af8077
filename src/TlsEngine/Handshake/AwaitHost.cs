using System;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake;

/// <summary>What the handshake is waiting for the host to decide or compute.</summary>
internal enum HostDecision
{
    CertificateValidation,
    PrivateKeyOperation,
}

/// <summary>
/// A pause in the handshake while the host validates a chain or signs with a key it keeps
/// elsewhere (BoringSSL's asynchronous callbacks). No message is processed until the host
/// completes the operation; the continuation then picks up where the handshake stopped.
/// </summary>
internal sealed class AwaitHost : HandshakeState
{
    private readonly Func<HandshakeContext, AwaitHost, HandshakeState> _continue;

    public AwaitHost(HostDecision decision, Func<HandshakeContext, AwaitHost, HandshakeState> continuation)
    {
        Decision = decision;
        _continue = continuation;
    }

    public HostDecision Decision { get; }

    /// <summary>Set by the host: the signature, or the validation decision.</summary>
    public byte[]? Signature { get; set; }

    public bool? Accepted { get; set; }

    public TlsAlertDescription RejectionAlert { get; set; } = TlsAlertDescription.BadCertificate;

    public string? RejectionReason { get; set; }

    public bool IsComplete => Decision == HostDecision.PrivateKeyOperation ? Signature != null : Accepted != null;

    public HandshakeState Resume(HandshakeContext context)
    {
        if (Decision == HostDecision.CertificateValidation && Accepted == false)
        {
            throw new TlsFailureException(TlsFailureReason.CertificateRejectedByHost, RejectionReason ?? "The host rejected the peer's certificate.", RejectionAlert);
        }

        return _continue(context, this);
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message) =>
        throw TlsFailureException.Internal($"{HandshakeType.Name(message.Type)} processed while waiting for the host.");
}

/// <summary>Built-in validation whose verdict the host may overrule.</summary>
internal static class DelegatedValidation
{
    public static AwaitHost Pause(HandshakeContext context, Action validate, Func<HandshakeContext, AwaitHost, HandshakeState> continuation)
    {
        try
        {
            validate();
            context.PendingVerdict = null;
        }
        catch (TlsFailureException failure)
        {
            context.PendingVerdict = failure;
        }

        return new AwaitHost(HostDecision.CertificateValidation, continuation);
    }
}
