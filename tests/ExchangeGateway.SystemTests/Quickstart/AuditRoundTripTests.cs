using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExchangeGateway.SystemTests.Support;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SystemTests.Quickstart;

/// <summary>
/// The README's auditing walk against the running quickstart federation, every part a separate process: one
/// exchange through ss1 and ss2; the auditor's key fetches its evidence bundle from each server; the built
/// <c>xgw-audit</c>, started in an empty folder (its own HOME) holding nothing but the bundle, verifies it; the
/// CMS, TSP and OCSP parts verify with <c>openssl cms</c>, <c>openssl ts</c> and <c>openssl ocsp</c>; both logs
/// export, verify and reconcile.
/// </summary>
[Collection(QuickstartPortsCollection.Name)]
public sealed partial class AuditRoundTripTests(QuickstartFederationFixture quickstart) : IClassFixture<QuickstartFederationFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(0, "client")]
    [InlineData(1, "server")]
    public async Task Bundle_FromTheQuickstart_VerifiesWithXgwAuditAloneAndWithOpenSsl(int server, string side)
    {
        var requestId = await ExchangeAsync();
        using var auditor = Auditor(server);
        var bundle = await FetchAsync(auditor, $"message-log/exchanges/{requestId}/bundle?side={side}");

        using var machine = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(machine.Path, "exchange.xgwe"), bundle);
        await using (var verify = ExeProcess.StartIn(machine.Path, "dotnet", Binaries.XgwAudit, "verify", "exchange.xgwe", "--json"))
        {
            var exit = await verify.WaitForExitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, verify.Output);
            using var report = JsonDocument.Parse(verify.Output[verify.Output.IndexOf('{', StringComparison.Ordinal)..]);
            Assert.Equal("verified", report.RootElement.GetProperty("verdict").GetString());
            var names = report.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
            Assert.Contains("record.1.signature", names.Select(n => Regex.Replace(n!, @"record\.\d+\.", "record.1.")));
            Assert.Contains("checkpoint.timestamp", names);
            Assert.Contains("pair", names);
        }

        var parts = Path.Combine(machine.Path, "parts");
        await using (var extract = ExeProcess.StartIn(machine.Path, "dotnet", Binaries.XgwAudit, "extract", "exchange.xgwe", parts))
        {
            Assert.True(await extract.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, extract.Output);
        }

        var commands = OpenSslLines().Matches(await File.ReadAllTextAsync(Path.Combine(parts, "README.txt"))).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(commands, c => c.StartsWith("cms -verify", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("ts -verify", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("ocsp ", StringComparison.Ordinal));
        foreach (var command in commands)
        {
            var result = await OpenSsl.RunAsync(parts, command.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(result.ExitCode == 0, $"openssl {command}\n{result.Output}");
            if (command.StartsWith("ocsp ", StringComparison.Ordinal))
            {
                Assert.Matches(@"signer-\d+\.pem: good", result.Output);
            }

            if (command.StartsWith("ts -verify", StringComparison.Ordinal))
            {
                Assert.Contains("Verification: OK", result.Output, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Exports_OfBothServers_VerifyAndReconcileWithXgwAudit()
    {
        await ExchangeAsync();
        using var machine = new TempDirectory();
        for (var server = 0; server < 2; server++)
        {
            using var auditor = Auditor(server);
            await File.WriteAllBytesAsync(Path.Combine(machine.Path, $"ss{server + 1}.xgwl"), await FetchAsync(auditor, "message-log/export"));
        }

        foreach (var arguments in new[] { new[] { "verify-log", "ss1.xgwl" }, ["verify-log", "ss2.xgwl"], ["reconcile", "ss1.xgwl", "ss2.xgwl"] })
        {
            await using var run = ExeProcess.StartIn(machine.Path, "dotnet", [Binaries.XgwAudit, .. arguments]);
            var exit = await run.WaitForExitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, $"xgw-audit {string.Join(' ', arguments)}\n{run.Output}");
            Assert.StartsWith("VERIFIED", run.Output.TrimStart(), StringComparison.Ordinal);
        }
    }

    private async Task<string> ExchangeAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(quickstart.ClientProxyUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "r1/DEV/ORG/70000002/provider/echo/audit") { Content = new StringContent("evidence, please", Encoding.UTF8, "text/plain") };
        request.Headers.Add("X-Road-Client", "DEV/GOV/70000001/consumer");
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("X-Road-Request-Id").Single();
    }

    // The auditor's key the quickstart wrote into api-keys.json ("ss1-auditor", "ss2-auditor").
    private HttpClient Auditor(int server)
    {
        using var keys = JsonDocument.Parse(File.ReadAllBytes(quickstart.Federation.GetProperty("apiKeysPath").GetString()!));
        var entry = keys.RootElement.GetProperty($"ss{server + 1}-auditor");
        var client = new HttpClient { BaseAddress = new Uri(entry.GetProperty("adminUrl").GetString() + "/api/v1/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", entry.GetProperty("apiKey").GetString());
        return client;
    }

    // 409 messagelog.not_yet_checkpointed until the next time-stamped checkpoint (about a second) covers the exchange.
    private static async Task<byte[]> FetchAsync(HttpClient auditor, string path)
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

            Assert.True(response.StatusCode == HttpStatusCode.Conflict && DateTimeOffset.UtcNow < deadline, $"{path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"^  openssl (.+)$", RegexOptions.Multiline)]
    private static partial Regex OpenSslLines();
}
