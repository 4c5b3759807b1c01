using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

/// <summary>
/// Two servers' logs of the same exchanges, built by the same run: the consumer's (ss2, client side) and the
/// provider's (ss1), with bilateral receipts in the response heads. Reconciliation finds what one logged and
/// the other did not, and receipts that point nowhere, and nothing else.
/// </summary>
public sealed class LogReconciliationTests : IAsyncLifetime
{
    private ExchangeLogs _logs = null!;
    private ExchangeLogs.LogSide _client = null!;
    private ExchangeLogs.LogSide _provider = null!;

    public async Task InitializeAsync()
    {
        _logs = await ExchangeLogs.CreateAsync();
        _client = _logs.Open("ss2", provider: false);
        _provider = _logs.Open("ss1", provider: true);
    }

    public async Task DisposeAsync() => await _logs.DisposeAsync();

    [Fact]
    public async Task Compare_LogsThatAgree_Passes()
    {
        var (client, provider) = await RunAsync();

        var result = Compare(client, provider);

        Assert.True(result.Report.Passed, result.Report.FirstFailure?.ToString());
        Assert.Empty(result.Discrepancies);
        Assert.Equal(["export.client", "export.provider", "scope", "exchanges", "receipts"], result.Report.Checks.Select(c => c.Name));
        Assert.Equal("reconciliation of DEV/ORG/70000002/ss2 (client side) with DEV/GOV/70000001/ss1 (provider side)", result.Report.Subject);

        // Exchanges 4 to 20: 17 requests and 16 signed responses (14 ended in an error at the client side); exchange 21 is at the edge.
        Assert.StartsWith("compared 33 signed message(s)", result.Report.Checks[2].Message, StringComparison.Ordinal);
        Assert.Contains("; 2 message(s) lie outside the range", result.Report.Checks[2].Message, StringComparison.Ordinal);
        Assert.StartsWith("16 log receipt(s) of DEV/GOV/70000001/ss1 checked and kept", result.Report.Checks[4].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_RequestLoggedByTheClientSideOnly_ReportedByRequestIdAndKind()
    {
        // The provider's log lacks exchange 7 altogether, though the client side holds the provider's signed response.
        var (client, provider) = await RunAsync(skip: (i, side, _) => i == 7 && side == RecordSide.Server);

        var result = Compare(client, provider);

        Assert.False(result.Report.Passed);
        Assert.Equal(
            [(LogDiscrepancyKind.MissingOnProviderSide, RecordKind.Request), (LogDiscrepancyKind.MissingOnProviderSide, RecordKind.Response)],
            result.Discrepancies.Select(d => (d.Kind, d.Message)));
        Assert.All(result.Discrepancies, d => Assert.Equal(ExchangeLogs.RequestIdOf(7), d.RequestId));
        Assert.All(result.Discrepancies, d => Assert.Null(d.ProviderSequence));
        var first = result.Report.FirstFailure!;
        Assert.Equal($"exchange.{ExchangeLogs.RequestIdOf(7):D}.request", first.Name);
        Assert.Equal(result.Discrepancies[0].ClientSequence, first.Item);
        Assert.Contains("message id 'msg-7'", first.Message, StringComparison.Ordinal);
        Assert.Contains("is not in the log of DEV/GOV/70000001/ss1", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_ExchangeLoggedByTheProviderSideOnly_Reported()
    {
        var (client, provider) = await RunAsync(skip: (i, side, _) => i == 11 && side == RecordSide.Client);

        var result = Compare(client, provider);

        Assert.Equal(
            [(LogDiscrepancyKind.MissingOnClientSide, RecordKind.Request), (LogDiscrepancyKind.MissingOnClientSide, RecordKind.Response)],
            result.Discrepancies.Select(d => (d.Kind, d.Message)));
        Assert.All(result.Discrepancies, d => Assert.Equal(ExchangeLogs.RequestIdOf(11), d.RequestId));
        Assert.All(result.Discrepancies, d => Assert.Null(d.ClientSequence));
        Assert.Contains("is not in the log of DEV/ORG/70000002/ss2", result.Report.FirstFailure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_ReceiptNamingAnotherRecord_Reported()
    {
        // Exchange 9's receipt names the record after its request: another exchange's.
        var (client, provider) = await RunAsync(receiptSequence: (i, s) => i == 9 ? s + 1 : s);

        var result = Compare(client, provider);

        var d = Assert.Single(result.Discrepancies);
        Assert.Equal(LogDiscrepancyKind.ReceiptMismatch, d.Kind);
        Assert.Equal(ExchangeLogs.RequestIdOf(9), d.RequestId);
        Assert.Equal(RecordKind.Response, d.Message);
        Assert.Equal($"receipt.{d.ClientSequence}", result.Report.FirstFailure!.Name);
        Assert.Contains($"as record {d.ProviderSequence}, but record {d.ProviderSequence} there is the request of exchange {ExchangeLogs.RequestIdOf(10):D}", d.Description, StringComparison.Ordinal);
        Assert.True(result.Report.Checks.Single(c => c.Name == "exchanges").Passed);
    }

    [Fact]
    public async Task Compare_ReceiptPromiseBrokenByALaterCheckpoint_Reported()
    {
        var (client, provider) = await RunAsync(receiptSequence: (i, s) => i == 16 ? 10_000 : s);

        var result = Compare(client, provider);

        var d = Assert.Single(result.Discrepancies);
        Assert.Equal(LogDiscrepancyKind.ReceiptBroken, d.Kind);
        Assert.Equal(10_000, d.ProviderSequence);
        Assert.Contains("does not cover it", d.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_SameMessageLoggedWithAnotherHead_ReportedAsDifferent()
    {
        var (client, provider) = await RunAsync();
        var (edited, sequence) = EditHead(client, 5, RecordKind.Request, head => head.Replace("\"method\":\"POST\"", "\"method\":\"PUT\"", StringComparison.Ordinal));

        var result = Compare(edited, provider);

        var d = Assert.Single(result.Discrepancies);
        Assert.Equal((LogDiscrepancyKind.Different, RecordKind.Request, sequence), (d.Kind, d.Message, d.ClientSequence));
        Assert.NotNull(d.ProviderSequence);
        Assert.Contains("do not hold the same signed head", d.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_ResponseHeadThatDoesNotDecode_ReceiptMalformed()
    {
        // The receipt's promisedBy is not in the one time form: HeadCodec refuses the head, so the receipt cannot be read.
        var (client, provider) = await RunAsync();
        var (edited, sequence) = EditHead(client, 6, RecordKind.Response, head => head.Replace("Z\"}", "+00:00\"}", StringComparison.Ordinal));

        var result = Compare(edited, provider);

        var d = Assert.Single(result.Discrepancies, d => d.Kind == LogDiscrepancyKind.ReceiptMalformed);
        Assert.Equal((RecordKind.Response, sequence, (long?)null), (d.Message, d.ClientSequence, d.ProviderSequence));
        Assert.StartsWith($"the log receipt in record {sequence} (exchange {ExchangeLogs.RequestIdOf(6):D}) cannot be read: ", d.Description, StringComparison.Ordinal);
        Assert.False(result.Report.Checks.Single(c => c.Name == "receipts").Passed);
    }

    [Fact]
    public async Task Compare_ExportsSwapped_EverythingIsOutOfScope()
    {
        // The provider's export given as the client side's: its Server records are not client-side records.
        var (client, provider) = await RunAsync();

        var result = Compare(provider, client);

        Assert.StartsWith("compared 0 signed message(s)", result.Report.Checks[2].Message, StringComparison.Ordinal);
        Assert.Empty(result.Discrepancies);
    }

    [Fact]
    public async Task Compare_UnreadableExport_FailsNamingIt()
    {
        var (client, _) = await RunAsync();

        var result = LogReconciliation.Compare(new MemoryStream(client), new MemoryStream("{}\n"u8.ToArray()));

        Assert.False(result.Report.Passed);
        Assert.Equal(["export.client", "export.provider"], result.Report.Checks.Select(c => c.Name));
        Assert.Contains("the provider-side export cannot be read: line 1 (header): header lacks the property 'format'", result.Report.Checks[1].Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Exchanges 1–3, checkpoint A on both; two minutes later exchanges 4–20 with receipts (14 fails at the
    /// client side's proxy before reaching the provider); two minutes later exchange 21 on the client side only,
    /// 11 s before checkpoint B on both: within the margin, so not expected on the provider side. Exports (A, B].
    /// </summary>
    private async Task<(byte[] Client, byte[] Provider)> RunAsync(Func<int, RecordSide, RecordKind, bool>? skip = null, Func<int, long, long>? receiptSequence = null)
    {
        skip ??= (_, _, _) => false;
        await _logs.ExchangeAsync(_client, _provider, 1, 3);
        var clientA = await _client.CheckpointAsync();
        var providerA = await _provider.CheckpointAsync();
        _logs.Context.Time.Advance(TimeSpan.FromMinutes(2));
        await _logs.ExchangeAsync(
            _client,
            _provider,
            4,
            17,
            batch: 5,
            receipts: true,
            skip: (i, side, kind) => skip(i, side, kind) || (i == 14 && (side == RecordSide.Server || kind == RecordKind.Response)),
            receiptSequence: receiptSequence);
        await _client.AppendErrorAsync(14, RecordSide.Client, "server.clientproxy.network_error");
        _logs.Context.Time.Advance(TimeSpan.FromMinutes(2));
        await _logs.ExchangeAsync(_client, null, 21, 1);
        _logs.Context.Time.Advance(TimeSpan.FromSeconds(10));
        var clientB = await _client.CheckpointAsync();
        var providerB = await _provider.CheckpointAsync();
        return (await ExportAsync(_client, clientA, clientB), await ExportAsync(_provider, providerA, providerB));
    }

    private async Task<byte[]> ExportAsync(ExchangeLogs.LogSide side, long from, long to)
    {
        using var output = new MemoryStream();
        var written = await LogExportWriter.WriteAsync(side.DatabasePath, from, to, _logs.Trust.Evidence(), [], output, new LogExportWriterOptions { Time = _logs.Context.Time });
        Assert.True(written.IsSuccess, written.ToString());
        output.Position = 0;
        var verified = LogExportVerifier.Verify(output, null, [], new LogExportVerifierOptions { Time = _logs.Context.Time });
        Assert.True(verified.Passed, verified.FirstFailure?.ToString());
        return output.ToArray();
    }

    /// <summary>The export with the signed head of exchange <paramref name="exchange"/>'s <paramref name="kind"/> record edited as text, and that record's sequence.</summary>
    private static (byte[] Export, long Sequence) EditHead(byte[] export, int exchange, RecordKind kind, Func<string, string> edit)
    {
        var lines = System.Text.Encoding.UTF8.GetString(export).Split('\n').ToList();
        var index = lines.FindIndex(l => l.Contains("\"sequence\":", StringComparison.Ordinal) && Decode(l).Record.RequestId == ExchangeLogs.RequestIdOf(exchange) && Decode(l).Record.Kind == kind);
        var line = System.Text.Json.Nodes.JsonNode.Parse(lines[index])!.AsObject();
        var decoded = Decode(lines[index]);
        var head = edit(System.Text.Encoding.UTF8.GetString(decoded.Record.Head.Span));
        Assert.NotEqual(System.Text.Encoding.UTF8.GetString(decoded.Record.Head.Span), head);
        line["canonical"] = Convert.ToBase64String(RecordEncoding.Canonical(decoded.Sequence, decoded.Record with { Head = System.Text.Encoding.UTF8.GetBytes(head) }));
        lines[index] = line.ToJsonString();
        return (System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), decoded.Sequence);
    }

    private static (long Sequence, MessageRecord Record) Decode(string line) =>
        RecordDecoding.TryDecode(Convert.FromBase64String(System.Text.Json.Nodes.JsonNode.Parse(line)!["canonical"]!.GetValue<string>())).Value;

    private static LogReconciliationResult Compare(byte[] client, byte[] provider) =>
        LogReconciliation.Compare(new MemoryStream(client), new MemoryStream(provider));
}
