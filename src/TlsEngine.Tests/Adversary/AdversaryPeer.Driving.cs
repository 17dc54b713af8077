using TlsEngine.Messages;

namespace TlsEngine.Tests.Adversary;

internal abstract partial class AdversaryPeer
{
    private readonly byte[] _readBuffer = new byte[1 << 16];
    private readonly List<Action<AdversaryPeer>> _afterHandshake = new();

    /// <summary>The status the engine returned last.</summary>
    public TlsStatus LastStatus { get; private set; } = TlsStatus.WantRead;

    /// <summary>Why the role's script ended early; null when it played to the end.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Application data the engine handed to its host.</summary>
    public List<byte> EngineReceived { get; } = new();

    public bool EngineFailed => LastStatus == TlsStatus.Failed;

    public bool EngineClosed => LastStatus == TlsStatus.Closed;

    /// <summary>Plays the role's script; stops quietly where the engine fails or stalls.</summary>
    public AdversaryPeer Run()
    {
        try
        {
            Play();
            Flush();
            foreach (Action<AdversaryPeer> act in _afterHandshake)
            {
                if (EngineFailed || EngineClosed)
                {
                    throw Stop("the engine failed or closed before the post-handshake script");
                }

                act(this);
                Flush();
            }
        }
        catch (AdversaryStopped stop)
        {
            StopReason = stop.Message;
        }

        return this;
    }

    /// <summary>Runs <paramref name="act"/> once the handshake is over (each one delivered in turn).</summary>
    public AdversaryPeer AfterHandshake(Action<AdversaryPeer> act)
    {
        _afterHandshake.Add(act);
        return this;
    }

    /// <summary>Post-handshake scripting: queue records with <paramref name="act"/>, then deliver them.</summary>
    public AdversaryPeer Then(Action<AdversaryPeer> act)
    {
        act(this);
        Flush();
        return this;
    }

    protected abstract void Play();

    /// <summary>Delivers everything queued to the engine (as much as its Inbound takes at a time) and drives it.</summary>
    public void Flush()
    {
        FlushCoalesced();
        byte[] data = _pending.ToArray();
        _pending.Clear();
        int offset = 0;
        for (int round = 0; round < 100_000 && !EngineFailed; round++)
        {
            offset += Engine.Inbound.Write(data.AsSpan(offset));
            Drive();
            if (offset >= data.Length || Engine.Inbound.Available == 0)
            {
                break;
            }
        }
    }

    /// <summary>The engine writes application data; the adversary reads it off the wire.</summary>
    public TlsStatus EngineWrite(ReadOnlySpan<byte> data)
    {
        TlsStatus status = Engine.Write(data, out _);
        Wire.Append(Engine.Outbound.ReadAll());
        Wire.ParseAll();
        return status;
    }

    /// <summary>The next handshake message from the engine, which must have the expected type.</summary>
    protected byte[] Receive(byte type, string what)
    {
        byte[] message = ReceiveAny(what);
        if (message[0] != type)
        {
            throw Stop($"expected {what}, the engine sent {HandshakeType.Name(message[0])}");
        }

        return message;
    }

    protected byte[] ReceiveAny(string what)
    {
        Flush();
        for (int attempt = 0; attempt < 16; attempt++)
        {
            if (Wire.TryTakeHandshake(out byte[] message))
            {
                return message;
            }

            if (EngineFailed || EngineClosed)
            {
                throw Stop($"the engine {(EngineFailed ? "failed" : "closed")} instead of sending {what}");
            }

            int before = Wire.TotalBytes;
            Drive();
            if (Wire.TotalBytes == before)
            {
                throw Stop($"the engine sent no {what}{(Wire.Stuck ? " (a record no known key opens)" : string.Empty)}");
            }
        }

        throw Stop($"no {what} after many attempts");
    }

    /// <summary>Calls the engine until it stops making progress: handshake steps, then reads.</summary>
    private void Drive()
    {
        for (int step = 0; step < 256; step++)
        {
            bool wasComplete = Engine.IsHandshakeComplete;
            int inbound = Engine.Inbound.Length;
            LastStatus = wasComplete ? ReadFromEngine() : Engine.DoHandshake();
            byte[] output = Engine.Outbound.ReadAll();
            Wire.Append(output);
            if (LastStatus is TlsStatus.Failed or TlsStatus.Closed)
            {
                return;
            }

            if (output.Length == 0 && Engine.Inbound.Length == inbound && Engine.IsHandshakeComplete == wasComplete)
            {
                return;
            }
        }
    }

    private TlsStatus ReadFromEngine()
    {
        for (int i = 0; i < 4096; i++)
        {
            TlsStatus status = Engine.Read(_readBuffer, out int read);
            EngineReceived.AddRange(_readBuffer.AsSpan(0, read).ToArray());
            if (status != TlsStatus.Ok || read == 0)
            {
                return status;
            }
        }

        return TlsStatus.Ok;
    }
}
