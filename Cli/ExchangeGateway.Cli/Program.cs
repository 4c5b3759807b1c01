using ExchangeGateway.Cli;

return await Xgw.RunAsync(args, CliEnvironment.System).ConfigureAwait(false);
