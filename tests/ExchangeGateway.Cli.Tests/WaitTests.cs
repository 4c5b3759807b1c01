using System.Diagnostics;

namespace ExchangeGateway.Cli.Tests;

/// <summary><c>xgw wait</c>: polls until done, retries what may pass, stops at once on a refusal, and gives up at the timeout.</summary>
public sealed class WaitTests : IAsyncLifetime
{
    private const string ClientPath = "/api/v1/clients/DEV%2FGOV%2F1%2Fbilling";
    private StubAdminApi _stub = null!;

    public async Task InitializeAsync() => _stub = await StubAdminApi.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task ClientRegistered_PollsUntilRegistered()
    {
        _stub.On(
            "GET",
            ClientPath,
            StubResponse.Json(200, """{"id":"DEV/GOV/1/billing","status":"saved"}"""),
            StubResponse.Json(200, """{"id":"DEV/GOV/1/billing","status":"registration-in-progress"}"""),
            StubResponse.Problem(503, "onboarding.no_global_configuration", "no configuration yet"),
            StubResponse.Json(200, """{"id":"DEV/GOV/1/billing","status":"registered"}"""));

        var result = await CliRun.RunAsync(_stub, "wait", "client-registered", "DEV/GOV/1/billing", "--interval", "0.05", "--timeout", "20");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("Client DEV/GOV/1/billing is registered.\n", result.Out);
        Assert.Equal(4, _stub.Requests.Count);
        Assert.All(_stub.Requests, r => Assert.Equal("X-Api-Key test-key", r.Header("Authorization")));
    }

    [Fact]
    public async Task ClientRegistered_NeverRegistered_ExitsThreeAtTheTimeoutWithTheLastState()
    {
        _stub.On("GET", ClientPath, StubResponse.Json(200, """{"id":"DEV/GOV/1/billing","status":"registration-in-progress"}"""));
        var watch = Stopwatch.StartNew();

        var result = await CliRun.RunAsync(_stub, "wait", "client-registered", "DEV/GOV/1/billing", "--interval", "0.2", "--timeout", "1");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Equal("cli.timeout: gave up after 1 s; client status: registration-in-progress\n", result.Error);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.InRange(_stub.Requests.Count, 2, 8);
    }

    [Fact]
    public async Task ClientRegistered_Refused_StopsAtOnceWithExitOne()
    {
        _stub.On("GET", ClientPath, StubResponse.Problem(404, "registry.not_found", "Client DEV/GOV/1/billing is not hosted on this server."));

        var result = await CliRun.RunAsync(_stub, "wait", "client-registered", "DEV/GOV/1/billing", "--interval", "0.05", "--timeout", "30");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal("registry.not_found: Client DEV/GOV/1/billing is not hosted on this server.\n", result.Error);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task AuthRegistered_WaitsForARegisteredAuthenticationCertificate()
    {
        _stub.On(
            "GET",
            "/api/v1/tokens/0",
            StubResponse.Json(200, """{"keys":[{"usage":"signing","certificates":[{"id":"s1","state":"registered"}]},{"usage":"authentication","certificates":[{"id":"a1","state":"registrationInProgress"}]}]}"""),
            StubResponse.Json(200, """{"keys":[{"usage":"signing","certificates":[{"id":"s1","state":"registered"}]},{"usage":"authentication","certificates":[{"id":"a1","state":"registered"}]}]}"""));

        var result = await CliRun.RunAsync(_stub, "wait", "auth-registered", "--interval", "0.05", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(2, _stub.Requests.Count);
        Assert.Equal("registered", result.OutJson().GetProperty("keys")[1].GetProperty("certificates")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Ready_NeedsNoKeyAndRetriesNotReady()
    {
        _stub.On(
            "GET",
            "/health/ready",
            StubResponse.Json(503, """{"status":"not_ready","reasons":["server.not_initialised"]}"""),
            StubResponse.Json(200, """{"status":"ready","reasons":[]}"""));

        var result = await CliRun.RunAsync(new Dictionary<string, string> { ["XGW_URL"] = _stub.Url.ToString() }, "wait", "ready", "--interval", "0.05");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(2, _stub.Requests.Count);
        Assert.All(_stub.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    [Fact]
    public async Task Ready_ServerDown_ExitsThreeNamingTheLastError()
    {
        var result = await CliRun.RunAsync(new Dictionary<string, string>(), "wait", "ready", "--url", "http://127.0.0.1:9", "--interval", "0.1", "--timeout", "1");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith("cli.timeout: gave up after 1 s; unreachable: ", result.Error, StringComparison.Ordinal);
    }
}
