using System.Collections.Generic;
using System.Linq;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client;

/// <summary>RFC 8446 §4.3.1: only responses to extensions the client offered are allowed.</summary>
internal sealed class ExpectEncryptedExtensions : HandshakeState
{
    private readonly ClientHello _hello;
    private readonly ClientConfig _config;
    private readonly bool _resumed;
    private readonly bool _earlyPending;
    private readonly HandshakeStage _handshakeKeys;

    public ExpectEncryptedExtensions(ClientHello hello, ClientConfig config, bool resumed, bool earlyPending, HandshakeStage handshakeKeys)
    {
        _handshakeKeys = handshakeKeys;
        _hello = hello;
        _config = config;
        _resumed = resumed;
        _earlyPending = earlyPending;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        Expect(message, HandshakeType.EncryptedExtensions);
        EncryptedExtensions extensions = EncryptedExtensions.TryParse(message.Body) ?? throw Malformed(message.Type);
        if (extensions.HasDuplicateExtension)
        {
            throw new TlsFailureException(TlsFailureReason.DuplicateExtension, "EncryptedExtensions repeats an extension.");
        }

        foreach (Extension extension in extensions.Extensions)
        {
            switch (extension.Type)
            {
                case ExtensionType.KeyShare:
                case ExtensionType.SupportedVersions:
                case ExtensionType.PreSharedKey:
                case ExtensionType.Cookie:
                case ExtensionType.PskKeyExchangeModes:
                case ExtensionType.SignatureAlgorithms:
                case ExtensionType.ConnectionId:
                    throw new TlsFailureException(TlsFailureReason.MisplacedExtension, $"Extension {extension.Type} is not allowed in EncryptedExtensions.");
                case ExtensionType.Alpn:
                    ProcessAlpn(context, _config, extension);
                    break;
                case ExtensionType.EarlyData:
                    if (!ExtensionCodecs.IsEmpty(extension.Data))
                    {
                        throw TlsFailureException.Decode("The early_data acknowledgement carries data.");
                    }

                    if (!_earlyPending)
                    {
                        // RFC 8446 §4.2.10: accepting early data without the first PSK is illegal_parameter;
                        // acknowledging early data that was never offered is unsolicited (§4.2).
                        throw _hello.Find(ExtensionType.EarlyData) != null
                            ? new TlsFailureException(TlsFailureReason.EarlyDataAcceptedWithoutPsk, "The server accepted early data without selecting the PSK it was sent under.")
                            : TlsFailureException.UnsupportedExtension("The server accepted early data that was not offered.");
                    }

                    context.EarlyDataStatus = TlsEarlyDataStatus.Accepted;
                    break;
                case ExtensionType.ServerName:
                    CheckServerNameAcknowledgement(_hello, extension);
                    break;
                case ExtensionType.ServerCertificateType:
                case ExtensionType.ClientCertificateType:
                case ExtensionType.RecordSizeLimit:
                case ExtensionType.MaxFragmentLength:
                    // Checked together below: the two exclude each other (RFC 8449 §5).
                    break;
                default:
                    if (_hello.Find(extension.Type) == null)
                    {
                        throw TlsFailureException.UnsupportedExtension($"EncryptedExtensions carries extension {extension.Type}, which was not offered.");
                    }

                    break;
            }
        }

        RecordSizeNegotiation.AcceptAnswer(context, _config, extensions.Extensions, tls13: true);
        CertificateTypes.AcceptAnswer(context, _config, extensions.Extensions);
        context.Transcript.Add(message.TranscriptForm);
        if (_earlyPending && context.EarlyDataStatus != TlsEarlyDataStatus.Accepted)
        {
            context.InstallWriteSecret(context.RequireTraffic.Client, TrafficEpoch.Handshake);
        }

        // A resumed handshake authenticates through the PSK: no Certificate (RFC 8446 §2.2).
        return _resumed ? new ExpectFinished(_config, null, _handshakeKeys) : new ExpectCertificate(_config, _handshakeKeys);
    }

    /// <summary>RFC 6066 §3: the server's server_name is empty, and only answers a client that sent one (RFC 8446 §4.2).</summary>
    internal static void CheckServerNameAcknowledgement(ClientHello hello, Extension extension)
    {
        if (!ExtensionCodecs.IsEmpty(extension.Data))
        {
            throw TlsFailureException.Decode("The server_name acknowledgement is not empty.");
        }

        if (hello.Find(ExtensionType.ServerName) == null)
        {
            throw TlsFailureException.UnsupportedExtension("The server acknowledged a server_name that was not sent.");
        }
    }

    /// <summary>RFC 7301 §3.1, shared with TLS 1.2's ServerHello.</summary>
    internal static void ProcessAlpn(HandshakeContext context, ClientConfig config, Extension extension)
    {
        if (config.ApplicationProtocols.Count == 0)
        {
            throw TlsFailureException.UnsupportedExtension("The server selected an application protocol that was not offered.");
        }

        // RFC 7301 §3.1: the server answers with exactly one protocol from the client's list.
        if (!ExtensionCodecs.TryDecodeAlpn(extension.Data, out List<string> selected) || selected.Count != 1)
        {
            throw TlsFailureException.Decode("The ALPN response must name exactly one protocol.");
        }

        if (!config.ApplicationProtocols.Contains(selected[0]))
        {
            throw new TlsFailureException(TlsFailureReason.ApplicationProtocolNotOffered, "The server selected an application protocol that was not offered.");
        }

        context.ApplicationProtocol = selected[0];
    }
}
