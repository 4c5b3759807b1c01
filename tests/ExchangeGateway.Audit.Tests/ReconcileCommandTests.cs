using System.Text.Json;
using ExchangeGateway.MessageLog.Tests.Support;
using static ExchangeGateway.Audit.Tests.AuditRun;

namespace ExchangeGateway.Audit.Tests;

public sealed class ReconcileCommandTests(ExportedLogsFixture files) : IClassFixture<ExportedLogsFixture>
{
    [Fact]
    public async Task Reconcile_LogsThatAgree_Verified()
    {
        var (code, output, error) = await RunAsync("reconcile", files.ClientExport, files.ProviderExport, "--anchor", files.Anchor);

        Assert.Equal(AuditExitCodes.Verified, code);
        Assert.Empty(error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("VERIFIED: reconciliation of DEV/ORG/70000002/ss2 (client side) with DEV/GOV/70000001/ss1 (provider side): all 7 checks passed", lines[0]);
        Assert.Equal(
            ["verify.client", "verify.provider", "export.client", "export.provider", "scope", "exchanges", "receipts"],
            lines.Skip(1).Select(l => l.Split(':')[0]["PASS ".Length..]));
        Assert.Contains("PASS receipts: 10 log receipt(s) of DEV/GOV/70000001/ss1 checked and kept", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_ProviderLostAnExchange_FailsNamingItByRequestIdAndKind()
    {
        var (code, output, _) = await RunAsync("reconcile", files.SecondClientExport, files.ProviderExportWithoutExchange7, "--json");

        Assert.Equal(AuditExitCodes.Failed, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("failed", json.RootElement.GetProperty("verdict").GetString());
        var failed = json.RootElement.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("name").GetString()).ToList();
        var id = ExchangeLogs.RequestIdOf(7).ToString("D");
        Assert.Equal([$"exchange.{id}.request", $"exchange.{id}.response", "exchanges"], failed);
    }

    [Fact]
    public async Task Reconcile_TamperedExport_FailsItsVerification()
    {
        var tampered = files.ProviderExportWithFlippedBody(files.ProviderFrom + 3);

        var (code, output, _) = await RunAsync("reconcile", files.ClientExport, tampered);

        Assert.Equal(AuditExitCodes.Failed, code);
        Assert.Contains($"FAIL verify.provider: log export of DEV/GOV/70000001/ss1, records {files.ProviderFrom + 1} to {files.ProviderTo}: record.{files.ProviderFrom + 3}.body: ", output, StringComparison.Ordinal);
        Assert.Contains("PASS exchanges:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_MissingExport_UsageError()
    {
        var (code, _, error) = await RunAsync("reconcile", files.ClientExport, files.File("missing.xgwl"));

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Contains("missing.xgwl: cannot be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_NegativeMargin_UsageError()
    {
        var (code, _, error) = await RunAsync("reconcile", files.ClientExport, files.ProviderExport, "--margin", "-5");

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Contains("--margin must be between 0 and 86400 seconds.", error, StringComparison.Ordinal);
    }
}
