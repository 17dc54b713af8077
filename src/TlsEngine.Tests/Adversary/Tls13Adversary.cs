using TlsEngine.Crypto;
using TlsEngine.KeySchedule;
using TlsEngine.Messages;

namespace TlsEngine.Tests.Adversary;

/// <summary>The TLS 1.3 key schedule (RFC 8446 §7.1) both adversary roles run, and their post-handshake moves.</summary>
internal abstract class Tls13Adversary : AdversaryPeer
{
    protected Tls13Adversary(TlsConnection engine)
        : base(engine, tls12: false)
    {
    }

    public CipherSuiteInfo Suite { get; protected set; } = CipherSuiteInfo.Get(TlsCipherSuite.TLS_AES_128_GCM_SHA256);

    public Hkdf Hkdf => new(Crypto, Suite.Hash);

    /// <summary>The PSK the handshake secret is built on (empty: full handshake).</summary>
    public byte[] Psk { get; protected set; } = Array.Empty<byte>();

    public byte[] ClientHandshakeSecret { get; private set; } = Array.Empty<byte>();

    public byte[] ServerHandshakeSecret { get; private set; } = Array.Empty<byte>();

    /// <summary>The current generation of each application traffic secret.</summary>
    public byte[] ClientApplicationSecret { get; protected set; } = Array.Empty<byte>();

    public byte[] ServerApplicationSecret { get; protected set; } = Array.Empty<byte>();

    public byte[] ResumptionSecret { get; protected set; } = Array.Empty<byte>();

    protected MasterStage? Master { get; private set; }

    private HandshakeStage? HandshakeStage { get; set; }

    /// <summary>True for the adversary playing the server.</summary>
    protected abstract bool IsServer { get; }

    /// <summary>A key for <paramref name="secret"/> with a fresh sequence number.</summary>
    public AdversaryCipher KeyFor(byte[] secret, string name) => AdversaryCipher.Tls13(Crypto, Suite, secret, name);

    public AdversaryCipher ClientHandshakeKey() => KeyFor(ClientHandshakeSecret, "client handshake");

    public AdversaryCipher ServerHandshakeKey() => KeyFor(ServerHandshakeSecret, "server handshake");

    /// <summary>verify_data a Finished from <paramref name="baseSecret"/> carries at this point of the transcript.</summary>
    public byte[] VerifyData(byte[] baseSecret) => Hkdf.FinishedVerifyData(baseSecret, Transcript.Hash(Suite.Hash));

    /// <summary>Sends KeyUpdate and moves the adversary's sending direction to the next generation (RFC 8446 §4.6.3).</summary>
    public void SendKeyUpdate(bool requestUpdate, bool switchKeys = true)
    {
        SendPostHandshake(KeyUpdateMessage.Encode(requestUpdate));
        if (switchKeys)
        {
            UpdateOwnKeys();
        }
    }

    /// <summary>The adversary's own next-generation application key, without sending KeyUpdate.</summary>
    public void UpdateOwnKeys()
    {
        if (IsServer)
        {
            ServerApplicationSecret = TrafficKeys.NextGeneration(Hkdf, ServerApplicationSecret);
            WriteKey = KeyFor(ServerApplicationSecret, "server application (updated)");
        }
        else
        {
            ClientApplicationSecret = TrafficKeys.NextGeneration(Hkdf, ClientApplicationSecret);
            WriteKey = KeyFor(ClientApplicationSecret, "client application (updated)");
        }
    }

    /// <summary>Post-handshake messages stay out of the transcript (RFC 8446 §4.4.1).</summary>
    public void SendPostHandshake(byte[] encoded) => SendHandshake(encoded, addToTranscript: false);

    protected void DeriveHandshakeSecrets(byte[] sharedSecret)
    {
        using var early = new EarlyStage(Hkdf, Psk);
        HandshakeStage = early.Next(sharedSecret);
        byte[] helloHash = Transcript.Hash(Suite.Hash);
        ClientHandshakeSecret = HandshakeStage.ClientTrafficSecret(helloHash);
        ServerHandshakeSecret = HandshakeStage.ServerTrafficSecret(helloHash);
        Wire.AddKey(IsServer ? ClientHandshakeKey() : ServerHandshakeKey());
    }

    /// <summary>After the server's Finished: both application secrets; the engine's keys of four generations become readable.</summary>
    protected void DeriveApplicationSecrets()
    {
        Master = HandshakeStage!.Next();
        byte[] finishedHash = Transcript.Hash(Suite.Hash);
        ClientApplicationSecret = Master.ClientTrafficSecret(finishedHash);
        ServerApplicationSecret = Master.ServerTrafficSecret(finishedHash);
        byte[] engineSecret = IsServer ? ClientApplicationSecret : ServerApplicationSecret;
        for (int generation = 0; generation < 4; generation++)
        {
            Wire.AddKey(KeyFor(engineSecret, $"{(IsServer ? "client" : "server")} application {generation}"));
            engineSecret = TrafficKeys.NextGeneration(Hkdf, engineSecret);
        }
    }

    protected void SendCompatibilityChangeCipherSpec()
    {
        if (SendCompatibilityCcs)
        {
            SendChangeCipherSpec();
        }
    }
}
