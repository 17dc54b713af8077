using System.Diagnostics;
using System.Security.Cryptography;

namespace TlsEngine.Fuzz;

/// <summary>Replays corpora and runs bounded, reproducible mutation campaigns.</summary>
public static class FuzzRunner
{
    public const int SlowInputMs = 5000;

    /// <summary>Runs one input; returns a description of the failure, or null.</summary>
    public static string? RunOne(string target, byte[] input)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            FuzzTargets.All[target](input);
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}";
        }

        return watch.ElapsedMilliseconds > SlowInputMs ? $"slow input: {watch.ElapsedMilliseconds} ms" : null;
    }

    /// <summary>Replays every file of every target folder under <paramref name="directory"/>; returns the failure count.</summary>
    public static int Replay(string directory, TextWriter log)
    {
        int failures = 0;
        int files = 0;
        foreach (string target in FuzzTargets.All.Keys)
        {
            string folder = Path.Combine(directory, target);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (string file in Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                files++;
                string? failure = RunOne(target, File.ReadAllBytes(file));
                if (failure != null)
                {
                    failures++;
                    log.WriteLine($"FAIL {target} {file}: {failure}");
                }
            }
        }

        log.WriteLine($"replayed {files} inputs, {failures} failures");
        return failures;
    }

    /// <summary>Mutates the target's corpus for a bounded time or number of iterations; returns the number of findings.</summary>
    public static int Mutate(string target, string corpusDirectory, string findingsDirectory, int seed, TimeSpan duration, int maxIterations, TextWriter log)
    {
        string folder = Path.Combine(corpusDirectory, target);
        List<byte[]> corpus = Directory.Exists(folder)
            ? Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToList()
            : new List<byte[]>();
        if (corpus.Count == 0)
        {
            corpus.Add(Array.Empty<byte>());
        }

        var mutator = new Mutator(seed, FlightKeys.FormatOf(target), FlightKeys.For(target));
        var picker = new Random(seed ^ 0x5EED);
        var watch = Stopwatch.StartNew();
        int iterations = 0;
        int findings = 0;
        // One file per distinct failure message, so one bug does not flood the folder (stack frames are no
        // key: they change as the JIT tiers up and inlines).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (iterations < maxIterations && watch.Elapsed < duration)
        {
            byte[] input = mutator.Mutate(corpus[picker.Next(corpus.Count)], corpus);
            iterations++;
            string? failure = RunOne(target, input);
            if (failure == null)
            {
                continue;
            }

            findings++;
            string[] lines = failure.Split('\n');
            if (!seen.Add(lines[0].StartsWith("slow input", StringComparison.Ordinal) ? "slow input" : lines[0]))
            {
                continue;
            }

            Directory.CreateDirectory(findingsDirectory);
            string name = $"{target}-{Convert.ToHexString(SHA256.HashData(input))[..12].ToLowerInvariant()}.bin";
            string path = Path.Combine(findingsDirectory, name);
            File.WriteAllBytes(path, input);
            log.WriteLine($"FINDING after {iterations} inputs, {watch.Elapsed.TotalSeconds:F1} s: {lines[0]}");
            log.WriteLine($"  reproduce: dotnet run --project fuzz/TlsEngine.Fuzz -- run --target {target} {path}");
        }

        log.WriteLine($"{target}: {iterations} inputs in {watch.Elapsed.TotalSeconds:F1} s, {findings} findings, {seen.Count} distinct (seed {seed})");
        return findings;
    }
}
