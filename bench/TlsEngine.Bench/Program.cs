using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/TlsEngine.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(TlsEngine.Bench.HandshakeBenchmarks).Assembly).Run(args);
