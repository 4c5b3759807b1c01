namespace ExchangeGateway.Cli.Tests;

/// <summary><c>xgw log search|integrity</c>: the exact requests, the rendering, usage errors and refusals.</summary>
public sealed class LogCommandTests : IAsyncLifetime
{
    private const string Page = """
        {"records":[
          {"sequence":11,"at":"2026-03-01T12:00:01Z","loggedAt":"2026-03-01T12:00:01Z","side":"server","kind":"request","messageId":"m-1","requestId":"00000001-0001-0002-0304-05060708090a","client":"DEV/GOV/70000001/consumer","service":"DEV/ORG/70000002/provider/echo","userId":null,"httpStatus":null,"errorCode":null,"outcome":"success","bodyLength":1,"bodyState":"present","leafHash":"00"},
          {"sequence":12,"at":"2026-03-01T12:00:02Z","loggedAt":"2026-03-01T12:00:02Z","side":"server","kind":"response","messageId":"m-1","requestId":"00000001-0001-0002-0304-05060708090a","client":"DEV/GOV/70000001/consumer","service":"DEV/ORG/70000002/provider/echo","userId":null,"httpStatus":503,"errorCode":null,"outcome":"error","bodyLength":1,"bodyState":"present","leafHash":"01"}],
         "next":12}
        """;

    private StubAdminApi _stub = null!;

    public async Task InitializeAsync() => _stub = await StubAdminApi.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task Search_EveryOption_SentEncodedInOneQuery_AndShownAsATable()
    {
        const string Target = "/api/v1/message-log/records?from=2026-03-01T12%3A00%3A00Z&to=2026-03-01T13%3A00%3A00%2B01%3A00"
            + "&client=DEV%2FGOV%2F70000001%2Fconsumer&service=DEV%2FORG%2F70000002%2Fprovider%2Fecho&messageId=m%201"
            + "&requestId=00000001-0001-0002-0304-05060708090a&outcome=error&side=server&kind=response&limit=2&after=10";
        _stub.On("GET", Target, StubResponse.Json(200, Page));

        var result = await CliRun.RunAsync(
            _stub,
            "log", "search", "--from", "2026-03-01T12:00:00Z", "--to", "2026-03-01T13:00:00+01:00", "--client", "DEV/GOV/70000001/consumer",
            "--service", "DEV/ORG/70000002/provider/echo", "--message-id", "m 1",
            "--request-id", "00000001-0001-0002-0304-05060708090a", "--outcome", "error", "--side", "server", "--kind", "response",
            "--limit", "2", "--after", "10");

        Assert.True(ExitCodes.Ok == result.ExitCode, result.Error);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(Target, request.RawTarget);
        Assert.Equal("X-Api-Key test-key", request.Header("Authorization"));
        var lines = result.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("SEQ  AT ", lines[0], StringComparison.Ordinal);
        Assert.Contains("MESSAGE ID", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("11   2026-03-01T12:00:01Z", lines[1], StringComparison.Ordinal);
        Assert.Contains(" 503 ", lines[2], StringComparison.Ordinal);
        Assert.Equal("More: repeat with --after 12", lines[3]);
    }

    [Fact]
    public async Task Search_NoOptions_NoQuery_JsonAsServed()
    {
        _stub.On("GET", "/api/v1/message-log/records", StubResponse.Json(200, """{"records":[],"next":null}"""));

        var result = await CliRun.RunAsync(_stub, "log", "search", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("/api/v1/message-log/records", Assert.Single(_stub.Requests).RawTarget);
        Assert.Equal(0, result.OutJson().GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task Search_LastPage_NoMoreHint()
    {
        _stub.On("GET", "/api/v1/message-log/records?after=12", StubResponse.Json(200, """{"records":[],"next":null}"""));

        var result = await CliRun.RunAsync(_stub, "log", "search", "--after", "12");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("(none)\n", result.Out);
    }

    [Fact]
    public async Task Search_UnknownOutcome_UsageErrorNothingSent()
    {
        var result = await CliRun.RunAsync(_stub, "log", "search", "--outcome", "broken");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Search_RefusedByTheServer_ExitsOneWithTheCode()
    {
        _stub.On("GET", "/api/v1/message-log/records?limit=5000", StubResponse.Problem(400, "messagelog.invalid_query", "limit: must be an integer from 1 to 1000."));

        var result = await CliRun.RunAsync(_stub, "log", "search", "--limit", "5000");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal("messagelog.invalid_query: limit: must be an integer from 1 to 1000.\n", result.Error);
    }

    [Fact]
    public async Task Integrity_ShowsTheVerdictTheFindingAndTheCheckpoints()
    {
        _stub.On("GET", "/api/v1/message-log/integrity", StubResponse.Json(200, """
            {"lastCheckpoint":{"treeSize":40,"createdAt":"2026-03-01T12:00:00Z","stampedAt":null,"ageSeconds":3},
             "lastStampedCheckpoint":{"treeSize":38,"createdAt":"2026-03-01T11:59:59Z","stampedAt":"2026-03-01T12:00:00Z","ageSeconds":3},
             "monitor":{"state":"failed","lastRunAt":"2026-03-01T12:00:03Z","lastRunResult":"ok","lastRunMessage":null,"verifiedTreeSize":40,
               "fullVerificationPosition":0,"lastFullVerificationAt":null,"findings":1,
               "finding":{"code":"messagelog.integrity.leaf_mismatch","item":"record 17","sequence":17,"checkpointTreeSize":null,"message":"record 17 does not hash to its stored leaf","detectedAt":"2026-03-01T12:00:01Z"}}}
            """));

        var result = await CliRun.RunAsync(_stub, "log", "integrity");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("/api/v1/message-log/integrity", Assert.Single(_stub.Requests).RawTarget);
        Assert.Contains(Field("monitor.state", "failed"), result.Out, StringComparison.Ordinal);
        Assert.Contains(Field("monitor.finding.item", "record 17"), result.Out, StringComparison.Ordinal);
        Assert.Contains(Field("monitor.finding.code", "messagelog.integrity.leaf_mismatch"), result.Out, StringComparison.Ordinal);
        Assert.Contains(Field("lastCheckpoint.treeSize", "40"), result.Out, StringComparison.Ordinal);
        Assert.EndsWith("lastStampedCheckpoint.ageSeconds: 3\n", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("monitor.lastRunMessage", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bundle_ByRequestIdAndSide_DownloadsTheBundleToTheFile()
    {
        using var dir = new TempDir();
        const string Bundle = """{"format":"xgw-evidence-bundle/v1"}""";
        _stub.On("GET", "/api/v1/message-log/exchanges/00000001-0001-0002-0304-05060708090a/bundle?side=client", StubResponse.Json(200, Bundle));
        var output = Path.Combine(dir.Path, "exchange.xgwe");

        var result = await CliRun.RunAsync(_stub, "log", "bundle", "--request-id", "00000001-0001-0002-0304-05060708090a", "--side", "client", "--out", output);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(Bundle, File.ReadAllText(output));
        Assert.Equal("Wrote 35 B to " + output + ".\n", result.Out);
    }

    [Fact]
    public async Task Bundle_BySequence_ToStandardOutput()
    {
        _stub.On("GET", "/api/v1/message-log/records/17/bundle", StubResponse.Json(200, "{}"));

        var result = await CliRun.RunAsync(_stub, "log", "bundle", "--sequence", "17");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("{}"u8.ToArray(), result.StandardOutputBytes);
    }

    [Theory]
    [InlineData("log", "bundle")]
    [InlineData("log", "bundle", "--sequence", "3", "--request-id", "00000001-0001-0002-0304-05060708090a")]
    [InlineData("log", "bundle", "--sequence", "0")]
    [InlineData("log", "bundle", "--sequence", "3", "--side", "client")]
    [InlineData("log", "export", "--to", "0")]
    [InlineData("log", "export", "--from", "-1")]
    public async Task BundleAndExport_BadOptions_UsageErrorNothingSent(params string[] arguments)
    {
        var result = await CliRun.RunAsync(_stub, arguments);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Export_Range_SentAsQuery_RefusalLeavesNoFile()
    {
        using var dir = new TempDir();
        _stub.On("GET", "/api/v1/message-log/export?from=10&to=7", StubResponse.Problem(400, "messagelog.invalid_range", "An export runs from a tree size of 0 or more to a larger or equal size of at least 1, not from 10 to 7."));
        var output = Path.Combine(dir.Path, "log.xgwl");

        var result = await CliRun.RunAsync(_stub, "log", "export", "--from", "10", "--to", "7", "--out", output);

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.StartsWith("messagelog.invalid_range: ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Export_NoRange_AsksForTheWholeLog()
    {
        _stub.On("GET", "/api/v1/message-log/export", StubResponse.Json(200, "{\"format\":\"xgw-log-export/v1\"}\n"));

        var result = await CliRun.RunAsync(_stub, "log", "export");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("/api/v1/message-log/export", Assert.Single(_stub.Requests).RawTarget);
    }

    // Human.Fields pads every name to the longest (lastStampedCheckpoint.ageSeconds) plus the colon and a space.
    private static string Field(string name, string value) => (name + ":").PadRight("lastStampedCheckpoint.ageSeconds: ".Length) + value + "\n";
}
