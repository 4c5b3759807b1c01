using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Auditing;
using ExchangeGateway.SecurityServer.Exchange;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Tests.Exchange;
using ExchangeGateway.SecurityServer.Tests.Operations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Auditing;

/// <summary>
/// Issue #7 on two real security servers: the provider's log receipt in the client side's log, the auditor's
/// search and integrity routes, the integrity monitor catching a record changed in a running server's
/// database, and the history of global configurations.
/// </summary>
public sealed partial class AuditingFederationTests : IClassFixture<AuditingFederation>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly AuditingFederation _f;

    public AuditingFederationTests(AuditingFederation federation)
    {
        _f = federation;
    }

    [Fact]
    public async Task RestExchange_ClientSideResponseRecordCarriesTheProvidersReceiptForItsRequestRecord()
    {
        var id = Guid.NewGuid().ToString();
        var before = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/receipt");
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        request.Headers.Add("X-Road-Id", id);
        using var response = await _f.ClientProxy.SendAsync(request);
        var after = DateTimeOffset.UtcNow;
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        // ss1 (client side) stored the signed response head, receipt included.
        var (head, requestId) = ReadHead("ss1", id, RecordSide.Client, RecordKind.Response);
        var decoded = HeadCodec.DecodeResponse(head);
        Assert.True(decoded.Success, decoded.Message);
        var receipt = decoded.Value!.LogReceipt!;
        Assert.Equal(SecurityServerId.Parse(Federation.Ss2), receipt.Server);

        // The receipt names ss2's request record of this exchange.
        var provider = ReadRecord("ss2", receipt.Sequence);
        Assert.Equal((RecordSide.Server, RecordKind.Request, id, requestId), provider);

        // The IS sees it too, and the promise is now + 2 × 1 s + the 10 s stamping allowance.
        Assert.Equal(receipt.ToHeaderValue(), response.Headers.GetValues(LogReceipt.ResponseHeader).Single());
        var allowance = (2 * TimeSpan.FromSeconds(1)) + LogReceipts.StampingAllowance;
        Assert.InRange(receipt.PromisedBy, before + allowance - TimeSpan.FromMilliseconds(1), after + allowance);

        // The promise is kept: ss2 has a checkpoint covering the record before promisedBy.
        Assert.True(await EventuallyAsync(() => LatestCheckpoint("ss2") >= receipt.Sequence, receipt.PromisedBy - DateTimeOffset.UtcNow), $"no checkpoint of ss2 covers {receipt.Sequence} by {receipt.PromisedBy}");
    }

    [Fact]
    public async Task SoapExchange_ReceiptInTheSignedSoapHead_NotInTheHttpAnswer()
    {
        var id = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(SoapFixtures.Envelope("echoSoap", id))) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "text/xml; charset=utf-8");
        using var response = await _f.ClientProxy.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var (head, requestId) = ReadHead("ss1", id, RecordSide.Client, RecordKind.Response);
        var receipt = HeadCodec.DecodeSoapResponse(head).Value!.LogReceipt!;

        Assert.Equal(SecurityServerId.Parse(Federation.Ss2), receipt.Server);
        Assert.Equal((RecordSide.Server, RecordKind.Request, id, requestId), ReadRecord("ss2", receipt.Sequence));
        Assert.False(response.Headers.Contains(LogReceipt.ResponseHeader));
    }

    [Fact]
    public async Task Search_AuditorFindsBothRecordsOfAnExchange_OthersAreRefused()
    {
        var id = await ExchangeAsync();
        using var auditor = AuditorClient("ss2");

        using var found = await JsonAsync(await auditor.GetAsync($"message-log/records?messageId={Uri.EscapeDataString(id)}&side=server"));
        var records = found.RootElement.GetProperty("records").EnumerateArray().ToList();

        Assert.Equal(["request", "response"], records.Select(r => r.GetProperty("kind").GetString()));
        Assert.All(records, r => Assert.Equal(Federation.Consumer, r.GetProperty("client").GetString()));
        Assert.All(records, r => Assert.Equal($"{Federation.ProviderSubsystem}/echo", r.GetProperty("service").GetString()));
        Assert.All(records, r => Assert.Equal("success", r.GetProperty("outcome").GetString()));
        Assert.Equal(200, records[1].GetProperty("httpStatus").GetInt32());
        Assert.Equal(JsonValueKind.Null, found.RootElement.GetProperty("next").ValueKind);
        Assert.False(records[0].TryGetProperty("head", out _));

        using var bad = await auditor.GetAsync("message-log/records?limit=1001");
        await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "messagelog.invalid_query", "limit: must be an integer from 1 to 1000.");
        using var serviceAdmin = _f.Admin("ss2");
        using var refused = await serviceAdmin.GetAsync("message-log/records");
        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "admin.forbidden", null);
    }

    [Fact]
    public async Task IntegrityMonitor_RecordChangedInTheRunningServersDatabase_DetectedReportedAndClearedOnRepair()
    {
        await ExchangeAsync();
        var monitor = _f.ServicesOf("ss2").GetRequiredService<IntegrityMonitor>();
        Assert.True(await EventuallyAsync(() => LatestCheckpoint("ss2") > 0, Wait));
        var sequence = LatestCheckpoint("ss2");
        Assert.True(await EventuallyAsync(() => monitor.Status is { State: IntegrityState.Ok, LastFullVerificationAt: not null } s && s.VerifiedTreeSize >= sequence, Wait), $"{monitor.Status}");
        Assert.Equal(1.0, await GaugeAsync(ExchangeMetrics.IntegrityOk));
        var findingsBefore = await GaugeAsync(ExchangeMetrics.IntegrityFailuresTotal) ?? 0;
        Assert.Equal(0.0, findingsBefore);

        // An attacker with the database file rewrites a record's message id (leaving its leaf hash).
        var original = ReadMessageId("ss2", sequence);
        Assert.Equal(1, Execute("ss2", "UPDATE record SET message_id = 'forged' WHERE seq = $seq;", sequence));

        var expectedMessage = $"record {sequence} does not hash to its stored leaf: a field was changed or records were moved";
        Assert.True(await EventuallyAsync(() => monitor.Status.State == IntegrityState.Failed, Wait), $"{monitor.Status}");
        using var auditor = AuditorClient("ss2");
        using (var integrity = await JsonAsync(await auditor.GetAsync("message-log/integrity")))
        {
            var m = integrity.RootElement.GetProperty("monitor");
            Assert.Equal("failed", m.GetProperty("state").GetString());
            var finding = m.GetProperty("finding");
            Assert.Equal("messagelog.integrity.leaf_mismatch", finding.GetProperty("code").GetString());
            Assert.Equal($"record {sequence}", finding.GetProperty("item").GetString());
            Assert.Equal(sequence, finding.GetProperty("sequence").GetInt64());
            Assert.Equal(expectedMessage, finding.GetProperty("message").GetString());
            Assert.True(integrity.RootElement.GetProperty("lastCheckpoint").GetProperty("treeSize").GetInt64() >= sequence);
        }

        using (var ready = await ReadinessAsync())
        {
            Assert.Equal("degraded", ready.RootElement.GetProperty("status").GetString());
            Assert.Equal(
                [$"{IntegrityMonitor.ReadinessReason}: record {sequence}: {expectedMessage}"],
                ready.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal("failed", ready.RootElement.GetProperty("messageLog").GetProperty("integrity").GetString());
        }

        Assert.Equal(0.0, await GaugeAsync(ExchangeMetrics.IntegrityOk));
        Assert.Equal(findingsBefore + 1, await GaugeAsync(ExchangeMetrics.IntegrityFailuresTotal));
        var audit = _f.ServicesOf("ss2").GetRequiredService<AdminAuditLog>();
        var entry = Assert.Single(audit.ReadLast(AdminAuditLog.MaxRead), e => e.Action == IntegrityMonitor.FailureAction && e.Target == $"record {sequence}");
        Assert.Equal("messagelog.integrity.leaf_mismatch", entry.Outcome);
        Assert.Null(entry.KeyId);
        Assert.Equal(0, entry.Status);

        // Later runs find the same thing: no new count, still failed.
        var runs = monitor.Status.LastRunAt;
        Assert.True(await EventuallyAsync(() => monitor.Status.LastRunAt > runs + TimeSpan.FromSeconds(1), Wait));
        Assert.Equal(IntegrityState.Failed, monitor.Status.State);
        Assert.Equal(findingsBefore + 1, await GaugeAsync(ExchangeMetrics.IntegrityFailuresTotal));

        // Repair: the record as it was. A full re-verification passes and clears the state.
        Assert.Equal(1, Execute("ss2", "UPDATE record SET message_id = $value WHERE seq = $seq;", sequence, original));
        Assert.True(await EventuallyAsync(() => monitor.Status.State == IntegrityState.Ok, Wait), $"{monitor.Status}");
        Assert.Equal(1.0, await GaugeAsync(ExchangeMetrics.IntegrityOk));
        Assert.Equal(findingsBefore + 1, await GaugeAsync(ExchangeMetrics.IntegrityFailuresTotal));
        Assert.Contains(audit.ReadLast(AdminAuditLog.MaxRead), e => e.Action == IntegrityMonitor.RestoredAction && e.Outcome == AdminAuditEntry.Ok);
        using (var ready = await ReadinessAsync())
        {
            Assert.Equal("ready", ready.RootElement.GetProperty("status").GetString());
            Assert.Empty(ready.RootElement.GetProperty("reasons").EnumerateArray());
        }
    }

    [Fact]
    public void ConfigurationHistory_HoldsTheConfigurationInForce_AsEvidenceTrust()
    {
        var services = _f.ServicesOf("ss1");
        var history = services.GetRequiredService<GlobalConfigurationHistory>();
        var current = services.GetRequiredService<Config.Client.ConfigurationClient>().Current!;

        var entry = Assert.Single(history.Entries());
        var trust = history.TrustAt(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));

        Assert.Equal(GlobalConfigurationHistory.TrustDigest(current), entry.TrustSha256);
        Assert.True(trust!.Value.IsValid, trust.Value.Message);
        var evidence = trust.Value.Value!;
        Assert.Equal(current.ApprovedCas.Select(c => Convert.ToHexString(c.Certificate.Span)), evidence.CaCertificates.Select(c => Convert.ToHexString(c.Span)));
        Assert.Equal(current.ApprovedTsas.Select(t => Convert.ToHexString(t.Certificate.Span)), evidence.TsaCertificates.Select(c => Convert.ToHexString(c.Span)));
        Assert.Equal(File.ReadAllBytes(_f.AnchorPath), evidence.Anchor.ToArray());
        Assert.True(File.Exists(Path.Combine(_f.DataDirectory("ss1"), GlobalConfigurationHistory.DirectoryName, $"{entry.Serial}.signed.json")));
        Assert.Null(history.TrustAt(entry.RecordedAt - TimeSpan.FromTicks(1)));
    }

    private async Task<string> ExchangeAsync()
    {
        var id = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/audited");
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        request.Headers.Add("X-Road-Id", id);
        using var response = await _f.ClientProxy.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return id;
    }

    private HttpClient AuditorClient(string server)
    {
        var key = _f.ServicesOf(server).GetRequiredService<AdminApiKeyStore>().Create("auditor", [AdminRole.Auditor]).GetValueOrThrow().Key;
        var ports = server == "ss1" ? _f.Ports1 : _f.Ports2;
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Admin}/api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        return client;
    }

    private async Task<JsonDocument> ReadinessAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_f.Ports2.Admin}/health/ready"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<double?> GaugeAsync(string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_f.Ports2.Admin}/metrics"));
        var sample = PrometheusText.Parse(text).Samples.SingleOrDefault(s => s.Name == name);
        return sample?.Value;
    }

    private static async Task<JsonDocument> JsonAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            return JsonDocument.Parse(text);
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, text);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        if (detail is not null)
        {
            Assert.Equal(detail, problem.RootElement.GetProperty("detail").GetString());
        }
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }

    private (byte[] Head, Guid RequestId) ReadHead(string server, string messageId, RecordSide side, RecordKind kind)
    {
        using var connection = Open(server, readOnly: true);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT head, request_id FROM record WHERE message_id = $id AND side = $side AND kind = $kind;";
        cmd.Parameters.AddWithValue("$id", messageId);
        cmd.Parameters.AddWithValue("$side", (int)side);
        cmd.Parameters.AddWithValue("$kind", (int)kind);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read(), $"no {side} {kind} record of {messageId} on {server}");
        var result = ((byte[])r["head"], new Guid((byte[])r["request_id"], bigEndian: true));
        Assert.False(r.Read());
        return result;
    }

    private (RecordSide Side, RecordKind Kind, string MessageId, Guid RequestId) ReadRecord(string server, long sequence)
    {
        using var connection = Open(server, readOnly: true);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT side, kind, message_id, request_id FROM record WHERE seq = $seq;";
        cmd.Parameters.AddWithValue("$seq", sequence);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read(), $"{server} has no record {sequence}");
        return ((RecordSide)r.GetInt64(0), (RecordKind)r.GetInt64(1), r.GetString(2), new Guid((byte[])r["request_id"], bigEndian: true));
    }

    private long LatestCheckpoint(string server)
    {
        using var connection = Open(server, readOnly: true);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(tree_size), 0) FROM checkpoint;";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private string ReadMessageId(string server, long sequence)
    {
        using var connection = Open(server, readOnly: true);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT message_id FROM record WHERE seq = $seq;";
        cmd.Parameters.AddWithValue("$seq", sequence);
        return (string)cmd.ExecuteScalar()!;
    }

    private int Execute(string server, string sql, long sequence, string? value = null)
    {
        using var connection = Open(server, readOnly: false);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$seq", sequence);
        if (value is not null)
        {
            cmd.Parameters.AddWithValue("$value", value);
        }

        return cmd.ExecuteNonQuery();
    }

    private SqliteConnection Open(string server, bool readOnly)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_f.DataDirectory(server), "messagelog.db"),
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 10,
        }.ToString());
        connection.Open();
        return connection;
    }
}
