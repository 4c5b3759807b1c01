using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Hosting;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.CentralServer.Storage;

namespace ExchangeGateway.CentralServer.Commands;

/// <summary>
/// <c>create-api-key --name NAME --role ROLE [--role ROLE…] [--data-directory DIR]</c>: creates a key
/// directly in the data directory, without a running server (recovery when every administrator key is
/// lost). Prints the key once to standard output. Other arguments and environment variables are read as
/// configuration, so <c>--CentralServer:DataDirectory=…</c> works as for the server.
/// </summary>
public static class CreateApiKeyCommand
{
    /// <summary>The command word.</summary>
    public const string Name = "create-api-key";

    /// <summary>True when <paramref name="args"/> asks for this command.</summary>
    public static bool Matches(string[] args) => args is [Name, ..];

    /// <summary>Runs the command; returns the process exit code (0 success, 2 usage error, 1 failure).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? name = null;
        string? dataDirectory = null;
        var roleNames = new List<string>();
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var (option, value) = Split(args, ref i);
            switch (option)
            {
                case "--name":
                    name = value;
                    break;
                case "--role":
                case "--roles":
                    roleNames.AddRange((value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--data-directory":
                    dataDirectory = value;
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        var roles = new List<Role>();
        foreach (var roleName in roleNames)
        {
            if (!Roles.TryParse(roleName, out var role))
            {
                error.WriteLine($"{Name}: unknown role; use one of {string.Join(", ", Roles.Names)}.");
                return 2;
            }

            roles.Add(role.Value);
        }

        if (string.IsNullOrWhiteSpace(name) || roles.Count == 0)
        {
            error.WriteLine($"usage: {Name} --name NAME --role ROLE [--role ROLE...] [--data-directory DIR]");
            error.WriteLine($"roles: {string.Join(", ", Roles.Names)}");
            return 2;
        }

        if (dataDirectory is null)
        {
            var configuration = OfflineConfiguration.Load(rest);
            var options = new CentralServerOptions();
            configuration.GetSection(CentralServerOptions.Section).Bind(options);
            dataDirectory = options.DataDirectory;
        }

        using var db = RegistryDatabase.OpenExisting(dataDirectory);
        if (db is null)
        {
            error.WriteLine($"{Name}: no Central Server database in {Path.GetFullPath(dataDirectory)}; start the server once to create it.");
            return 1;
        }

        var keys = new ApiKeyStore(db, time ?? TimeProvider.System);
        var created = keys.Create(Actor.OfflineCommand, name, roles);
        if (!created.Success)
        {
            error.WriteLine($"{Name}: {created.Failure.Message}");
            return 2;
        }

        new ConsoleOutput(output).PrintKey(
            $"Created API key '{name}' in {db.FilePath}:",
            created.Value!.Info.Id,
            string.Join(", ", created.Value.Info.Roles.Select(Roles.Name)),
            created.Value.Key);
        return 0;
    }

    private static (string Option, string? Value) Split(string[] args, ref int i)
    {
        var arg = args[i];
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
        {
            return (arg[..eq], arg[(eq + 1)..]);
        }

        if (arg is "--name" or "--role" or "--roles" or "--data-directory")
        {
            return i + 1 < args.Length ? (arg, args[++i]) : (arg, null);
        }

        return (arg, null);
    }
}
