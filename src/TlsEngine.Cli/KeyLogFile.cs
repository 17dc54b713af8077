namespace TlsEngine.Cli;

/// <summary>Appends NSS key log lines (SSLKEYLOGFILE format) for Wireshark.</summary>
internal static class KeyLogFile
{
    private static readonly object Gate = new();

    public static Action<string>? Open(string? path)
    {
        if (path == null)
        {
            return null;
        }

        return line =>
        {
            lock (Gate)
            {
                File.AppendAllText(path, line + "\n");
            }
        };
    }
}
