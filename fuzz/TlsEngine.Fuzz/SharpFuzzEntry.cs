#if SHARPFUZZ
namespace TlsEngine.Fuzz;

/// <summary>The shape SharpFuzz campaigns call, over the same targets as the built-in runner.</summary>
public static class SharpFuzzEntry
{
    public static void Run(string target, string engine)
    {
        Action<byte[]> run = FuzzTargets.All[target];
        if (engine == "libfuzzer")
        {
            SharpFuzz.Fuzzer.LibFuzzer.Run(span => run(span.ToArray()));
        }
        else
        {
            SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
            {
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                run(memory.ToArray());
            });
        }
    }
}
#endif
