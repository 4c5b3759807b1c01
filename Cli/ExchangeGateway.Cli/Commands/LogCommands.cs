using System.CommandLine;
using System.Text.Json;
using static ExchangeGateway.Cli.Commands.Symbols;

namespace ExchangeGateway.Cli.Commands;

/// <summary><c>xgw log</c>: the auditor's view of the message log (API keys with the auditor role).</summary>
internal static class LogCommands
{
    public static Command Log(CliContext cli) => Group("log", "The message log (auditor role)", Search(cli), Integrity(cli), Bundle(cli), Export(cli));

    private static Command Bundle(CliContext cli)
    {
        var sequence = Opt("--sequence", "One record, by its sequence number");
        var requestId = Opt("--request-id", "Both records of one exchange on this server, by its X-Road-Request-Id");
        var side = Opt("--side", "client or server: which side's records, when this server logged both sides of the exchange");
        side.AcceptOnlyFromAmong("client", "server");
        var output = Out();
        var command = Command(
            "bundle",
            "Download the evidence bundle of a record or an exchange; check it offline with 'xgw-audit verify FILE'",
            sequence,
            requestId,
            side,
            output);
        cli.SetAction(command, i =>
        {
            var seq = i.Value(sequence);
            var request = i.Value(requestId);
            if ((seq is null) == (request is null))
            {
                throw new CliUsageException("Give exactly one of --sequence and --request-id.");
            }

            if (seq is not null && i.Value(side) is not null)
            {
                throw new CliUsageException("--side goes with --request-id, not --sequence.");
            }

            long? number = seq is null
                ? null
                : long.TryParse(seq, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
                    ? n
                    : throw new CliUsageException("--sequence must be a record's sequence number (1 or more).");

            return cli.DownloadAsync(i.Value(output), stream => i.Client.DownloadEvidenceBundleAsync(number, request, i.Value(side), stream, i.CancellationToken));
        });
        return command;
    }

    private static Command Export(CliContext cli)
    {
        var from = Opt("--from", "Checkpoint A's tree size; 0 (the default) for the empty tree");
        var to = Opt("--to", "Checkpoint B's tree size; default the newest time-stamped checkpoint");
        var output = Out();
        var command = Command(
            "export",
            "Download the log between two checkpoints; check it offline with 'xgw-audit verify-log FILE'",
            from,
            to,
            output);
        cli.SetAction(command, i =>
        {
            var a = Size(i.Value(from), "--from", 0);
            var b = Size(i.Value(to), "--to", 1);
            return cli.DownloadAsync(i.Value(output), stream => i.Client.DownloadLogExportAsync(a, b, stream, i.CancellationToken));
        });
        return command;
    }

    private static long? Size(string? text, string name, long minimum) =>
        text is null
            ? null
            : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= minimum
                ? value
                : throw new CliUsageException($"{name} must be a checkpoint's tree size ({minimum} or more).");

    private static Command Search(CliContext cli)
    {
        var from = Opt("--from", "Records made at or after this time, RFC 3339 with a zone (e.g. 2026-03-01T12:00:00Z)");
        var to = Opt("--to", "Records made before this time, RFC 3339 with a zone");
        var client = Opt("--client", "The client, e.g. DEV/GOV/70000001/consumer");
        var service = Opt("--service", "The service, e.g. DEV/ORG/70000002/provider/echo");
        var messageId = Opt("--message-id", "The message id");
        var requestId = Opt("--request-id", "The exchange's request id (X-Road-Request-Id)");
        var outcome = Opt("--outcome", "success or error (an error code, or HTTP status 400 and above)");
        outcome.AcceptOnlyFromAmong("success", "error");
        var side = Opt("--side", "client or server: which proxy wrote the record");
        side.AcceptOnlyFromAmong("client", "server");
        var kind = Opt("--kind", "request or response");
        kind.AcceptOnlyFromAmong("request", "response");
        var limit = Opt("--limit", "Records per page, 1 to 1000 (default 100)");
        var after = Opt("--after", "Continue after this sequence number (the 'next' of the previous page)");
        var command = Command(
            "search",
            "Search records by time, client, service, message id and outcome (metadata only, oldest first)",
            from,
            to,
            client,
            service,
            messageId,
            requestId,
            outcome,
            side,
            kind,
            limit,
            after);
        cli.SetAction(command, async i =>
        {
            var parameters = new List<(string Name, string Value)>();
            foreach (var (name, option) in new[] { ("from", from), ("to", to), ("client", client), ("service", service), ("messageId", messageId), ("requestId", requestId), ("outcome", outcome), ("side", side), ("kind", kind), ("limit", limit), ("after", after) })
            {
                if (i.Value(option) is { } value)
                {
                    parameters.Add((name, value));
                }
            }

            var json = await i.Client.SearchMessageLogAsync(parameters, i.CancellationToken).ConfigureAwait(false);
            return CommandOutput.Of(json, Records);
        });
        return command;
    }

    private static Command Integrity(CliContext cli)
    {
        var command = Command("integrity", "The last checkpoints and the integrity monitor's verdict");
        cli.SetAction(command, async i => CommandOutput.Of(
            await i.Client.GetMessageLogIntegrityAsync(i.CancellationToken).ConfigureAwait(false),
            j => Human.Fields(
                j,
                "monitor.state",
                "monitor.finding.item",
                "monitor.finding.code",
                "monitor.finding.message",
                "monitor.lastRunAt",
                "monitor.lastRunResult",
                "monitor.lastRunMessage",
                "monitor.verifiedTreeSize",
                "monitor.lastFullVerificationAt",
                "lastCheckpoint.treeSize",
                "lastCheckpoint.ageSeconds",
                "lastStampedCheckpoint.treeSize",
                "lastStampedCheckpoint.ageSeconds")));
        return command;
    }

    private static string Records(JsonElement page)
    {
        var table = Human.Table(
            Human.Items(page, "records"),
            ("SEQ", "sequence"),
            ("AT", "at"),
            ("SIDE", "side"),
            ("KIND", "kind"),
            ("CLIENT", "client"),
            ("SERVICE", "service"),
            ("MESSAGE ID", "messageId"),
            ("STATUS", "httpStatus"),
            ("ERROR", "errorCode"));
        var next = Human.Get(page, "next");
        return next == "-" ? table : table + "\nMore: repeat with --after " + next;
    }
}
