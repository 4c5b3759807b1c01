using ExchangeGateway.SecurityServer.Hosting;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// <c>create-api-key [--name NAME] [--role ROLE]… [--data-directory DIR]</c>: creates an admin API key in the
/// data directory (running server or not; a running server picks it up at the next request) and prints it
/// once to standard output. Defaults: name <c>administrator</c>, role <c>system-administrator</c>. Other
/// arguments and environment variables are read as configuration, so <c>--SecurityServer:DataDirectory=…</c>
/// works as for the server.
/// </summary>
public static class CreateApiKeyCommand
{
    /// <summary>The command word.</summary>
    public const string Name = "create-api-key";

    /// <summary>True when <paramref name="args"/> asks for this command.</summary>
    public static bool Matches(string[] args) => args is [Name, ..];

    /// <summary>Runs the command (<paramref name="args"/> includes the command word); returns the exit code: 0 success, 2 usage error, 1 failure.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            output.WriteLine($"usage: {Name} [--name NAME] [--role ROLE]... [--data-directory DIR]");
            output.WriteLine($"  Creates an admin API key in DIR/admin-api-keys.json and prints it once. Roles: {string.Join(", ", AdminRoles.Names)}.");
            return 0;
        }

        string? name = null;
        string? dataDirectory = null;
        var roleNames = new List<string>();
        var rest = new List<string>();
        for (var i = args is [Name, ..] ? 1 : 0; i < args.Length; i++)
        {
            var (option, value) = Split(args, ref i);
            switch (option)
            {
                case "--name":
                    name = value ?? string.Empty;
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

        if (roleNames.Count == 0)
        {
            roleNames.Add(AdminRoles.Name(AdminRole.SystemAdministrator));
        }

        var roles = new List<AdminRole>();
        foreach (var roleName in roleNames)
        {
            if (!AdminRoles.TryParse(roleName, out var role))
            {
                error.WriteLine($"{Name}: unknown role; use one of {string.Join(", ", AdminRoles.Names)}.");
                return 2;
            }

            roles.Add(role.Value);
        }

        if (name is not null && string.IsNullOrWhiteSpace(name))
        {
            error.WriteLine($"usage: {Name} [--name NAME] [--role ROLE]... [--data-directory DIR]");
            return 2;
        }

        if (dataDirectory is null)
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine([.. rest]).Build();
            dataDirectory = configuration[$"{SecurityServerOptions.Section}:{nameof(SecurityServerOptions.DataDirectory)}"] is { Length: > 0 } configured
                ? configured
                : new SecurityServerOptions().DataDirectory;
        }

        AdminApiKeyStore keys;
        try
        {
            keys = new AdminApiKeyStore(dataDirectory, time ?? TimeProvider.System);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine($"{Name}: {ex.Message}");
            return 1;
        }

        var created = keys.Create(name ?? "administrator", roles);
        if (!created.Success)
        {
            error.WriteLine($"{Name}: {created.Message}");
            return 2;
        }

        var info = created.Value.Info;
        output.WriteLine();
        output.WriteLine("==================================================================");
        output.WriteLine($"Created API key '{info.Name}' in {keys.FilePath}:");
        output.WriteLine($"  key id : {info.Id}");
        output.WriteLine($"  roles  : {string.Join(", ", info.Roles.Select(AdminRoles.Name))}");
        output.WriteLine($"  API key: {created.Value.Key}");
        output.WriteLine("This key is shown once and stored only as a hash. Keep it safe;");
        output.WriteLine("send it as 'Authorization: X-Api-Key <key>'.");
        output.WriteLine("==================================================================");
        output.WriteLine();
        output.Flush();
        return 0;
    }

    private static (string Option, string? Value) Split(string[] args, ref int i)
    {
        var arg = args[i];
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 && arg[..eq] is "--name" or "--role" or "--roles" or "--data-directory")
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
