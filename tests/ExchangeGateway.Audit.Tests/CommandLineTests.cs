namespace ExchangeGateway.Audit.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task UnknownCommand_IsAUsageError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await XgwAudit.RunAsync(["no-such-command"], output, error);

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Contains("xgw-audit --help", error.ToString(), StringComparison.Ordinal);
    }
}
