using ExchangeGateway.SystemTests.Support;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SystemTests.Quickstart;

/// <summary>
/// The README's first command, end to end: <c>installer/quickstart.sh --smoke</c> builds, starts the whole
/// federation as separate processes (trust services, Central Server, two security servers, echo provider),
/// sends one exchange through both security servers, checks both message logs and stops everything.
/// It uses the quickstart's fixed ports (ARCHITECTURE.md §11), so it fails with their names if they are taken.
/// </summary>
[Collection(QuickstartPortsCollection.Name)]
public sealed class QuickstartSmokeTests
{
    [Fact]
    public async Task QuickstartScript_Smoke_ExchangesThroughBothServersAndExitsZero()
    {
        using var state = new TempDirectory();

        await using var quickstart = ExeProcess.StartProgram("bash", "installer/quickstart.sh", "--smoke", "--state-dir", state.Path);
        // Bounded twice over: the build, then the quickstart's own 3-minute limit.
        var exitCode = await quickstart.WaitForExitAsync(TimeSpan.FromMinutes(10));

        Assert.True(exitCode == 0, $"quickstart.sh --smoke exited with {exitCode}:\n{quickstart.Output}");
        Assert.Contains("SMOKE OK", quickstart.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(state.Path, "federation.json")));
    }
}
