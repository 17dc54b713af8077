namespace TlsEngine.MonoHost;

internal static class Program
{
    private static int Main(string[] args) => new Checks().Run(args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)));
}
