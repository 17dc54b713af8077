using System.Collections;
using System.CommandLine;

namespace TlsEngine.Cli;

/// <summary>
/// A command, its positional arguments and its table of options. Adding an option to a command
/// is one line in its table (see <see cref="CliOption"/>); the handler reads it from <see cref="CliArgs"/>.
/// </summary>
internal sealed class CliCommand : IEnumerable<CliOption>
{
    private readonly List<CliOption> _options = new();

    public CliCommand(string name, string description, Func<CliArgs, int> run, params string[] arguments)
    {
        Name = name;
        Description = description;
        Run = run;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Description { get; }

    public Func<CliArgs, int> Run { get; }

    /// <summary>Required positional words, by their help names (e.g. HOST:PORT).</summary>
    public IReadOnlyList<string> Arguments { get; }

    public IReadOnlyList<CliOption> Options => _options;

    public void Add(CliOption option)
    {
        if (_options.Any(o => o.Name == option.Name))
        {
            throw new InvalidOperationException($"{Name} declares --{option.Name} twice");
        }

        _options.Add(option);
    }

    /// <summary>Adds a group of options shared by several commands.</summary>
    public void Add(IEnumerable<CliOption> options)
    {
        foreach (CliOption option in options)
        {
            Add(option);
        }
    }

    public IEnumerator<CliOption> GetEnumerator() => _options.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The System.CommandLine command, with the map from option names back to its options.</summary>
    internal (Command Command, Dictionary<string, (CliOption Spec, Option Option)> Options, List<Argument<string>> Arguments) Build()
    {
        var command = new Command(Name, Description);
        var arguments = Arguments.Select(a => new Argument<string>(a) { Arity = ArgumentArity.ExactlyOne }).ToList();
        foreach (Argument<string> argument in arguments)
        {
            command.Arguments.Add(argument);
        }

        string[] siblings = _options.Select(o => "--" + o.Name).ToArray();
        var map = new Dictionary<string, (CliOption, Option)>();
        foreach (CliOption spec in _options)
        {
            Option option = spec.Build(siblings);
            command.Options.Add(option);
            map[spec.Name] = (spec, option);
        }

        return (command, map, arguments);
    }
}
