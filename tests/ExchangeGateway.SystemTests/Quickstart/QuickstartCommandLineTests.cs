using ExchangeGateway.SystemTests.Support;

namespace ExchangeGateway.SystemTests.Quickstart;

/// <summary>The quickstart exe's command line, in its own process.</summary>
public sealed class QuickstartCommandLineTests
{
    [Theory]
    [InlineData("--bogus")]
    [InlineData("--smoke", "--headless")]
    [InlineData("--state-dir")]
    public async Task UnknownOrConflictingArguments_ExitWithUsageAndCode2(params string[] arguments)
    {
        await using var quickstart = ExeProcess.Start(Binaries.Quickstart, arguments);

        Assert.Equal(2, await quickstart.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("usage: quickstart", quickstart.Output, StringComparison.Ordinal);
    }
}
