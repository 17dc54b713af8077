using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;
using TlsEngine.Records;

namespace TlsEngine.Handshake.Client.Tls12;

/// <summary>
/// ServerHelloDone, optionally after CertificateRequest; then the client's flight:
/// [Certificate], ClientKeyExchange, ChangeCipherSpec, Finished (RFC 5246 §7.3).
/// </summary>
internal sealed class ExpectServerHelloDone12 : HandshakeState
{
    private readonly IKeyShare _share;
    private readonly byte[] _preMasterSecret;
    private readonly bool _extendedMasterSecret;
    private readonly bool _certificateRequested;

    public ExpectServerHelloDone12(IKeyShare share, byte[] preMasterSecret, bool extendedMasterSecret, bool certificateRequested = false)
    {
        _share = share;
        _preMasterSecret = preMasterSecret;
        _extendedMasterSecret = extendedMasterSecret;
        _certificateRequested = certificateRequested;
    }

    public override HandshakeState Handle(HandshakeContext context, HandshakeMessage message)
    {
        if (message.Type == HandshakeType.CertificateRequest && !_certificateRequested)
        {
            if (!Tls12CertificateRequestMessage.TryParse(message.Body))
            {
                throw Malformed(message.Type);
            }

            context.Transcript.Add(message.Encoded);
            return new ExpectServerHelloDone12(_share, _preMasterSecret, _extendedMasterSecret, certificateRequested: true);
        }

        Expect(message, HandshakeType.ServerHelloDone);
        if (message.Body.Length != 0)
        {
            throw Malformed(message.Type);
        }

        context.Transcript.Add(message.Encoded);
        if (_certificateRequested)
        {
            // No client credential: an empty chain lets the server decide (RFC 5246 §7.4.6).
            context.SendHandshake(Tls12CertificateMessage.Encode(System.Array.Empty<byte[]>()));
        }

        context.SendHandshake(ClientKeyExchangeMessage.Encode(_share.PublicKey));
        _share.Dispose();
        var schedule = new Tls12KeySchedule(context.Crypto, context.RequireSuite);
        byte[] master = _extendedMasterSecret
            ? schedule.ExtendedMasterSecret(_preMasterSecret, context.Transcript.Current())
            : schedule.LegacyMasterSecret(_preMasterSecret, context.ClientRandom, context.ServerRandom);
        context.MasterSecret12 = context.Own(master);
        context.LogSecret("CLIENT_RANDOM", master);
        (IRecordProtection client, IRecordProtection server) = schedule.RecordProtections(master, context.ClientRandom, context.ServerRandom);

        context.Records.Write(ContentType.ChangeCipherSpec, new byte[] { 1 }, context.Outbound);
        context.Records.SetWriteProtection(client);
        byte[] verifyData = schedule.FinishedVerifyData(master, fromClient: true, context.Transcript.Current());
        context.SendHandshake(FinishedMessage.Encode(verifyData));
        return new ExpectServerFinished12(schedule, server);
    }
}
