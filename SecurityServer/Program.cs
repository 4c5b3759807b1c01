using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Commands;
using ExchangeGateway.SecurityServer.Hosting;

if (args.Length > 0 && args[0] == VerifyGlobalConfCommand.Name)
{
    return await VerifyGlobalConfCommand.RunAsync(args[1..], Console.Out, TimeProvider.System).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == InitCommand.Name)
{
    return await InitCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false);
}

if (CreateApiKeyCommand.Matches(args))
{
    return CreateApiKeyCommand.Run(args, Console.Out, Console.Error);
}

var app = SecurityServerHost.Build(args);
await app.RunAsync().ConfigureAwait(false);
return 0;
