using ExchangeGateway.Audit;

return await XgwAudit.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
