namespace ExchangeGateway.Audit.Tests;

/// <summary>Runs xgw-audit in process, as the command tests do, with LF line ends in what it prints.</summary>
internal static class AuditRun
{
    /// <summary>The exit code and what went to the output and the error output.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await XgwAudit.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
