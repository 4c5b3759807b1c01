using ExchangeGateway.CentralServer.Hosting;
using ExchangeGateway.CentralServer.Publication;
using ExchangeGateway.CentralServer.Storage;
using ExchangeGateway.Config.Anchors;

namespace ExchangeGateway.CentralServer.Commands;

/// <summary>
/// <c>print-anchor [--out FILE] [--data-directory DIR]</c>: writes the configuration anchor (instance,
/// download URL, every non-retired configuration-signing certificate) without the server running, and
/// prints its SHA-256 for out-of-band comparison.
/// </summary>
public static class PrintAnchorCommand
{
    /// <summary>The command word.</summary>
    public const string Name = "print-anchor";

    /// <summary>True when the arguments ask for this command.</summary>
    public static bool Matches(string[] args) => args is [Name, ..];

    /// <summary>Runs the command; 0 on success, 1 when there is no Central Server data, 2 for bad usage.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? outFile = null;
        string? dataDirectory = null;
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    outFile = args[++i];
                    break;
                case "--data-directory" when i + 1 < args.Length:
                    dataDirectory = args[++i];
                    break;
                case "--out" or "--data-directory":
                    error.WriteLine($"usage: {Name} [--out FILE] [--data-directory DIR]");
                    return 2;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        var configuration = OfflineConfiguration.Load(rest);
        var options = new CentralServerOptions();
        configuration.GetSection(CentralServerOptions.Section).Bind(options);
        var publication = new PublicationOptions();
        configuration.GetSection(PublicationOptions.Section).Bind(publication);
        dataDirectory ??= options.DataDirectory;

        using var db = RegistryDatabase.OpenExisting(dataDirectory);
        if (db is null)
        {
            error.WriteLine($"{Name}: no Central Server database in {Path.GetFullPath(dataDirectory)}; start the server once to create it.");
            return 1;
        }

        using var store = new PublicationStore(dataDirectory);
        var keys = new SigningKeyManager(store, dataDirectory, db.InstanceId, time ?? TimeProvider.System);
        var certificates = keys.AnchorCertificates();
        if (certificates.Count == 0)
        {
            error.WriteLine($"{Name}: no configuration-signing key yet; start the server once to create it.");
            return 1;
        }

        var bytes = ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create(db.InstanceId, [publication.DownloadUrl], certificates));
        if (outFile is null)
        {
            output.WriteLine(System.Text.Encoding.UTF8.GetString(bytes));
        }
        else
        {
            File.WriteAllBytes(outFile, bytes);
            output.WriteLine($"anchor written to {Path.GetFullPath(outFile)}");
        }

        output.WriteLine($"sha256 {ConfigurationAnchorSerializer.Sha256Hex(bytes)}");
        return 0;
    }
}
