using System.CommandLine;
using System.Net.Sockets;

namespace TlsEngine.Cli;

/// <summary>
/// Strict parsing over System.CommandLine: an unknown option, a missing or malformed value or a
/// stray word ends with the error, the command's usage on stderr and exit code 2, before any
/// command runs (so before anything connects).
/// </summary>
internal static class CliParser
{
    public const int UsageError = 2;

    public static int Run(string[] args, IReadOnlyList<CliCommand> commands)
    {
        var root = new RootCommand("tlsengine: a sans-IO TLS 1.3/1.2 engine, as a command line tool");
        var builtCommands = new Dictionary<Command, CliCommand>();
        foreach (CliCommand spec in commands)
        {
            var (command, options, arguments) = spec.Build();
            command.SetAction(result => spec.Run(new CliArgs(result, options, arguments)));
            root.Subcommands.Add(command);
            builtCommands[command] = spec;
        }

        if (args.Length == 0 || args is ["help"])
        {
            return Help(root, Array.Empty<string>(), Console.Out, 0);
        }

        ParseResult result = root.Parse(args);
        Command target = result.CommandResult.Command;
        string[] path = builtCommands.TryGetValue(target, out CliCommand? found) ? new[] { found.Name } : Array.Empty<string>();
        if (result.Errors.Count > 0)
        {
            foreach (string message in result.Errors.Select(e => e.Message).Distinct())
            {
                Console.Error.WriteLine($"tlsengine: {message}");
            }

            return Help(root, path, Console.Error, UsageError);
        }

        try
        {
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            Console.Error.WriteLine($"tlsengine: {ex.Message}");
            return Help(root, path, Console.Error, UsageError);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tlsengine: {ex.Message}");
            return 1;
        }
    }

    private static int Help(RootCommand root, string[] path, TextWriter output, int exitCode)
    {
        root.Parse(path.Append("--help").ToArray()).Invoke(new InvocationConfiguration { Output = output });
        return exitCode;
    }
}
