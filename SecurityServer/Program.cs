using ExchangeGateway.SecurityServer.Commands;
using ExchangeGateway.SecurityServer.Hosting;

if (args.Length > 0 && args[0] == VerifyGlobalConfCommand.Name)
{
    return await VerifyGlobalConfCommand.RunAsync(args[1..], Console.Out, TimeProvider.System).ConfigureAwait(false);
}

var app = SecurityServerHost.Build(args);
await app.RunAsync().ConfigureAwait(false);
return 0;
