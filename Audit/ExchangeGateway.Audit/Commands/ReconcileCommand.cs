using System.CommandLine;
using ExchangeGateway.MessageLog.Evidence;

namespace ExchangeGateway.Audit.Commands;

/// <summary>
/// <c>xgw-audit reconcile &lt;client-side-export&gt; &lt;provider-side-export&gt; [--anchor FILE] [--margin SECONDS] [--json]</c>:
/// verifies both exported log ranges (as <c>verify-log</c> does), then compares them
/// (<see cref="LogReconciliation"/>): exchanges logged on one side and missing on the other, and log receipts
/// that point to a missing or different record. Exit 0 when both verify and agree, 1 otherwise, 2 when an input
/// cannot be read.
/// </summary>
internal static class ReconcileCommand
{
    /// <summary>Check name: the client side's export verified.</summary>
    public const string ClientVerifiedCheck = "verify.client";

    /// <summary>Check name: the provider side's export verified.</summary>
    public const string ProviderVerifiedCheck = "verify.provider";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var clientArgument = new Argument<string>("client-side-export") { Description = "The export of the client's security server (.xgwl)" };
        var providerArgument = new Argument<string>("provider-side-export") { Description = "The export of the provider's security server (.xgwl)" };
        var anchorOption = new Option<string?>("--anchor") { Description = "Your own configuration anchor file, to verify both exports with" };
        var marginOption = new Option<int>("--margin")
        {
            Description = "Seconds a message must lie inside both exports' time ranges to be expected on the other side (60 by default)",
            DefaultValueFactory = _ => 60,
        };
        var jsonOption = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("reconcile", "Compare the client side's and the provider side's exported logs: one-sided exchanges and broken log receipts")
        {
            clientArgument,
            providerArgument,
            anchorOption,
            marginOption,
            jsonOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var margin = parse.GetValue(marginOption);
            if (margin is < 0 or > 86_400)
            {
                await error.WriteLineAsync("--margin must be between 0 and 86400 seconds.").ConfigureAwait(false);
                return AuditExitCodes.Usage;
            }

            var (anchor, anchorOk) = await InputFile.ReadAnchorAsync(parse.GetValue(anchorOption), error, cancellationToken).ConfigureAwait(false);
            if (!anchorOk)
            {
                return AuditExitCodes.Usage;
            }

            var clientPath = parse.GetValue(clientArgument)!;
            var providerPath = parse.GetValue(providerArgument)!;
            using var client = await InputFile.OpenExportAsync(clientPath, error).ConfigureAwait(false);
            using var provider = await InputFile.OpenExportAsync(providerPath, error).ConfigureAwait(false);
            if (client is null || provider is null)
            {
                return AuditExitCodes.Usage;
            }

            EvidenceReport report;
            try
            {
                var clientReport = LogExportVerifier.Verify(client, anchor, []);
                var providerReport = LogExportVerifier.Verify(provider, anchor, []);
                client.Position = 0;
                provider.Position = 0;
                var compared = LogReconciliation.Compare(client, provider, new LogReconciliationOptions { Margin = TimeSpan.FromSeconds(margin) });
                report = new EvidenceReport(
                    compared.Report.Subject,
                    [Summary(ClientVerifiedCheck, clientReport), Summary(ProviderVerifiedCheck, providerReport), .. compared.Report.Checks]);
                if (IsUnreadable(clientReport) || IsUnreadable(providerReport))
                {
                    await ReportWriter.WriteAsync(report, parse.GetValue(jsonOption), output).ConfigureAwait(false);
                    return AuditExitCodes.Usage;
                }
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"an export cannot be read: {ex.Message}").ConfigureAwait(false);
                return AuditExitCodes.Usage;
            }

            await ReportWriter.WriteAsync(report, parse.GetValue(jsonOption), output).ConfigureAwait(false);
            return report.Passed ? AuditExitCodes.Verified : AuditExitCodes.Failed;
        });
        return command;
    }

    /// <summary>One check standing for a whole verification: passed, or its first failure.</summary>
    private static EvidenceCheck Summary(string name, EvidenceReport verified) => verified.Passed
        ? new EvidenceCheck(name, true, $"{verified.Subject}: all {verified.Checks.Count} checks of verify-log pass")
        : new EvidenceCheck(name, false, $"{verified.Subject}: {verified.FirstFailure!.Name}: {verified.FirstFailure.Message}", verified.FirstFailure.Item);

    private static bool IsUnreadable(EvidenceReport verified) => verified.Checks[0] is { Name: LogExportChecks.Header, Passed: false };
}
