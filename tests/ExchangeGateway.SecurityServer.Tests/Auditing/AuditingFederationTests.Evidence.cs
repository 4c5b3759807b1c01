using System.Net;
using System.Text.Json;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.SecurityServer.Tests.Exchange;

namespace ExchangeGateway.SecurityServer.Tests.Auditing;

/// <summary>
/// The auditor's evidence routes on two real security servers: the bundle of one exchange from each side and an
/// export of each whole log verify offline with nothing but what the routes served (and the federation's anchor),
/// the two exports reconcile, and bad requests get their exact codes.
/// </summary>
public sealed partial class AuditingFederationTests
{
    [Theory]
    [InlineData("ss1", "client", 2)]
    [InlineData("ss2", "server", 2)]
    public async Task ExchangeBundle_EachSide_VerifiesOfflineAgainstTheFederationsAnchor(string server, string side, int records)
    {
        var requestId = await ExchangeForRequestIdAsync();
        using var auditor = AuditorClient(server);

        var bytes = await FetchWhenCheckpointedAsync(auditor, $"message-log/exchanges/{requestId}/bundle?side={side}");

        var bundle = EvidenceBundleSerializer.Read(bytes);
        Assert.True(bundle.Success, bundle.Message);
        Assert.Equal(records, bundle.Value!.Records.Count);
        var report = EvidenceBundleVerifier.Verify(bundle.Value, await File.ReadAllBytesAsync(_f.AnchorPath));
        Assert.True(report.Passed, string.Join('\n', report.Checks.Select(c => $"{(c.Passed ? "PASS" : "FAIL")} {c.Name}: {c.Message}")));
        Assert.Contains(report.Checks, c => c.Name.EndsWith(".signature", StringComparison.Ordinal) && c.Name.StartsWith("record.", StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.Name == "checkpoint.timestamp");
        Assert.Contains(report.Checks, c => c.Name == "pair");
    }

    [Fact]
    public async Task RecordBundle_OfTheRequestRecord_VerifiesAndHoldsOneRecord()
    {
        var requestId = await ExchangeForRequestIdAsync();
        using var auditor = AuditorClient("ss2");
        using var found = JsonDocument.Parse(await auditor.GetStringAsync($"message-log/records?requestId={requestId}&kind=request"));
        var sequence = found.RootElement.GetProperty("records").EnumerateArray().Single().GetProperty("sequence").GetInt64();

        var bytes = await FetchWhenCheckpointedAsync(auditor, $"message-log/records/{sequence}/bundle");

        var bundle = EvidenceBundleSerializer.Read(bytes).Value!;
        Assert.Equal(sequence, Assert.Single(bundle.Records).Sequence);
        Assert.True(EvidenceBundleVerifier.Verify(bundle).Passed);
    }

    [Fact]
    public async Task Export_OfBothLogs_VerifiesOffline_AndTheTwoLogsReconcile()
    {
        await ExchangeForRequestIdAsync();
        using var ss1 = AuditorClient("ss1");
        using var ss2 = AuditorClient("ss2");

        // The newest stamped checkpoint of each server bounds its export (default `to`).
        var clientSide = await FetchWhenCheckpointedAsync(ss1, "message-log/export");
        var providerSide = await FetchWhenCheckpointedAsync(ss2, "message-log/export?from=0");

        var anchor = await File.ReadAllBytesAsync(_f.AnchorPath);
        foreach (var export in new[] { clientSide, providerSide })
        {
            using var stream = new MemoryStream(export);
            var report = LogExportVerifier.Verify(stream, anchor, []);
            Assert.True(report.Passed, string.Join('\n', report.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Message}")));
        }

        using var a = new MemoryStream(clientSide);
        using var b = new MemoryStream(providerSide);
        var reconciled = LogReconciliation.Compare(a, b);
        Assert.True(reconciled.Report.Passed, string.Join('\n', reconciled.Discrepancies.Select(d => d.ToString())));
    }

    [Theory]
    [InlineData("message-log/records/0/bundle", HttpStatusCode.BadRequest, "request.invalid")]
    [InlineData("message-log/records/99999999/bundle", HttpStatusCode.NotFound, "messagelog.not_found")]
    [InlineData("message-log/exchanges/not-a-uuid/bundle", HttpStatusCode.BadRequest, "messagelog.invalid_query")]
    [InlineData("message-log/exchanges/3f2c8a53-7e55-4a4b-9d4e-0d1f3e8b9c01/bundle", HttpStatusCode.NotFound, "messagelog.not_found")]
    [InlineData("message-log/exchanges/3f2c8a53-7e55-4a4b-9d4e-0d1f3e8b9c01/bundle?side=both", HttpStatusCode.BadRequest, "messagelog.invalid_query")]
    [InlineData("message-log/export?from=5&to=3", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("message-log/export?from=x", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("message-log/export?to=99999999", HttpStatusCode.NotFound, "messagelog.not_found")]
    public async Task EvidenceRoutes_BadRequests_HaveExactCodes(string path, HttpStatusCode status, string code)
    {
        using var auditor = AuditorClient("ss2");

        using var response = await auditor.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentDisposition);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task EvidenceRoutes_WithoutTheAuditorRole_AreForbidden()
    {
        using var serviceAdmin = _f.Admin("ss2");

        using var response = await serviceAdmin.GetAsync("message-log/export");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<string> ExchangeForRequestIdAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"r1/{Federation.ProviderSubsystem}/echo/evidence") { Content = new StringContent("evidence, please") };
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        using var response = await _f.ClientProxy.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("X-Road-Request-Id").Single();
    }

    // 409 messagelog.not_yet_checkpointed until the integrator's next stamped checkpoint (every second) covers it.
    private static async Task<byte[]> FetchWhenCheckpointedAsync(HttpClient auditor, string path)
    {
        var deadline = DateTimeOffset.UtcNow + Wait;
        while (true)
        {
            using var response = await auditor.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return body;
            }

            Assert.True(
                response.StatusCode == HttpStatusCode.Conflict && DateTimeOffset.UtcNow < deadline,
                $"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
            await Task.Delay(200);
        }
    }
}
