using Xunit;

namespace TlsEngine.Tests.Support;

/// <summary>A fact that is skipped, naming the install command, when a peer program is not on the PATH.</summary>
public sealed class PeerFactAttribute : FactAttribute
{
    public PeerFactAttribute(string program, string installCommand)
    {
        if (!OnPath(program))
        {
            Skip = $"{program} not found; install it with: {installCommand}";
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
