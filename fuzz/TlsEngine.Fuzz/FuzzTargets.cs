using TlsEngine.Crypto;
using TlsEngine.Messages;
using TlsEngine.Records;
using TlsEngine.X509;

namespace TlsEngine.Fuzz;

/// <summary>
/// One entry point per attack surface. Each drives a deterministically seeded engine with the
/// input and throws only when the engine breaks a rule: an exception escaping a public call, an
/// invalid status, or a codec that does not round-trip.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["client"] = data => ClientHandshake(data),
        ["server"] = data => ServerHandshake(data),
        ["deframer"] = data => Deframer(data),
        ["messages"] = data => HandshakeMessages(data),
        ["certificates"] = data => Certificates(data),
        ["chain"] = data => _ = ChainTarget.Run(data),
        ["post-handshake"] = data => PostHandshake(data),
        ["dtls-records"] = data => DtlsTargets.Records(data),
        ["dtls-fragments"] = data => DtlsTargets.Fragments(data),
        ["dtls-client"] = data => DtlsConnectionTargets.Client(data),
        ["dtls-server"] = data => DtlsConnectionTargets.Server(data),
    };

    /// <summary>Arbitrary server bytes to a client. First byte: delivery chunk size (0 = all at once).</summary>
    public static void ClientHandshake(ReadOnlySpan<byte> data)
    {
        using TlsConnection client = Handshake(server: false, data);
    }

    /// <summary>Arbitrary client bytes to a server. First byte: delivery chunk size.</summary>
    public static void ServerHandshake(ReadOnlySpan<byte> data)
    {
        using TlsConnection server = Handshake(server: true, data);
    }

    /// <summary>What the client or server target does with an input, returning the connection so its outcome can be inspected.</summary>
    public static TlsConnection Handshake(bool server, ReadOnlySpan<byte> data)
    {
        TlsConnection connection = server ? TlsConnection.CreateServer(FuzzSetup.Server()) : TlsConnection.CreateClient(FuzzSetup.Client());
        try
        {
            Drive(connection, data);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Arbitrary bytes to the record deframer, without keys.</summary>
    public static void Deframer(ReadOnlySpan<byte> data)
    {
        var layer = new RecordLayer(new HandshakeReassembler(1 << 17), maxEmptyRecordsInRow: 32, offersTls12: true, isServer: true);
        byte[] input = data.ToArray();
        try
        {
            int records = 0;
            int consumed = 0;
            while (layer.TryReadRecord(input, ref consumed, out Record record))
            {
                Check(record.Content.Length <= RecordLimits.MaxPlaintext, "deframer returned an oversized record");
                Check(++records <= data.Length, "deframer produced more records than input bytes");
                Check(consumed <= input.Length, "deframer consumed more than its input");
            }
        }
        catch (TlsFailureException failure) when (failure.Reason != TlsFailureReason.Internal)
        {
            // A typed protocol failure is the correct outcome for malformed input; an internal one is a finding.
        }
    }

    /// <summary>First byte selects a codec; the rest is a message body. Whatever parses must re-encode stably.</summary>
    public static void HandshakeMessages(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return;
        }

        ReadOnlySpan<byte> body = data.Slice(1);
        switch (data[0] % 7)
        {
            case 0:
                Stable(ClientHello.TryParse(body)?.Encode(), b => ClientHello.TryParse(b)?.Encode());
                break;
            case 1:
                Stable(ServerHello.TryParse(body)?.Encode(), b => ServerHello.TryParse(b)?.Encode());
                break;
            case 2:
                Stable(EncryptedExtensions.TryParse(body)?.Encode(), b => EncryptedExtensions.TryParse(b)?.Encode());
                break;
            case 3:
                Stable(CertificateMessage.TryParse(body)?.Encode(), b => CertificateMessage.TryParse(b)?.Encode());
                break;
            case 4:
                Stable(CertificateVerifyMessage.TryParse(body)?.Encode(), b => CertificateVerifyMessage.TryParse(b)?.Encode());
                break;
            case 5:
                Stable(NewSessionTicketMessage.TryParse(body)?.Encode(), b => NewSessionTicketMessage.TryParse(b)?.Encode());
                break;
            default:
                CertificateRequestMessage.TryParse(body);
                ExtensionCodecs.TryDecodeAlpn(body, out _);
                ExtensionCodecs.TryDecodeServerName(body, out _);
                ExtensionCodecs.TryDecodeClientKeyShares(body, out _);
                ExtensionCodecs.TryDecodeServerKeyShare(body, out _);
                ExtensionCodecs.TryDecodeCookie(body, out _);
                ExtensionCodecs.TryDecodeEcPointFormats(body, out _);
                ExtensionCodecs.TryDecodeRenegotiationInfo(body, out _);
                ExtensionCodecs.TryDecodePskModes(body, out _, out _);
                ExtensionCodecs.IsValidAuthorities(body, minimumLength: 3);
                Tls12CertificateRequestMessage.TryParse(body);
                PreSharedKeyOffer.TryParse(body);
                break;
        }
    }

    /// <summary>Arbitrary bytes as a DER certificate, then validated as a one-certificate chain.</summary>
    public static void Certificates(ReadOnlySpan<byte> data)
    {
        ICertificate? certificate = CryptoProviders.Default.ParseCertificate(data.ToArray());
        if (certificate == null)
        {
            return;
        }

        HostNameMatcher.Matches(certificate, "localhost");
        HostNameMatcher.Matches(certificate, "127.0.0.1");
        try
        {
            CertificateValidator.Validate(new[] { certificate }, FuzzSetup.TrustAnchors.Anchors, "localhost", FuzzSetup.Now.UtcDateTime, forServer: true);
        }
        catch (TlsFailureException failure) when (failure.Reason != TlsFailureReason.Internal)
        {
            // An invalid certificate is the expected outcome; an internal failure is a finding.
        }
    }

    /// <summary>
    /// After a real handshake, the server sends records whose plaintext is the input, so
    /// KeyUpdate, NewSessionTicket and alerts are parsed under valid encryption. Input: a
    /// sequence of [content type selector, length, bytes].
    /// </summary>
    public static void PostHandshake(ReadOnlySpan<byte> data)
    {
        using var client = TlsConnection.CreateClient(FuzzSetup.Client());
        using var server = TlsConnection.CreateServer(FuzzSetup.Server());
        var pair = new TlsPair(client, server);
        Check(pair.Handshake(), "the seeded handshake failed");
        var buffer = new byte[4096];
        int offset = 0;
        while (offset + 2 <= data.Length)
        {
            var type = (ContentType)(20 + (data[offset] % 4));
            int length = Math.Min(data[offset + 1], data.Length - offset - 2);
            server.WriteRawRecord(type, data.Slice(offset + 2, length));
            offset += 2 + length;
            client.Inbound.Write(server.Outbound.ReadAll());
            TlsStatus status = client.Read(buffer, out _);
            CheckStatus(client, status);
            client.Outbound.ReadAll();
            if (status is TlsStatus.Failed or TlsStatus.Closed)
            {
                return;
            }
        }
    }

    private static void Drive(TlsConnection connection, ReadOnlySpan<byte> data)
    {
        int chunk = data.Length > 0 && data[0] > 0 ? data[0] : int.MaxValue;
        ReadOnlySpan<byte> input = data.Length > 0 ? data.Slice(1) : data;
        var buffer = new byte[1024];
        TlsStatus status = connection.DoHandshake();
        CheckStatus(connection, status);
        connection.Outbound.ReadAll();
        while (input.Length > 0 && status != TlsStatus.Failed)
        {
            int take = connection.Inbound.Write(input.Slice(0, Math.Min(chunk, input.Length)));
            Check(take > 0 || connection.Inbound.Available == 0, "Inbound refused bytes while it had room");
            input = input.Slice(take);
            status = connection.IsHandshakeComplete ? connection.Read(buffer, out _) : connection.DoHandshake();
            CheckStatus(connection, status);
            connection.Outbound.ReadAll();
            if (take == 0)
            {
                break;
            }
        }
    }

    private static void CheckStatus(TlsConnection connection, TlsStatus status)
    {
        Check(Enum.IsDefined(status), "invalid status");
        Check((status == TlsStatus.Failed) == (connection.LastError != null), "Failed and LastError disagree");
        // The Internal reason comes from the engine's last-resort catch (an exception escaped some parser) or from
        // an engine invariant: peer bytes must never provoke either, so both are findings.
        Check(connection.LastError?.Reason != TlsFailureReason.Internal, $"internal error: {connection.LastError?.Message}");
    }

    private static void Stable(byte[]? encoded, Func<byte[], byte[]?> reparse)
    {
        if (encoded == null)
        {
            return;
        }

        byte[]? again = reparse(encoded.AsSpan(4).ToArray());
        Check(again != null && again.AsSpan().SequenceEqual(encoded), "a parsed message does not re-encode to the same bytes");
    }

    internal static void Check(bool condition, string rule)
    {
        if (!condition)
        {
            throw new FuzzRuleViolation(rule);
        }
    }
}

public sealed class FuzzRuleViolation : Exception
{
    public FuzzRuleViolation(string message)
        : base(message)
    {
    }
}
