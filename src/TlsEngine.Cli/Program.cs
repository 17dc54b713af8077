using TlsEngine.Cli;

return CliParser.Run(args, new[] { DemoCommand.Spec, ConnectCommand.Spec, ServeCommand.Spec, BenchCommand.Spec });
