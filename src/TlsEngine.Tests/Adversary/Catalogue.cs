using Xunit;

namespace TlsEngine.Tests.Adversary;

/// <summary>
/// A table of misbehaviours for one adversary role, in the manner of BoringSSL's ProtocolBugs: each
/// entry is one knob (a script over the adversary's hooks) and the outcome the engine under test
/// must produce. A theory runs every entry by name, so each misbehaviour is its own test row.
/// </summary>
internal sealed class Catalogue<T>
    where T : AdversaryPeer
{
    private readonly Func<T> _create;
    private readonly Dictionary<string, (Action<T> Script, Action<T> Verify, Func<T>? Create)> _entries = new();

    public Catalogue(Func<T> create)
    {
        _create = create;
    }

    public IEnumerable<string> Names => _entries.Keys;

    public TheoryData<string> Theory => new(_entries.Keys);

    /// <summary>The engine must fail with <paramref name="reason"/> and send <paramref name="alert"/>.</summary>
    public Catalogue<T> Fails(string name, TlsFailureReason reason, TlsAlertDescription alert, Action<T> script, Func<T>? create = null) =>
        Add(name, script, a => a.ExpectFailure(reason, alert), create);

    /// <summary>The adversary's alert must end the connection without an alert back.</summary>
    public Catalogue<T> PeerAlert(string name, TlsAlertDescription alert, Action<T> script, Func<T>? create = null) =>
        Add(name, script, a => a.ExpectPeerAlert(alert), create);

    public Catalogue<T> FailsSilently(string name, TlsFailureReason reason, TlsAlertDescription alert, Action<T> script, Func<T>? create = null) =>
        Add(name, script, a => a.ExpectSilentFailure(reason, alert), create);

    /// <summary>
    /// The engine must tolerate the misbehaviour: the handshake completes and data flows both ways;
    /// <paramref name="check"/> asserts what else must hold (resumed, 0-RTT taken...).
    /// </summary>
    public Catalogue<T> Tolerated(string name, Action<T> script, Func<T>? create = null, Action<T>? check = null) =>
        Add(name, script, a =>
        {
            a.ExpectWorkingConnection();
            check?.Invoke(a);
        }, create);

    /// <summary>The engine must take the misbehaviour as the peer's close_notify.</summary>
    public Catalogue<T> Closes(string name, Action<T> script, Func<T>? create = null) =>
        Add(name, script, a => a.ExpectClosed(), create);

    public void Check(string name)
    {
        (Action<T> script, Action<T> verify, Func<T>? create) = _entries[name];
        using T adversary = (create ?? _create)();
        script(adversary);
        adversary.Run();
        verify(adversary);
    }

    private Catalogue<T> Add(string name, Action<T> script, Action<T> verify, Func<T>? create)
    {
        _entries.Add(name, (script, verify, create));
        return this;
    }
}
