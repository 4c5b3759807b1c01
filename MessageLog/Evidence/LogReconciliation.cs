using System.Globalization;
using System.Security.Cryptography;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Compares the exported logs of the two security servers of a set of exchanges (the client side's and the
/// provider side's) and lists every exchange message logged on one side and missing on the other, every
/// message both logged differently, and every bilateral log receipt that points to a missing or different
/// record. Run <see cref="LogExportVerifier"/> on each export first: this compares what the exports say,
/// it does not prove they are the servers' untampered logs.
/// </summary>
/// <remarks>
/// <para>Matching is by request id and kind (request or response). The client-side export's <c>Client</c>
/// records are compared with the provider-side export's <c>Server</c> records, for exchanges between the two
/// servers: the client is one the client-side server logged as a client (or a subsystem of its owner), the
/// service one the provider-side server logged as served (or a subsystem of its owner's), and a request head
/// that pins a security server pins the provider-side one. A member serving one service from several servers
/// without pinning shows exchanges of its other servers as missing: compare with each server's export.</para>
/// <para>Only signed messages are expected on the other side: an error record (no signed head) is the
/// logging side's own account of a failure. A client-side request whose exchange ended in a
/// <c>server.clientproxy.*</c> error may never have reached the provider and is not expected there; a
/// provider-side response whose client-side record is an error was received (or not) and failed there.</para>
/// <para>Both exports cover a time range: from checkpoint A's time (or the beginning) to checkpoint B's. A
/// message is expected on the other side only when it was logged inside both ranges, at least
/// <see cref="LogReconciliationOptions.Margin"/> from their edges; others are counted as outside the common range.</para>
/// <para>Receipts: a client-side response head's <c>logReceipt</c> <c>{server, sequence, promisedBy}</c> from the
/// provider-side server names the sequence of its request record there. Within the provider-side export that
/// record must be this exchange's request; beyond it, checkpoint B must not be later than the promise.</para>
/// </remarks>
public static class LogReconciliation
{
    /// <summary>Check name: the client-side export as read.</summary>
    public const string ClientExportCheck = "export.client";

    /// <summary>Check name: the provider-side export as read.</summary>
    public const string ProviderExportCheck = "export.provider";

    /// <summary>Check name: what was compared.</summary>
    public const string ScopeCheck = "scope";

    /// <summary>Check name: the summary of the exchange comparison.</summary>
    public const string ExchangesCheck = "exchanges";

    /// <summary>Check name: the summary of the receipts.</summary>
    public const string ReceiptsCheck = "receipts";

    private const string ClientProxyFamily = "server.clientproxy.";

    /// <summary>Compares <paramref name="clientSideExport"/> with <paramref name="providerSideExport"/>.</summary>
    /// <param name="clientSideExport">The export of the client's security server; read to its end, not closed.</param>
    /// <param name="providerSideExport">The export of the provider's security server; read to its end, not closed.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <exception cref="IOException">A stream cannot be read.</exception>
    public static LogReconciliationResult Compare(Stream clientSideExport, Stream providerSideExport, LogReconciliationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clientSideExport);
        ArgumentNullException.ThrowIfNull(providerSideExport);
        options ??= new LogReconciliationOptions();
        var checks = new List<EvidenceCheck>();
        var client = Side.Read(clientSideExport, options, "client-side");
        var provider = Side.Read(providerSideExport, options, "provider-side");
        checks.Add(client.Check(ClientExportCheck));
        checks.Add(provider.Check(ProviderExportCheck));
        if (client.Header is null || provider.Header is null)
        {
            return new LogReconciliationResult(new EvidenceReport("reconciliation of two log exports", checks), []);
        }

        var comparison = new Comparison(client, provider, options);
        comparison.Run(checks);
        var subject = Text($"reconciliation of {client.Header.Server} (client side) with {provider.Header.Server} (provider side)");
        return new LogReconciliationResult(new EvidenceReport(subject, checks), comparison.Discrepancies);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string KindText(RecordKind kind) => kind == RecordKind.Request ? "request" : "response";

    /// <summary>What one export holds, reduced to what the comparison needs.</summary>
    private sealed class Side
    {
        private readonly List<string> _problems = [];

        private Side(string role)
        {
            Role = role;
        }

        public string Role { get; }

        public LogExportHeader? Header { get; private set; }

        public SecurityServerId? Server { get; private set; }

        public DateTimeOffset From { get; private set; } = DateTimeOffset.MinValue;

        public DateTimeOffset To { get; private set; } = DateTimeOffset.MinValue;

        public long Records { get; private set; }

        public Dictionary<(Guid RequestId, RecordKind Kind), Entry> Messages { get; } = [];

        public Dictionary<long, Entry> BySequence { get; } = [];

        public static Side Read(Stream stream, LogReconciliationOptions options, string role)
        {
            var side = new Side(role);
            using var reader = new LogExportReader(stream, options.MaxLineBytes, leaveOpen: true);
            var header = reader.ReadHeader();
            if (!header.Success)
            {
                side._problems.Add(header.Message);
                return side;
            }

            side.Header = header.Value;
            side.Server = SecurityServerId.TryParse(header.Value.Server).Value;
            if (header.Value.From.Content is { } fromContent && Checkpoint.Parse(fromContent.Span) is { Success: true } from)
            {
                side.From = from.Value!.CreatedAt;
            }

            var to = Checkpoint.Parse(header.Value.To.Content!.Value.Span);
            if (to.Success)
            {
                side.To = to.Value.CreatedAt;
            }
            else
            {
                side._problems.Add($"checkpoint {header.Value.To.TreeSize}: {to.Message}");
            }

            var ended = false;
            while (true)
            {
                var item = reader.ReadItem();
                if (!item.Success)
                {
                    side._problems.Add(item.Message);
                    continue;
                }

                if (item.Value.Kind == LogExportItemKind.EndOfFile)
                {
                    break;
                }

                if (item.Value.Kind == LogExportItemKind.End)
                {
                    ended = true;
                    continue;
                }

                side.Add(item.Value.Record!);
            }

            if (!ended)
            {
                side._problems.Add("there is no end line: the export was cut short");
            }

            return side;
        }

        public EvidenceCheck Check(string name)
        {
            if (Header is null)
            {
                return new EvidenceCheck(name, false, $"the {Role} export cannot be read: {_problems[0]}");
            }

            var range = Text($"{Header.Server}, records {Header.From.TreeSize + 1} to {Header.To.TreeSize} ({Records} read), logged from {(Header.From.TreeSize == 0 ? "the beginning" : LogTime.Format(From))} to {LogTime.Format(To)}");
            return _problems.Count == 0
                ? new EvidenceCheck(name, true, $"the {Role} export of {range}")
                : new EvidenceCheck(name, false, Text($"the {Role} export of {range} has {_problems.Count} unreadable part(s); the first: {_problems[0]}"));
        }

        private void Add(LogExportRecord line)
        {
            var parsed = RecordDecoding.TryDecode(line.Canonical.Span);
            if (!parsed.Success)
            {
                _problems.Add(Text($"record {line.Sequence}: {parsed.Message}"));
                return;
            }

            Records++;
            var record = parsed.Value.Record;
            var head = record.Head.IsEmpty ? default : SignedHeadView.Decode(record.Head.Span, record.Kind);
            var entry = new Entry(
                line.Sequence,
                record.Side,
                record.Kind,
                record.RequestId,
                record.MessageId,
                record.ClientId,
                record.ServiceId,
                record.At,
                record.ErrorCode,
                record.Head.IsEmpty ? null : SHA256.HashData(record.Head.Span),
                head.Value?.PinnedServer,
                head.Value?.LogReceipt,
                head.Message);
            BySequence[line.Sequence] = entry;
            Messages.TryAdd((record.RequestId, record.Kind), entry);
        }
    }

    /// <summary>One record, as far as the comparison needs it.</summary>
    private sealed record Entry(
        long Sequence,
        RecordSide Side,
        RecordKind Kind,
        Guid RequestId,
        string MessageId,
        string Client,
        string Service,
        DateTimeOffset At,
        string? ErrorCode,
        byte[]? HeadHash,
        string? PinnedServer,
        LogReceipt? Receipt,
        string? HeadProblem)
    {
        public bool IsSigned => HeadHash is not null;
    }

    private sealed class Comparison(Side client, Side provider, LogReconciliationOptions options)
    {
        private readonly List<EvidenceCheck> _found = [];
        private readonly HashSet<string> _clients = new(StringComparer.Ordinal);
        private readonly HashSet<string> _services = new(StringComparer.Ordinal);
        private readonly DateTimeOffset _start = Start(client, provider, options.Margin);
        private readonly DateTimeOffset _end = End(client.To < provider.To ? client.To : provider.To, options.Margin);

        public List<LogDiscrepancy> Discrepancies { get; } = [];

        public void Run(List<EvidenceCheck> checks)
        {
            foreach (var e in client.Messages.Values.Where(e => e.Side == RecordSide.Client))
            {
                _clients.Add(e.Client);
            }

            foreach (var e in provider.Messages.Values.Where(e => e.Side == RecordSide.Server))
            {
                _services.Add(e.Service);
            }

            var (compared, outside) = CompareMessages();
            var (receipts, receiptsOutside) = CheckReceipts();
            checks.Add(new EvidenceCheck(
                ScopeCheck,
                true,
                Text($"compared {compared} signed message(s) between clients of {client.Header!.Server} and services of {provider.Header!.Server} logged from {(_start == DateTimeOffset.MinValue ? "the beginning" : LogTime.Format(_start))} to {LogTime.Format(_end)} (margin {options.Margin.TotalSeconds:0.###} s); {outside} message(s) lie outside the range both exports cover and were not compared")));
            checks.AddRange(_found);
            var missing = Discrepancies.Count(d => d.Kind is not (LogDiscrepancyKind.ReceiptMismatch or LogDiscrepancyKind.ReceiptBroken or LogDiscrepancyKind.ReceiptMalformed));
            checks.Add(new EvidenceCheck(
                ExchangesCheck,
                missing == 0,
                missing == 0 ? "every compared message is logged on both sides, with the same signed head" : Text($"{missing} message(s) are logged on one side only or differently")));
            var badReceipts = Discrepancies.Count - missing;
            checks.Add(new EvidenceCheck(
                ReceiptsCheck,
                badReceipts == 0,
                badReceipts == 0
                    ? Text($"{receipts} log receipt(s) of {provider.Header.Server} checked and kept; {receiptsOutside} name records outside the provider-side export")
                    : Text($"{badReceipts} of {receipts + badReceipts} log receipt(s) point to a missing or different record or were broken")));
        }

        private (long Compared, long Outside) CompareMessages()
        {
            long compared = 0;
            long outside = 0;
            foreach (var mine in client.Messages.Values.Where(e => e.Side == RecordSide.Client && e.IsSigned && InScope(e, client)).OrderBy(e => e.Sequence))
            {
                if (!InCommonRange(mine.At))
                {
                    outside++;
                    continue;
                }

                compared++;
                var theirs = provider.Messages.GetValueOrDefault((mine.RequestId, mine.Kind));
                if (theirs is null || theirs.Side != RecordSide.Server)
                {
                    if (mine.Kind == RecordKind.Request && NotDelivered(mine.RequestId))
                    {
                        // The client side's own failure before or while reaching the provider: nothing to expect there.
                        continue;
                    }

                    Report(LogDiscrepancyKind.MissingOnProviderSide, mine, mine.Sequence, null, Text($"the {KindText(mine.Kind)} of exchange {mine.RequestId:D} (message id '{mine.MessageId}', {mine.Client} → {mine.Service}) is record {mine.Sequence} of {client.Header!.Server} but is not in the log of {provider.Header!.Server}"));
                }
                else if (!theirs.HeadHash.AsSpan().SequenceEqual(mine.HeadHash) || !string.Equals(theirs.MessageId, mine.MessageId, StringComparison.Ordinal))
                {
                    Report(LogDiscrepancyKind.Different, mine, mine.Sequence, theirs.Sequence, Text($"the {KindText(mine.Kind)} of exchange {mine.RequestId:D} is record {mine.Sequence} of {client.Header!.Server} and record {theirs.Sequence} of {provider.Header!.Server}, but they do not hold the same signed head"));
                }
            }

            foreach (var theirs in provider.Messages.Values.Where(e => e.Side == RecordSide.Server && e.IsSigned && InScope(e, provider)).OrderBy(e => e.Sequence))
            {
                if (!InCommonRange(theirs.At))
                {
                    outside++;
                    continue;
                }

                var mine = client.Messages.GetValueOrDefault((theirs.RequestId, theirs.Kind));
                if (mine is not null && mine.Side == RecordSide.Client)
                {
                    // Compared above when signed; a client-side error record accounts for the message too.
                    continue;
                }

                compared++;
                Report(LogDiscrepancyKind.MissingOnClientSide, theirs, null, theirs.Sequence, Text($"the {KindText(theirs.Kind)} of exchange {theirs.RequestId:D} (message id '{theirs.MessageId}', {theirs.Client} → {theirs.Service}) is record {theirs.Sequence} of {provider.Header!.Server} but is not in the log of {client.Header!.Server}"));
            }

            return (compared, outside);
        }

        private (long Checked, long Outside) CheckReceipts()
        {
            long ok = 0;
            long outside = 0;
            foreach (var response in client.Messages.Values.Where(e => e.Side == RecordSide.Client && e.Kind == RecordKind.Response && (e.Receipt is not null || e.HeadProblem is not null)).OrderBy(e => e.Sequence))
            {
                if (response.Receipt is not { } receipt)
                {
                    // The receipt is read with the head (HeadCodec): a head that does not decode has no readable receipt.
                    Report(LogDiscrepancyKind.ReceiptMalformed, response, response.Sequence, null, Text($"the log receipt in record {response.Sequence} (exchange {response.RequestId:D}) cannot be read: {response.HeadProblem}"), receiptCheck: true);
                    continue;
                }

                if (!string.Equals(receipt.Server.ToString(), provider.Header!.Server, StringComparison.Ordinal))
                {
                    // A receipt of another server (the provider answered from elsewhere): not about this export.
                    outside++;
                    continue;
                }

                var s = receipt.Sequence;
                var header = provider.Header;
                if (s <= header.From.TreeSize)
                {
                    outside++;
                }
                else if (s > header.To.TreeSize)
                {
                    if (receipt.PromisedBy < provider.To)
                    {
                        Report(LogDiscrepancyKind.ReceiptBroken, response, response.Sequence, s, Text($"record {response.Sequence} holds {receipt.Server}'s receipt for its request as record {s}, promised checkpointed by {LogTime.Format(receipt.PromisedBy)}, but its checkpoint {header.To.TreeSize} of {LogTime.Format(provider.To)} does not cover it"), receiptCheck: true);
                    }
                    else
                    {
                        outside++;
                    }
                }
                else if (provider.BySequence.GetValueOrDefault(s) is not { } named)
                {
                    Report(LogDiscrepancyKind.ReceiptMismatch, response, response.Sequence, s, Text($"record {response.Sequence} holds {receipt.Server}'s receipt for its request as record {s}, which the provider-side export does not hold"), receiptCheck: true);
                }
                else if (named.Side != RecordSide.Server || named.Kind != RecordKind.Request || named.RequestId != response.RequestId)
                {
                    Report(LogDiscrepancyKind.ReceiptMismatch, response, response.Sequence, s, Text($"record {response.Sequence} holds {receipt.Server}'s receipt for the request of exchange {response.RequestId:D} as record {s}, but record {s} there is the {KindText(named.Kind)} of exchange {named.RequestId:D}"), receiptCheck: true);
                }
                else
                {
                    ok++;
                }
            }

            return (ok, outside);
        }

        /// <summary>Whether the exchange ended in an error of the client side's own proxy (its response record is that error).</summary>
        private bool NotDelivered(Guid requestId) =>
            client.Messages.GetValueOrDefault((requestId, RecordKind.Response)) is { IsSigned: false, ErrorCode: { } code, Side: RecordSide.Client }
            && code.StartsWith(ClientProxyFamily, StringComparison.Ordinal);

        private bool InScope(Entry e, Side side)
        {
            var clientMember = ClientId.TryParse(e.Client).Value?.Member;
            var serviceMember = ServiceId.TryParse(e.Service).Value?.Client.Member;
            var clientOk = _clients.Contains(e.Client) || (clientMember is not null && clientMember == client.Server?.Owner);
            var serviceOk = _services.Contains(e.Service) || (serviceMember is not null && serviceMember == provider.Server?.Owner);
            return clientOk && serviceOk && string.Equals(PinnedOf(e, side) ?? provider.Header!.Server, provider.Header!.Server, StringComparison.Ordinal);
        }

        /// <summary>The security server the exchange's request head pins, read from the request record of the same side.</summary>
        private static string? PinnedOf(Entry e, Side side) =>
            e.Kind == RecordKind.Request ? e.PinnedServer : side.Messages.GetValueOrDefault((e.RequestId, RecordKind.Request))?.PinnedServer;

        private bool InCommonRange(DateTimeOffset at) => at > _start && at < _end;

        /// <summary>Where the common range ends: the earlier upper checkpoint less the margin (nothing when a checkpoint was unreadable).</summary>
        private static DateTimeOffset End(DateTimeOffset earlier, TimeSpan margin) =>
            earlier - DateTimeOffset.MinValue > margin ? earlier - margin : DateTimeOffset.MinValue;

        /// <summary>Where the common range starts: the later lower checkpoint plus the margin, or the beginning when both start at the empty tree.</summary>
        private static DateTimeOffset Start(Side a, Side b, TimeSpan margin)
        {
            var first = a.Header!.From.TreeSize == 0 ? DateTimeOffset.MinValue : a.From;
            var second = b.Header!.From.TreeSize == 0 ? DateTimeOffset.MinValue : b.From;
            var later = first > second ? first : second;
            return later == DateTimeOffset.MinValue ? later : later + margin;
        }

        private void Report(LogDiscrepancyKind kind, Entry e, long? clientSequence, long? providerSequence, string description, bool receiptCheck = false)
        {
            Discrepancies.Add(new LogDiscrepancy(kind, e.RequestId, e.Kind, e.MessageId, clientSequence, providerSequence, description));
            var name = receiptCheck ? Text($"receipt.{clientSequence}") : Text($"exchange.{e.RequestId:D}.{KindText(e.Kind)}");
            _found.Add(new EvidenceCheck(name, false, description, clientSequence ?? providerSequence));
        }
    }
}
