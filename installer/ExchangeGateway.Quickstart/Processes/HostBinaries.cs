namespace ExchangeGateway.Quickstart.Processes;

/// <summary>
/// Where the built hosts are. This exe runs from
/// <c>REPO/installer/ExchangeGateway.Quickstart/bin/CONFIGURATION/TFM/</c>; the hosts it starts were built
/// with the same configuration (its csproj references them) into their own <c>bin/CONFIGURATION/TFM/</c>.
/// </summary>
internal sealed record HostBinaries(string RepositoryRoot, string Configuration, string TrustServicesDll, string CentralServerDll, string SecurityServerDll)
{
    public static HostBinaries Locate()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDirectory.Name;
        var configuration = baseDirectory.Parent?.Name ?? "Release";
        var root = baseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ExchangeGateway.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new QuickstartException($"Cannot find the repository (ExchangeGateway.sln) above {AppContext.BaseDirectory}; run installer/quickstart.sh from a clone.");
        }

        string Dll(string projectDirectory, string assembly)
        {
            var path = Path.Combine(root.FullName, projectDirectory, "bin", configuration, framework, assembly + ".dll");
            return File.Exists(path)
                ? path
                : throw new QuickstartException($"{path} is missing; build first (installer/quickstart.sh builds everything it needs).");
        }

        return new HostBinaries(
            root.FullName,
            configuration,
            Dll(Path.Combine("installer", "ExchangeGateway.TrustServices"), "ExchangeGateway.TrustServices"),
            Dll("CentralServer", "ExchangeGateway.CentralServer"),
            Dll("SecurityServer", "ExchangeGateway.SecurityServer"));
    }
}
