using System.Collections.Concurrent;

namespace TlsEngine.Cli;

/// <summary>
/// What the client commands send: the --send text, or stdin read line by line on a background thread,
/// so the host loop never blocks on the console.
/// </summary>
internal sealed class LineInput
{
    private volatile bool _done;

    private LineInput()
    {
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
}
