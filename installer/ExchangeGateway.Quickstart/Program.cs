using ExchangeGateway.Quickstart;

var command = QuickstartCommand.Parse(args, Console.Error);
if (command is null)
{
    return 2;
}

return await QuickstartApp.RunAsync(command, Console.Out).ConfigureAwait(false);
