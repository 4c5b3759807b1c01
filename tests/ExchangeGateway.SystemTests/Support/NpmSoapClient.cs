using System.ComponentModel;
using System.Text.Json;

namespace ExchangeGateway.SystemTests.Support;

/// <summary>
/// The npm <c>soap</c> package's client script (<c>SoapClient/soap-client.mjs</c>), run with the machine's
/// Node.js. <c>npm ci</c> installs the pinned packages from <c>package-lock.json</c> once, when
/// <c>node_modules</c> is missing or holds another version. A missing node or npm fails the test, never skips it.
/// </summary>
internal static class NpmSoapClient
{
    /// <summary>The version package.json and package-lock.json pin.</summary>
    public const string SoapVersion = "1.13.0";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Directory { get; } = Path.Combine(Binaries.RepositoryRoot, "tests", "ExchangeGateway.SystemTests", "SoapClient");

    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (InstalledVersion() == SoapVersion)
            {
                return;
            }

            await using var npm = Start("npm", "ci", "--prefix", Directory, "--no-audit", "--no-fund");
            var exit = await npm.WaitForExitAsync(TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, $"npm ci in {Directory} exited with {exit}:\n{npm.Output}");
            Assert.Equal(SoapVersion, InstalledVersion());
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs the script; returns its exit code, the JSON line it printed (if any) and its whole output.</summary>
    public static async Task<(int ExitCode, JsonElement? Result, string Output)> RunAsync(params string[] arguments)
    {
        await EnsureInstalledAsync();
        await using var node = Start("node", [Path.Combine(Directory, "soap-client.mjs"), .. arguments]);
        var exit = await node.WaitForExitAsync(TimeSpan.FromMinutes(2));
        var line = node.Output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        JsonElement? result = line is null ? null : JsonDocument.Parse(line).RootElement.Clone();
        return (exit, result, node.Output);
    }

    private static string? InstalledVersion()
    {
        var package = Path.Combine(Directory, "node_modules", "soap", "package.json");
        if (!File.Exists(package))
        {
            return null;
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(package));
        return json.RootElement.GetProperty("version").GetString();
    }

    private static ExeProcess Start(string program, params string[] arguments)
    {
        try
        {
            return ExeProcess.StartProgram(program, arguments);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{program}' could not be started ({ex.Message}). The npm soap client test needs Node.js ≥ 20.19 and npm on PATH; .ci/run installs them.", ex);
        }
    }
}
