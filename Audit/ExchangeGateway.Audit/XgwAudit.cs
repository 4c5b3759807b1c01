using System.CommandLine;

namespace ExchangeGateway.Audit;

/// <summary>The <c>xgw-audit</c> command line: builds the command tree and runs one command line.</summary>
public static class XgwAudit
{
    /// <summary>Runs <paramref name="args"/> and returns the exit code (<see cref="AuditExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = Build(output, error);
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'xgw-audit --help' for usage.").ConfigureAwait(false);
            return AuditExitCodes.Usage;
        }

        return await parse.InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = true },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command tree. Each command lives in its own file under <c>Commands/</c>.</summary>
    internal static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "xgw-audit: verify ExchangeGateway message-log evidence offline.\n"
            + "Exit codes: 0 verified, 1 a check failed, 2 usage or unreadable input.");
        root.Subcommands.Add(Commands.VerifyCommand.Create(output, error));
        root.Subcommands.Add(Commands.ExtractCommand.Create(output, error));
        root.Subcommands.Add(Commands.VerifyLogCommand.Create(output, error));
        root.Subcommands.Add(Commands.ReconcileCommand.Create(output, error));
        return root;
    }
}
