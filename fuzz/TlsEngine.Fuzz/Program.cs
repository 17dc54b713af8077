using TlsEngine.Fuzz;

string Option(string name, string fallback)
{
    int index = Array.IndexOf(args, "--" + name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

string command = args.Length > 0 ? args[0] : "help";
string root = Option("root", "fuzz");
switch (command)
{
    case "generate-corpus":
        string output = args.Length > 1 && !args[1].StartsWith("--") ? args[1] : Path.Combine(root, "corpus");
        Console.WriteLine($"wrote {CorpusGenerator.Generate(output)} corpus files to {output}");
        return 0;
    case "transcript-hash":
        Console.WriteLine(CorpusGenerator.TranscriptHash());
        return 0;
    case "replay":
        return FuzzRunner.Replay(args.Length > 1 ? args[1] : Path.Combine(root, "corpus"), Console.Out) == 0 ? 0 : 1;
    case "mutate":
    {
        string[] targets = Option("target", "all") == "all" ? FuzzTargets.All.Keys.ToArray() : new[] { Option("target", "") };
        int findings = 0;
        foreach (string target in targets)
        {
            if (!FuzzTargets.All.ContainsKey(target))
            {
                Console.Error.WriteLine($"unknown target '{target}': {string.Join(", ", FuzzTargets.All.Keys)}");
                return 2;
            }

            findings += FuzzRunner.Mutate(target, Option("corpus", Path.Combine(root, "corpus")), Option("findings", Path.Combine(root, "findings")),
                int.Parse(Option("seed", "1")), TimeSpan.FromSeconds(double.Parse(Option("seconds", "10"))), int.Parse(Option("iterations", int.MaxValue.ToString())), Console.Out);
        }

        return findings == 0 ? 0 : 1;
    }

    case "run":
    {
        string target = Option("target", "");
        string file = args[^1];
        string? failure = FuzzRunner.RunOne(target, File.ReadAllBytes(file));
        Console.WriteLine(failure ?? "ok");
        return failure == null ? 0 : 1;
    }

#if SHARPFUZZ
    case "sharpfuzz":
        SharpFuzzEntry.Run(Option("target", "server"), Option("engine", "afl"));
        return 0;
#endif
    default:
        Console.WriteLine("""
            usage: dotnet run --project fuzz/TlsEngine.Fuzz -- COMMAND
              generate-corpus [DIR]                    record the seed corpus (default fuzz/corpus)
              replay [DIR]                             run every corpus input of every target
              mutate --target T|all --seconds N --seed S [--iterations N]
                                                       structure-aware mutation; findings go to fuzz/findings
              run --target T FILE                      reproduce one input
              transcript-hash                          SHA-256 of the seeded handshakes (determinism check)
              sharpfuzz --target T --engine afl|libfuzzer   (build with -p:EnableSharpFuzz=true)
            targets: client, server, deframer, messages, certificates, chain, post-handshake, dtls-records, dtls-fragments, dtls-client, dtls-server
            """);
        return command == "help" ? 0 : 2;
}
