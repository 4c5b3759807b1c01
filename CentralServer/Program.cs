using ExchangeGateway.CentralServer.Commands;
using ExchangeGateway.CentralServer.Hosting;

if (CreateApiKeyCommand.Matches(args))
{
    return CreateApiKeyCommand.Run(args, Console.Out, Console.Error);
}

if (PrintAnchorCommand.Matches(args))
{
    return PrintAnchorCommand.Run(args, Console.Out, Console.Error);
}

var app = CentralServerHost.Build(args);
await app.RunAsync().ConfigureAwait(false);
return 0;
