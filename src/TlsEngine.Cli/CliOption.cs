using System.CommandLine;

namespace TlsEngine.Cli;

/// <summary>What an option takes on the command line.</summary>
internal enum CliKind
{
    /// <summary>A switch: present or absent.</summary>
    Flag,

    /// <summary>A word, optionally checked by a validator.</summary>
    Text,

    /// <summary>A whole number within bounds.</summary>
    Int,
}

/// <summary>
/// One option of one command, declared in a single line of the command's table; the parser,
/// the --help text and the checks on its value all come from this declaration.
/// </summary>
internal sealed class CliOption
{
    private CliOption(string name, CliKind kind, string help, string? valueName, Func<string, string?>? validate, long min, long max)
    {
        Name = name;
        Kind = kind;
        Help = help;
        ValueName = valueName;
        Validate = validate;
        Min = min;
        Max = max;
    }

    public string Name { get; }

    public CliKind Kind { get; }

    public string Help { get; }

    public string? ValueName { get; }

    /// <summary>Returns an error for a malformed value, or null.</summary>
    public Func<string, string?>? Validate { get; }

    public long Min { get; }

    public long Max { get; }

    public static CliOption Flag(string name, string help) => new(name, CliKind.Flag, help, null, null, 0, 0);

    public static CliOption Text(string name, string valueName, string help, Func<string, string?>? validate = null) =>
        new(name, CliKind.Text, help, valueName, validate, 0, 0);

    public static CliOption Int(string name, string valueName, string help, long min = 0, long max = int.MaxValue) =>
        new(name, CliKind.Int, help, valueName, null, min, max);

    /// <summary>A text option whose value must be one of <paramref name="allowed"/>.</summary>
    public static CliOption OneOf(string name, string help, params string[] allowed) =>
        Text(name, string.Join("|", allowed), help, v => allowed.Contains(v) ? null : $"must be one of {string.Join(", ", allowed)}, not '{v}'");

    /// <summary>A comma-separated list whose every item is checked.</summary>
    public static CliOption List(string name, string valueName, string help, Func<string, string?>? validateItem = null) =>
        Text(name, valueName, help, validateItem == null ? null : v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(validateItem).FirstOrDefault(error => error != null));

    /// <summary>The System.CommandLine option this declaration stands for.</summary>
    internal Option Build(IReadOnlyCollection<string> siblings)
    {
        string flag = "--" + Name;
        switch (Kind)
        {
            case CliKind.Flag:
                return new Option<bool>(flag) { Description = Help, Arity = ArgumentArity.Zero };
            case CliKind.Int:
                var number = new Option<long>(flag) { Description = Help, HelpName = ValueName };
                number.Validators.Add(result =>
                {
                    // A word that is not a number already has the parser's own error.
                    if (result.Tokens.Count == 1 && long.TryParse(result.Tokens[0].Value, out long value) && (value < Min || value > Max))
                    {
                        result.AddError($"{flag} must be between {Min} and {Max}, not {value}");
                    }
                });
                return number;
            default:
                var text = new Option<string>(flag) { Description = Help, HelpName = ValueName };
                text.Validators.Add(result =>
                {
                    string? value = result.GetValueOrDefault<string>();
                    if (value == null)
                    {
                        return;
                    }

                    // "--cafile --insecure" forgot the file name: the next option is not a value.
                    if (siblings.Contains(value) || value is "--help" or "-h" or "-?")
                    {
                        result.AddError($"{flag} needs a value before {value}");
                        return;
                    }

                    string? error = Validate?.Invoke(value);
                    if (error != null)
                    {
                        result.AddError($"{flag}: {error}");
                    }
                });
                return text;
        }
    }
}
