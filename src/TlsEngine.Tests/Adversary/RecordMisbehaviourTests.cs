using TlsEngine.Messages;
using Xunit;
using A = TlsEngine.TlsAlertDescription;
using R = TlsEngine.TlsFailureReason;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// TLS 1.3 record-layer misbehaviour (RFC 8446 §5) in every epoch, against the engine in both
/// roles; outcomes follow the engine's record policy.
/// </summary>
public class RecordMisbehaviourTests
{
    private static readonly byte[] Ping = "ping"u8.ToArray();

    private static readonly Catalogue<Tls13ServerAdversary> AgainstClient = new Catalogue<Tls13ServerAdversary>(() => new Tls13ServerAdversary())
        // Plaintext epoch (the client has sent its ClientHello, has no keys yet).
        .Fails("Empty handshake record before ServerHello", R.EmptyRecord, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(22, Array.Empty<byte>())))
        .Fails("Application data record before ServerHello", R.UnexpectedContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(23, Ping)))
        .Fails("Content type 24 (heartbeat) before ServerHello", R.UnknownContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(24, Ping)))
        .Fails("Content type 19 before ServerHello", R.UnknownContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(19, Ping)))
        .Fails("ServerHello record with legacy version 0x0200", R.InvalidRecordVersion, A.DecodeError,
            a => a.Before(HandshakeType.ServerHello, p => p.RecordVersion = 0x0200))
        .Fails("change_cipher_spec carrying 0x02", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.SendChangeCipherSpec(2)))
        .Fails("change_cipher_spec of two bytes", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.SendChangeCipherSpec(1, 1)))
        .Fails("Empty change_cipher_spec record", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(20, Array.Empty<byte>())))
        .Fails("Two change_cipher_spec records before ServerHello", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => { p.SendChangeCipherSpec(); p.SendChangeCipherSpec(); }))
        .Fails("Empty alert record", R.EmptyRecord, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(21, Array.Empty<byte>())))
        .Fails("One-byte alert record", R.MalformedAlert, A.DecodeError,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(21, new byte[] { 2 })))
        .Fails("Three-byte alert record", R.MalformedAlert, A.DecodeError,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(21, new byte[] { 2, 40, 0 })))
        .Fails("Plaintext record of 2^14+1 bytes", R.RecordOverflow, A.RecordOverflow,
            a => a.Before(HandshakeType.ServerHello, p => p.SendPlaintext(22, new byte[16385])))
        .Fails("change_cipher_spec between fragments of ServerHello", R.InterleavedContentType, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.ServerHello, m => { m.FragmentSize = 20; m.AfterFirstFragment = p => p.SendChangeCipherSpec(); }))
        .Fails("Warning alert between fragments of ServerHello", R.InterleavedContentType, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.ServerHello, m => { m.FragmentSize = 20; m.AfterFirstFragment = p => p.SendAlert(1, 112); }))
        .Fails("ServerHello record also carries the start of the next message", R.HandshakeMessageSpansKeyChange, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.ServerHello, m => m.ExtraInRecord = new byte[] { 8, 0, 0 }))

        // Handshake epoch.
        .Fails("EncryptedExtensions in a plaintext record", R.UnprotectedRecordUnderKeys, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.EncryptedExtensions, m => m.Plaintext = true))
        .Fails("Finished in a plaintext record", R.UnprotectedRecordUnderKeys, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.Finished, m => m.Plaintext = true))
        .Fails("Plaintext fatal alert under handshake keys", R.UnprotectedRecordUnderKeys, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendPlaintext(21, new byte[] { 2, 40 })))
        .Fails("Second change_cipher_spec under handshake keys", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendChangeCipherSpec()))
        .Fails("Protected change_cipher_spec (inner type 20)", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendProtected(20, new byte[] { 1 })))
        .Fails("Corrupted authentication tag on EncryptedExtensions", R.BadRecordMac, A.BadRecordMac,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.CorruptNextRecords = 1))
        .Fails("Skipped record sequence number", R.BadRecordMac, A.BadRecordMac,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.WriteKey!.Sequence++))
        .Fails("EncryptedExtensions under the client's handshake key", R.BadRecordMac, A.BadRecordMac,
            a => a.Edit(HandshakeType.EncryptedExtensions, m => m.Key = a.ClientHandshakeKey()))
        .Fails("Inner plaintext of zeros only", R.MissingInnerContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendInner(new byte[12])))
        .Fails("Empty inner plaintext", R.MissingInnerContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendInner(Array.Empty<byte>())))
        .Fails("Inner application data under handshake keys", R.UnexpectedContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendProtected(23, Ping)))
        .Fails("Empty protected alert", R.EmptyRecord, A.UnexpectedMessage,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendProtected(21, Array.Empty<byte>())))
        .Fails("One-byte protected alert", R.MalformedAlert, A.DecodeError,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendProtected(21, new byte[] { 2 })))
        .Fails("Alert between fragments of EncryptedExtensions", R.InterleavedContentType, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.EncryptedExtensions, m => { m.FragmentSize = 3; m.AfterFirstFragment = p => p.SendAlert(1, 90); }))
        .Fails("Finished record also carries the start of a NewSessionTicket", R.HandshakeMessageSpansKeyChange, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.Finished, m => m.ExtraInRecord = new byte[] { 4, 0, 0, 9 }))
        .Fails("Protected record longer than 2^14+256 bytes", R.RecordOverflow, A.RecordOverflow,
            a => a.Before(HandshakeType.EncryptedExtensions, p => p.SendPlaintext(23, new byte[16641])))

        // Application epoch.
        .Fails("Plaintext close_notify after the handshake", R.UnprotectedRecordUnderKeys, A.UnexpectedMessage,
            a => a.AfterHandshake(p => p.SendPlaintext(21, new byte[] { 1, 0 })))
        .Fails("change_cipher_spec after the handshake", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.AfterHandshake(p => p.SendChangeCipherSpec()))
        .Fails("Corrupted application data record", R.BadRecordMac, A.BadRecordMac,
            a => a.AfterHandshake(p => { p.CorruptNextRecords = 1; p.SendApplicationData(Ping); }))
        .Fails("Application data under the server handshake key", R.BadRecordMac, A.BadRecordMac,
            a => a.AfterHandshake(p => p.SendProtected(23, Ping, key: a.ServerHandshakeKey())))
        .Fails("Application data content of 2^14+1 bytes", R.RecordOverflow, A.RecordOverflow,
            a => a.AfterHandshake(p => p.SendProtected(23, new byte[16385])))
        .Fails("Inner plaintext of 2^14+3 bytes made of padding", R.RecordOverflow, A.RecordOverflow,
            a => a.AfterHandshake(p => p.SendProtected(23, Ping, padding: 16384 - 2)))
        .Fails("Thirty-three empty application data records in a row", R.TooManyEmptyRecords, A.UnexpectedMessage,
            a => a.AfterHandshake(p => Repeat(33, () => p.SendApplicationData(Array.Empty<byte>()))))
        .Fails("Application data between fragments of a NewSessionTicket", R.InterleavedContentType, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.NewSessionTicket, m => { m.FragmentSize = 5; m.AfterFirstFragment = p => p.SendApplicationData(Ping); })
                .AfterHandshake(_ => a.SendPostHandshake(Tls13ServerAdversary.Ticket().Encode())))

        // Tolerated.
        .Tolerated("EncryptedExtensions in one-byte records", a => a.Edit(HandshakeType.EncryptedExtensions, m => m.FragmentSize = 1))
        .Tolerated("Whole server flight coalesced into few records", a => a.Coalesce = true)
        .Tolerated("Protected records with legacy_record_version 0x0301", a => a.ProtectedRecordVersion = 0x0301)
        .Tolerated("Inner plaintext padded to the 2^14+1 limit", a => a.AfterHandshake(p => p.SendProtected(23, Ping, padding: 16385 - 5)))
        .Tolerated("Thirty-two empty application data records then data", a => a.AfterHandshake(p => Repeat(32, () => p.SendApplicationData(Array.Empty<byte>()))));

    private static readonly Catalogue<Tls13ClientAdversary> AgainstServer = new Catalogue<Tls13ClientAdversary>(() => new Tls13ClientAdversary())
        .Fails("Empty handshake record before ClientHello", R.EmptyRecord, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ClientHello, p => p.SendPlaintext(22, Array.Empty<byte>())))
        .Fails("change_cipher_spec before any ClientHello", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ClientHello, p => p.SendChangeCipherSpec()))
        .Fails("Application data record before ClientHello", R.UnexpectedContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ClientHello, p => p.SendPlaintext(23, Ping)))
        .Fails("Content type 0 before ClientHello", R.UnknownContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ClientHello, p => p.SendPlaintext(0, Ping)))
        .Fails("Content type 99 before ClientHello", R.UnknownContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ClientHello, p => p.SendPlaintext(99, Ping)))
        .Fails("Content type 255 before ClientHello", R.UnknownContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.ClientHello, p => p.SendPlaintext(255, Ping)))
        .Fails("ClientHello record with legacy version 0x0400", R.InvalidRecordVersion, A.DecodeError,
            a => a.Before(HandshakeType.ClientHello, p => p.RecordVersion = 0x0400))
        .Fails("ClientHello record with the DTLS version 0xFEFD", R.InvalidRecordVersion, A.DecodeError,
            a => a.Before(HandshakeType.ClientHello, p => p.RecordVersion = 0xFEFD))
        .Fails("Plaintext record of 2^14+1 bytes before ClientHello", R.RecordOverflow, A.RecordOverflow,
            a => a.Before(HandshakeType.ClientHello, p => p.SendPlaintext(22, new byte[16385])))
        .Fails("ClientHello record also carries the start of the next message", R.HandshakeMessageSpansKeyChange, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.ClientHello, m => m.ExtraInRecord = new byte[] { 20, 0 }))
        .Fails("Unprotected application data after ClientHello without 0-RTT", R.BadRecordMac, A.BadRecordMac,
            a => a.After(HandshakeType.ClientHello, p => p.SendPlaintext(23, Ping)))
        .Fails("Second change_cipher_spec from the client", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.After(HandshakeType.ClientHello, p => p.SendChangeCipherSpec()))
        .Fails("Client Finished in a plaintext record", R.UnprotectedRecordUnderKeys, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.Finished, m => m.Plaintext = true))
        .Fails("Client Finished under the client application key", R.BadRecordMac, A.BadRecordMac,
            a => a.Edit(HandshakeType.Finished, m => m.Key = a.KeyFor(a.ClientApplicationSecret, "client application")))
        .Fails("Inner application data before the client Finished", R.UnexpectedContentType, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.SendProtected(23, Ping)))
        .Fails("Empty protected alert from the client", R.EmptyRecord, A.UnexpectedMessage,
            a => a.Before(HandshakeType.Finished, p => p.SendProtected(21, Array.Empty<byte>())))
        .Fails("Client Finished record also carries the start of a KeyUpdate", R.HandshakeMessageSpansKeyChange, A.UnexpectedMessage,
            a => a.Edit(HandshakeType.Finished, m => m.ExtraInRecord = new byte[] { 24, 0 }))
        .Fails("Protected record longer than 2^14+256 bytes to the server", R.RecordOverflow, A.RecordOverflow,
            a => a.Before(HandshakeType.Finished, p => p.SendPlaintext(23, new byte[16641])))
        .Fails("change_cipher_spec to the server after the handshake", R.UnexpectedChangeCipherSpec, A.UnexpectedMessage,
            a => a.AfterHandshake(p => p.SendChangeCipherSpec()))
        .Fails("Inner plaintext of zeros only after the handshake", R.MissingInnerContentType, A.UnexpectedMessage,
            a => a.AfterHandshake(p => p.SendInner(new byte[40])))
        .Fails("Thirty-three empty application data records to the server", R.TooManyEmptyRecords, A.UnexpectedMessage,
            a => a.AfterHandshake(p => Repeat(33, () => p.SendApplicationData(Array.Empty<byte>()))))
        .Tolerated("ClientHello in one-byte records", a => a.Edit(HandshakeType.ClientHello, m => m.FragmentSize = 1))
        .Tolerated("Client flight coalesced", a => a.Coalesce = true);

    public static TheoryData<string> ClientCases => AgainstClient.Theory;

    public static TheoryData<string> ServerCases => AgainstServer.Theory;

    [Theory]
    [MemberData(nameof(ClientCases))]
    public void Engine_client_handles_record_misbehaviour(string misbehaviour) => AgainstClient.Check(misbehaviour);

    [Theory]
    [MemberData(nameof(ServerCases))]
    public void Engine_server_handles_record_misbehaviour(string misbehaviour) => AgainstServer.Check(misbehaviour);

    internal static void Repeat(int count, Action act)
    {
        for (int i = 0; i < count; i++)
        {
            act();
        }
    }
}
