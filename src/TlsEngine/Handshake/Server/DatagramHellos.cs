using System.Collections.Generic;
using System.Linq;
using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Server;

/// <summary>
/// The server's DTLS steps around the ClientHello: its datagram form, the stateless address check
/// (HelloRetryRequest with a cookie in DTLS 1.3, RFC 9147 §5.1; HelloVerifyRequest in DTLS 1.2,
/// RFC 6347 §4.2.1) and the transcript rebuilt from a cookie.
/// </summary>
internal static class DatagramHellos
{
    /// <summary>
    /// A ClientHello in this connection's form. Over datagrams only the DTLS form is accepted: a TLS
    /// ClientHello (a TLS legacy_version, no cookie field) is refused as undecodable.
    /// </summary>
    public static ClientHello? Parse(HandshakeContext context, HandshakeMessage message)
    {
        if (!context.IsDatagram)
        {
            return ClientHello.TryParse(message.Body);
        }

        ClientHello? hello = ClientHello.TryParse(message.Body, datagram: true);
        // RFC 9147 §5.3, RFC 6347 §4.1: DTLS versions are 0xFExx (0xFEFF DTLS 1.0, 0xFEFD DTLS 1.2).
        return hello != null && (hello.LegacyVersion >> 8) == 0xFE ? hello : null;
    }

    /// <summary>HelloRetryRequest (RFC 8446 §4.1.4), the same bytes whether sent or rebuilt from a cookie.</summary>
    public static ServerHello RetryRequest(bool datagram, byte[] sessionId, CipherSuiteInfo suite, TlsNamedGroup? group, byte[] cookie)
    {
        var retry = new ServerHello
        {
            LegacyVersion = DatagramVersions.LegacyVersion(datagram),
            Random = ServerHello.HelloRetryRequestRandom,
            LegacySessionIdEcho = sessionId,
            CipherSuite = (ushort)suite.Suite,
            Extensions = new List<Extension> { new(ExtensionType.SupportedVersions, ExtensionCodecs.EncodeU16(DatagramVersions.Wire(TlsVersion.Tls13, datagram))) },
        };
        if (group != null)
        {
            retry.Extensions.Add(new Extension(ExtensionType.KeyShare, ExtensionCodecs.EncodeU16((ushort)group.Value)));
        }

        retry.Extensions.Add(new Extension(ExtensionType.Cookie, ExtensionCodecs.EncodeCookie(cookie)));
        return retry;
    }

    /// <summary>
    /// DTLS 1.3: a HelloRetryRequest whose cookie holds all the server needs; nothing is kept, so the
    /// second ClientHello may reach any connection holding the same cookie key (RFC 9147 §5.1).
    /// </summary>
    public static HandshakeState SendStatelessRetry(HandshakeContext context, ServerConfig config, HandshakeMessage message, ClientHello hello, CipherSuiteInfo suite, TlsNamedGroup? group)
    {
        using IHashContext hash = context.Crypto.CreateHash(suite.Hash);
        hash.Update(message.TranscriptForm);
        byte[] cookie = AddressCookies.IssueRetry(context, config, suite, group, hash.GetCurrentHash());
        context.Channel.SetVersion(TlsVersion.Tls13);
        context.SendOutsideTranscript(RetryRequest(datagram: true, hello.LegacySessionId, suite, group, cookie).Encode());
        return new ExpectClientHello(config);
    }

    /// <summary>
    /// DTLS 1.3: the second ClientHello's cookie verified, the transcript is what it would have been had
    /// the server kept it: message_hash(ClientHello1), then the HelloRetryRequest (RFC 8446 §4.4.1).
    /// </summary>
    public static AddressCookies.RetryCookie ResumeFromCookie(HandshakeContext context, ServerConfig config, ClientHelloOffer offer, byte[] cookie)
    {
        AddressCookies.RetryCookie opened = AddressCookies.OpenRetry(context, config, cookie);
        if (!offer.Hello.CipherSuites.Contains((ushort)opened.Suite.Suite) || !config.CipherSuites.Contains(opened.Suite.Suite))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello no longer offers the cipher suite of the HelloRetryRequest.");
        }

        if (offer.EarlyDataOffered)
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello offers early data, which is not permitted after a HelloRetryRequest.");
        }

        if (opened.Group != null && (offer.KeyShares.Count != 1 || offer.KeyShares[0].Group != (ushort)opened.Group.Value))
        {
            throw new TlsFailureException(TlsFailureReason.InvalidSecondClientHello, "The second ClientHello does not answer the requested group.");
        }

        context.HelloRetryRequested = true;
        context.Transcript.StartWithMessageHash(opened.Suite.Hash, opened.ClientHelloHash);
        context.Transcript.Add(RetryRequest(datagram: true, offer.Hello.LegacySessionId, opened.Suite, opened.Group, cookie).Encode());
        return opened;
    }

    /// <summary>
    /// DTLS 1.2: null when the ClientHello's cookie verifies (or no check is wanted); otherwise the
    /// HelloVerifyRequest is sent and the server waits, keeping nothing, for the hello again (RFC 6347 §4.2.1).
    /// A wrong cookie is treated as none, as RFC 6347 §4.2.1 advises: the client may hold an old one.
    /// </summary>
    public static HandshakeState? VerifyAddress12(HandshakeContext context, ServerConfig config, ClientHello hello)
    {
        if (!config.ValidatePeerAddress && hello.Cookie.Length == 0)
        {
            return null;
        }

        if (AddressCookies.CheckVerify(context, config, hello))
        {
            return null;
        }

        context.SendOutsideTranscript(HelloVerifyRequest.Encode(HelloVerifyRequest.ServerVersion, AddressCookies.IssueVerify(context, config, hello)));
        return new ExpectClientHello(config);
    }
}
