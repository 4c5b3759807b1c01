using System.CommandLine;

namespace ExchangeGateway.Cli.Commands;

/// <summary>Shorthands for declaring arguments, options and command groups.</summary>
internal static class Symbols
{
    public static Argument<string> Arg(string name, string description) => new(name) { Description = description };

    public static Option<string?> Opt(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    public static Option<string?> PinFile(string name = "--pin-file") =>
        new(name) { Description = "A file holding the token PIN (else $" + CliContext.PinVariable + ")" };

    public static Option<string?> Out() => new("--out", "-o") { Description = "Write to this file (created, never overwritten) instead of standard output" };

    /// <summary>A command group: no action of its own, so calling it alone is a usage error listing its subcommands.</summary>
    public static Command Group(string name, string description, params Command[] subcommands)
    {
        var group = new Command(name, description);
        foreach (var sub in subcommands)
        {
            group.Subcommands.Add(sub);
        }

        return group;
    }

    public static Command Command(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument a:
                    command.Arguments.Add(a);
                    break;
                case Option o:
                    command.Options.Add(o);
                    break;
                default:
                    throw new ArgumentException($"Unsupported symbol {symbol.Name}.", nameof(symbols));
            }
        }

        return command;
    }
}
