using TlsEngine.Buffers;
using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;

namespace TlsEngine.Tests.Adversary;

/// <summary>The TLS 1.2 ECDHE-AEAD key schedule (RFC 5246, RFC 7627) both adversary roles share.</summary>
internal abstract class Tls12Adversary : AdversaryPeer
{
    protected Tls12Adversary(TlsConnection engine)
        : base(engine, tls12: true)
    {
    }

    public CipherSuiteInfo Suite { get; protected set; } = CipherSuiteInfo.Get(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);

    public byte[] ClientRandom { get; protected set; } = Array.Empty<byte>();

    public byte[] ServerRandom { get; protected set; } = Array.Empty<byte>();

    public byte[] MasterSecret { get; private set; } = Array.Empty<byte>();

    /// <summary>Derive the master secret the RFC 7627 way (default) or the legacy way.</summary>
    public bool ExtendedMasterSecret { get; set; } = true;

    public AdversaryCipher? ClientKey { get; private set; }

    public AdversaryCipher? ServerKey { get; private set; }

    /// <summary>Runs right before the role's change_cipher_spec (messages that belong before it, such as NewSessionTicket).</summary>
    public Action<AdversaryPeer>? BeforeOwnChangeCipherSpec { get; set; }

    protected abstract bool IsServer { get; }

    public Tls12KeySchedule Schedule => new(Crypto, Suite);

    /// <summary>The signed part of ServerKeyExchange: both randoms, then the ECDHE parameters (RFC 8422 §5.4).</summary>
    public byte[] SignedParameters(byte[] parameters)
    {
        var writer = new TlsWriter(128);
        writer.WriteBytes(ClientRandom);
        writer.WriteBytes(ServerRandom);
        writer.WriteBytes(parameters);
        return writer.ToArray();
    }

    /// <summary>After ClientKeyExchange is in the transcript: master secret and both directions' keys.</summary>
    protected void DeriveKeys(byte[] preMasterSecret)
    {
        MasterSecret = ExtendedMasterSecret
            ? Schedule.ExtendedMasterSecret(preMasterSecret, Transcript.Hash(Suite.Hash))
            : Schedule.LegacyMasterSecret(preMasterSecret, ClientRandom, ServerRandom);
        (ClientKey, ServerKey) = AdversaryCipher.Tls12(Crypto, Suite, MasterSecret, ClientRandom, ServerRandom);
        Wire.AddKey(IsServer ? ClientKey : ServerKey);
    }

    public byte[] VerifyData(bool fromClient) => Schedule.FinishedVerifyData(MasterSecret, fromClient, Transcript.Hash(Suite.Hash));

    /// <summary>Our change_cipher_spec (as many as configured), then our keys and our Finished (RFC 5246 §7.4.9).</summary>
    protected void SendOwnFinished()
    {
        BeforeOwnChangeCipherSpec?.Invoke(this);
        for (int i = 0; i < ChangeCipherSpecCopies; i++)
        {
            SendChangeCipherSpec();
        }

        WriteKey = IsServer ? ServerKey : ClientKey;
        SendHandshake(FinishedMessage.Encode(VerifyData(fromClient: !IsServer)));
    }

    /// <summary>Checks the engine's Finished and adds it to the transcript.</summary>
    protected void ReceiveFinished()
    {
        byte[] finished = Receive(HandshakeType.Finished, "Finished");
        if (!finished.AsSpan(4).SequenceEqual(VerifyData(fromClient: IsServer)))
        {
            throw Stop("the engine's Finished does not verify");
        }

        Transcript.Add(finished);
    }
}
