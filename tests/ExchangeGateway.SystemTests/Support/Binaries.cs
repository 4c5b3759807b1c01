namespace ExchangeGateway.SystemTests.Support;

/// <summary>
/// Where the exes under test were built: the same configuration and framework as this test assembly
/// (<c>tests/ExchangeGateway.SystemTests/bin/CONFIGURATION/TFM/</c>), in their own project folders.
/// </summary>
internal static class Binaries
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Quickstart => Dll(Path.Combine("installer", "ExchangeGateway.Quickstart"), "ExchangeGateway.Quickstart");

    public static string LoadBench => Dll(Path.Combine("bench", "ExchangeGateway.LoadBench"), "ExchangeGateway.LoadBench");

    public static string Xgw => Dll(Path.Combine("Cli", "ExchangeGateway.Cli"), "xgw");

    public static string XgwAudit => Dll(Path.Combine("Audit", "ExchangeGateway.Audit"), "xgw-audit");

    public static string SecurityServer => Dll("SecurityServer", "ExchangeGateway.SecurityServer");

    private static string Dll(string projectDirectory, string assembly)
    {
        var self = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryRoot, projectDirectory, "bin", self.Parent!.Name, self.Name, assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built; build the system tests project (it builds it).", path);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExchangeGateway.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ExchangeGateway.sln not found above the test assembly.");
    }
}
