using System.CommandLine;
using ExchangeGateway.MessageLog.Evidence;

namespace ExchangeGateway.Audit.Commands;

/// <summary>
/// <c>xgw-audit verify &lt;bundle&gt; [--anchor FILE] [--json]</c>: checks an evidence bundle offline with
/// nothing but the file (and the auditor's anchor, when given) and prints the verdict and every check.
/// Exit 0 when every check passed, 1 when one failed, 2 when the input cannot be read.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var bundleArgument = new Argument<string>("bundle") { Description = "The evidence bundle (.xgwe)" };
        var anchorOption = new Option<string?>("--anchor") { Description = "Your own configuration anchor file; without it the bundle's anchor is used and its SHA-256 printed for comparison" };
        var jsonOption = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("verify", "Verify an evidence bundle offline: signatures, OCSP, inclusion, checkpoint and time-stamp")
        {
            bundleArgument,
            anchorOption,
            jsonOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var bundle = await InputFile.ReadBundleAsync(parse.GetValue(bundleArgument)!, error).ConfigureAwait(false);
            if (bundle is null)
            {
                return AuditExitCodes.Usage;
            }

            var (anchor, anchorOk) = await InputFile.ReadAnchorAsync(parse.GetValue(anchorOption), error, cancellationToken).ConfigureAwait(false);
            if (!anchorOk)
            {
                return AuditExitCodes.Usage;
            }

            var report = EvidenceBundleVerifier.Verify(bundle, anchor);
            await ReportWriter.WriteAsync(report, parse.GetValue(jsonOption), output).ConfigureAwait(false);

            return report.Passed ? AuditExitCodes.Verified : AuditExitCodes.Failed;
        });
        return command;
    }
}
