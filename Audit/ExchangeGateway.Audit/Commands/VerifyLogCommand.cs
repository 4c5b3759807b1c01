using System.CommandLine;
using ExchangeGateway.MessageLog.Evidence;

namespace ExchangeGateway.Audit.Commands;

/// <summary>
/// <c>xgw-audit verify-log &lt;export&gt; [--anchor FILE] [--witness FILE …] [--json]</c>: checks an exported log
/// range (<c>.xgwl</c>) offline against its two checkpoints and prints the verdict and every check.
/// Exit 0 when every check passed, 1 when one failed, 2 when an input cannot be read (a file is missing, or
/// the export's header is not one).
/// </summary>
internal static class VerifyLogCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var exportArgument = new Argument<string>("export") { Description = "The exported log range (.xgwl)" };
        var anchorOption = new Option<string?>("--anchor") { Description = "Your own configuration anchor file; without it the export's anchor is used and its SHA-256 printed for comparison" };
        var witnessOption = new Option<string[]>("--witness")
        {
            Description = "A Central Server witness statement file {\"statement\":base64,\"signature\":base64}; repeat for more",
            AllowMultipleArgumentsPerToken = false,
        };
        var maxLineOption = new Option<int>("--max-line-mib") { Description = "The longest line read, in MiB (64 by default)", DefaultValueFactory = _ => LogExportFormat.DefaultMaxLineBytes / (1024 * 1024) };
        var jsonOption = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("verify-log", "Verify an exported log range offline: checkpoints, records, signatures, root, consistency, witnesses")
        {
            exportArgument,
            anchorOption,
            witnessOption,
            maxLineOption,
            jsonOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var maxLineMib = parse.GetValue(maxLineOption);
            if (maxLineMib is < 1 or > 1024)
            {
                await error.WriteLineAsync("--max-line-mib must be between 1 and 1024.").ConfigureAwait(false);
                return AuditExitCodes.Usage;
            }

            var (anchor, anchorOk) = await InputFile.ReadAnchorAsync(parse.GetValue(anchorOption), error, cancellationToken).ConfigureAwait(false);
            var witnesses = anchorOk
                ? await InputFile.ReadWitnessesAsync(parse.GetValue(witnessOption) ?? [], error, cancellationToken).ConfigureAwait(false)
                : null;
            if (witnesses is null)
            {
                return AuditExitCodes.Usage;
            }

            var path = parse.GetValue(exportArgument)!;
            using var export = await InputFile.OpenExportAsync(path, error).ConfigureAwait(false);
            if (export is null)
            {
                return AuditExitCodes.Usage;
            }

            var options = new LogExportVerifierOptions { MaxLineBytes = maxLineMib * 1024 * 1024 };
            EvidenceReport report;
            try
            {
                report = LogExportVerifier.Verify(export, anchor, witnesses, options);
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"{path}: cannot be read: {ex.Message}").ConfigureAwait(false);
                return AuditExitCodes.Usage;
            }

            await ReportWriter.WriteAsync(report, parse.GetValue(jsonOption), output).ConfigureAwait(false);
            return report.Passed ? AuditExitCodes.Verified
                : report.Checks[0] is { Name: LogExportChecks.Header, Passed: false } ? AuditExitCodes.Usage
                : AuditExitCodes.Failed;
        });
        return command;
    }
}
