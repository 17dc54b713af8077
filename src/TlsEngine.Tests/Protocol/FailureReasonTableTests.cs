using TlsEngine;
using Xunit;

namespace TlsEngine.Tests.Protocol;

/// <summary>The one table from reason to kind and alert (RFC 8446 §6.2): every reason has a row, and the precise handshake reasons keep the alert the RFC names.</summary>
public class FailureReasonTableTests
{
    [Fact]
    public void No_reason_falls_through_to_internal_error_by_accident()
    {
        // A reason without a row falls through to internal_error: that would be a missing row, not a choice.
        Assert.Equal(
            new[] { TlsFailureReason.PeerAlert, TlsFailureReason.LimitExceeded, TlsFailureReason.HandshakeTimedOut, TlsFailureReason.Internal },
            Enum.GetValues<TlsFailureReason>().Where(r => TlsFailureReasons.Alert(r) == TlsAlertDescription.InternalError));
    }

    [Theory]
    [InlineData(TlsFailureReason.VersionNotOffered, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.CipherSuiteNotOffered, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.GroupNotOffered, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.SignatureSchemeNotOffered, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.ResumptionNotOffered, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.ApplicationProtocolNotOffered, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.SessionIdNotEchoed, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.CompressionNotNull, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.InvalidHelloRetryRequest, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.SecondHelloRetryRequest, TlsAlertDescription.UnexpectedMessage, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.InvalidSecondClientHello, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.MisplacedExtension, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.EarlyDataAcceptedWithoutPsk, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.InvalidRequestContext, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.EmptyServerCertificate, TlsAlertDescription.DecodeError, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.InvalidKeyUpdate, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.InvalidTicketLifetime, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.UncompressedPointsRefused, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.MalformedHandshakeFragment, TlsAlertDescription.DecodeError, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.HandshakeFragmentMismatch, TlsAlertDescription.IllegalParameter, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.MalformedAck, TlsAlertDescription.DecodeError, TlsErrorKind.Protocol)]
    [InlineData(TlsFailureReason.HandshakeTimedOut, TlsAlertDescription.InternalError, TlsErrorKind.Limit)]
    [InlineData(TlsFailureReason.NoCommonCipherSuite, TlsAlertDescription.HandshakeFailure, TlsErrorKind.Negotiation)]
    [InlineData(TlsFailureReason.NoCommonGroup, TlsAlertDescription.HandshakeFailure, TlsErrorKind.Negotiation)]
    [InlineData(TlsFailureReason.NoCommonSignatureScheme, TlsAlertDescription.HandshakeFailure, TlsErrorKind.Negotiation)]
    public void Precise_handshake_reasons_keep_the_alert_the_rfc_requires(TlsFailureReason reason, TlsAlertDescription alert, TlsErrorKind kind)
    {
        Assert.Equal(alert, TlsFailureReasons.Alert(reason));
        Assert.Equal(kind, TlsFailureReasons.Kind(reason));
    }
}
