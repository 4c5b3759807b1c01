using System.Text.Json;
using static ExchangeGateway.Audit.Tests.AuditRun;

namespace ExchangeGateway.Audit.Tests;

public sealed class VerifyLogCommandTests(ExportedLogsFixture files) : IClassFixture<ExportedLogsFixture>
{
    [Fact]
    public async Task VerifyLog_IntactExport_VerifiedWithEveryCheckListed()
    {
        var (code, output, error) = await RunAsync("verify-log", files.ProviderExport, "--witness", files.Witness);

        Assert.Equal(AuditExitCodes.Verified, code);
        Assert.Empty(error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"VERIFIED: log export of DEV/GOV/70000001/ss1, records {files.ProviderFrom + 1} to {files.ProviderTo}: all {lines.Length - 1} checks passed", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("PASS ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PASS root: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"PASS witness.{files.ProviderTo}: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PASS trust.anchor: the evidence's own anchor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyLog_Json_HasVerdictSubjectAndChecks()
    {
        var (code, output, _) = await RunAsync("verify-log", files.ProviderExport, "--anchor", files.Anchor, "--json");

        Assert.Equal(AuditExitCodes.Verified, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("verified", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal($"log export of DEV/GOV/70000001/ss1, records {files.ProviderFrom + 1} to {files.ProviderTo}", json.RootElement.GetProperty("subject").GetString());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal("export.header", checks[0].GetProperty("name").GetString());
        Assert.Contains(checks, c => c.GetProperty("name").GetString() == "checkpoint.to.timestamp" && c.GetProperty("passed").GetBoolean() && c.GetProperty("item").GetInt64() == files.ProviderTo);
        Assert.Contains("auditor's anchor", checks[1].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_FlippedBodyByte_FailsNamingTheRecord()
    {
        var sequence = files.ProviderFrom + 5;
        var tampered = files.ProviderExportWithFlippedBody(sequence);

        var (code, output, _) = await RunAsync("verify-log", tampered);

        Assert.Equal(AuditExitCodes.Failed, code);
        Assert.StartsWith($"NOT VERIFIED: log export of DEV/GOV/70000001/ss1, records {files.ProviderFrom + 1} to {files.ProviderTo}: 2 of ", output, StringComparison.Ordinal);
        Assert.Contains($"checks failed, the first is record.{sequence}.body\n", output, StringComparison.Ordinal);
        Assert.Contains($"FAIL record.{sequence}.body: record {sequence}: the exported body", output, StringComparison.Ordinal);
        Assert.Contains("PASS root:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_WitnessOfARewrittenLog_FailsNamingTheSize()
    {
        var (code, output, _) = await RunAsync("verify-log", files.ProviderExport, "--witness", files.Witness, "--witness", files.ForgedWitness);

        Assert.Equal(AuditExitCodes.Failed, code);
        Assert.Contains($"PASS witness.{files.ProviderTo}: ", output, StringComparison.Ordinal);
        Assert.Contains($"FAIL witness.{files.ProviderTo}: the Central Server witnessed root ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_MissingExport_UsageError()
    {
        var missing = files.File("nope.xgwl");

        var (code, output, error) = await RunAsync("verify-log", missing);

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.StartsWith($"{missing}: cannot be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_NotAnExport_UsageErrorWithTheHeaderCheck()
    {
        var path = files.File("not-an-export.xgwl");
        await File.WriteAllTextAsync(path, "{\"hello\":1}\n");

        var (code, output, _) = await RunAsync("verify-log", path);

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Contains("FAIL export.header: line 1 (header): header has an unknown property 'hello'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_WitnessFileNotAStatement_UsageError()
    {
        var (code, _, error) = await RunAsync("verify-log", files.ProviderExport, "--witness", files.Anchor);

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Contains("not a witness statement file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_NoExportArgument_UsageError()
    {
        var (code, _, error) = await RunAsync("verify-log");

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Contains("xgw-audit --help", error, StringComparison.Ordinal);
    }
}
