using System.Collections.Concurrent;

namespace TlsEngine.Cli;

/// <summary>
/// What the client commands send: the --send text, or stdin read line by line on a background thread,
/// so the host loop never blocks on the console.
/// </summary>
internal sealed class LineInput
{
    private volatile bool _done;
    private bool _sendMode;

    private LineInput()
    {
    }

    /// <summary>What a client does at the end of a turn of its host loop.</summary>
    public enum Turn
    {
        Wait,
        Close,
        TimedOut,
    }

    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>True once every line is queued (the --send text, or stdin ended).</summary>
    public bool Done => _done;

    public static LineInput Start(string? send)
    {
        var input = new LineInput();
        if (send != null)
        {
            input.Lines.Enqueue(send);
            input._done = true;
            input._sendMode = true;
            return input;
        }

        var reader = new Thread(() =>
        {
            string? line;
            while ((line = Console.In.ReadLine()) != null)
            {
                input.Lines.Enqueue(line);
            }

            input._done = true;
        }) { IsBackground = true };
        reader.Start();
        return input;
    }

    /// <summary>
    /// Once every line is out, the connection is closed after <paramref name="idleMs"/> of silence, so replies
    /// to the last lines still arrive; with --send it first waits (up to <paramref name="timeoutMs"/>) for some data.
    /// </summary>
    public Turn AfterTurn(bool gotData, long silentMs, int idleMs, int timeoutMs)
    {
        if (!Done || !Lines.IsEmpty)
        {
            return Turn.Wait;
        }

        if (_sendMode && !gotData)
        {
            return silentMs >= timeoutMs ? Turn.TimedOut : Turn.Wait;
        }

        return silentMs >= idleMs ? Turn.Close : Turn.Wait;
    }
}
