using System.CommandLine;
using ExchangeGateway.Cli.Commands;

namespace ExchangeGateway.Cli;

/// <summary>The <c>xgw</c> command line: builds the command tree and runs one command line.</summary>
public static class Xgw
{
    /// <summary>Runs <paramref name="args"/> and returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var cli = new CliContext(environment);
        var root = Build(cli);

        // No response files: an argument starting with '@' is a value, not a file to expand.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            var message = string.Join("; ", parse.Errors.Select(e => e.Message));
            var json = args.Contains("--json", StringComparer.Ordinal);
            if (!json)
            {
                await environment.Error.WriteLineAsync("Run 'xgw --help' (or 'xgw COMMAND --help') for usage.").ConfigureAwait(false);
            }

            return cli.Usage(json, message);
        }

        return await parse.InvokeAsync(
            new InvocationConfiguration { Output = environment.Out, Error = environment.Error, EnableDefaultExceptionHandler = true },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command tree.</summary>
    internal static RootCommand Build(CliContext cli)
    {
        var root = new RootCommand(
            "xgw: operate an ExchangeGateway security server through its admin API.\n"
            + "Exit codes: 0 ok, 1 refused by the API, 2 usage, 3 cannot connect or timed out.\n"
            + "PINs come from --pin-file FILE or $XGW_TOKEN_PIN, never from an argument.");
        cli.AddGlobalOptions(root);
        root.Subcommands.Add(SystemCommands.Init(cli));
        root.Subcommands.Add(SystemCommands.Status(cli));
        root.Subcommands.Add(TokenCommands.Token(cli));
        root.Subcommands.Add(TokenCommands.Keys(cli));
        root.Subcommands.Add(TokenCommands.Csr(cli));
        root.Subcommands.Add(TokenCommands.Certs(cli));
        root.Subcommands.Add(ClientCommands.Clients(cli));
        root.Subcommands.Add(ClientCommands.IsCerts(cli));
        root.Subcommands.Add(ClientCommands.Groups(cli));
        root.Subcommands.Add(ServiceCommands.Services(cli));
        root.Subcommands.Add(ServiceCommands.Access(cli));
        root.Subcommands.Add(SystemCommands.Tsa(cli));
        root.Subcommands.Add(SystemCommands.Anchor(cli));
        root.Subcommands.Add(SystemCommands.Diag(cli));
        root.Subcommands.Add(SystemCommands.Address(cli));
        root.Subcommands.Add(SystemCommands.Owner(cli));
        root.Subcommands.Add(SystemCommands.Requests(cli));
        root.Subcommands.Add(SystemCommands.Backup(cli));
        root.Subcommands.Add(SystemCommands.ApiKeys(cli));
        root.Subcommands.Add(LogCommands.Log(cli));
        root.Subcommands.Add(WaitCommands.Wait(cli));
        return root;
    }
}
