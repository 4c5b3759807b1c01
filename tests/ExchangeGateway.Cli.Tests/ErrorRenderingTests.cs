using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ExchangeGateway.Cli.Tests;

/// <summary>Exit codes 1 and 3, and how failures and results are printed with and without <c>--json</c>.</summary>
public sealed class ErrorRenderingTests : IAsyncLifetime
{
    private StubAdminApi _stub = null!;

    public async Task InitializeAsync() => _stub = await StubAdminApi.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task Refusal_Human_PrintsCodeAndDetailOnStandardErrorAndExitsOne()
    {
        _stub.On("POST", "/api/v1/tokens/0/login", StubResponse.Problem(403, "signer.wrong_pin", "The PIN is wrong; 4 attempts left."));

        var result = await CliRun.RunAsync(_stub, new Dictionary<string, string> { ["XGW_TOKEN_PIN"] = "Wrong-Pin-000" }, "token", "login");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal("signer.wrong_pin: The PIN is wrong; 4 attempts left.\n", result.Error);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public async Task Refusal_Json_PrintsCodeMessageStatusOnStandardOutput()
    {
        _stub.On("POST", "/api/v1/tokens/0/login", StubResponse.Problem(423, "signer.token_locked_out", "Locked until 12:00."));

        var result = await CliRun.RunAsync(_stub, new Dictionary<string, string> { ["XGW_TOKEN_PIN"] = "Some-Pin-000" }, "token", "login", "--json");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal("""{"code":"signer.token_locked_out","message":"Locked until 12:00.","status":423}""" + "\n", result.Out);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Refusal_WithoutProblemBody_UsesHttpStatusCode()
    {
        _stub.On("GET", "/api/v1/initialisation", new StubResponse(404));

        var result = await CliRun.RunAsync(_stub, "status", "--json");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        var error = result.OutJson();
        Assert.Equal("http.404", error.GetProperty("code").GetString());
        Assert.Equal("Not Found", error.GetProperty("message").GetString());
        Assert.Equal(404, error.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task RateLimited_ShowsRetryAfter()
    {
        _stub.On("GET", "/api/v1/clients", StubResponse.Problem(429, "admin.rate_limited", "Too many requests.") with { Headers = new Dictionary<string, string> { ["Retry-After"] = "7" } });

        var result = await CliRun.RunAsync(_stub, "clients", "list");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal("admin.rate_limited: Too many requests. (retry after 7 s)\n", result.Error);
    }

    [Fact]
    public async Task ServerNotListening_ExitsThree()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await CliRun.RunAsync(new Dictionary<string, string> { ["XGW_API_KEY"] = "k" }, "status", "--url", $"http://127.0.0.1:{port}", "--json");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        var error = result.OutJson();
        Assert.Equal("cli.unreachable", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("status").ValueKind);
    }

    [Fact]
    public async Task SlowServer_RequestTimeout_ExitsThree()
    {
        _stub.On("GET", "/api/v1/initialisation", StubResponse.Json(200, "{}") with { Delay = TimeSpan.FromSeconds(10) });

        var result = await CliRun.RunAsync(_stub, "status", "--request-timeout", "1");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith("cli.timeout: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("did not answer within 1 s", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonJsonSuccessBody_IsABadResponse()
    {
        _stub.On("GET", "/api/v1/initialisation", new StubResponse(200, "<html>proxy</html>", "text/html"));

        var result = await CliRun.RunAsync(_stub, "status");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.StartsWith("cli.bad_response: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Success_Json_PrintsTheApiJsonUnchanged()
    {
        const string body = """{"initialised":true, "serverId":"DEV/GOV/1/ss1","tokenStatus":"loggedIn","extra":{"a":[1,2]}}""";
        _stub.On("GET", "/api/v1/initialisation", StubResponse.Json(200, body));

        var result = await CliRun.RunAsync(_stub, "status", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(body + "\n", result.Out);
    }

    [Fact]
    public async Task Success_Human_PrintsShortFields()
    {
        _stub.On("GET", "/api/v1/initialisation", StubResponse.Json(200, """{"initialised":true,"serverId":"DEV/GOV/1/ss1","tokenStatus":"loggedIn"}"""));

        var result = await CliRun.RunAsync(_stub, "status");

        Assert.Equal("initialised: yes\nserverId:    DEV/GOV/1/ss1\ntokenStatus: loggedIn\n", result.Out);
    }

    [Fact]
    public async Task ApiKeysList_Human_PrintsATable()
    {
        _stub.On("GET", "/api/v1/api-keys", StubResponse.Json(200, """[{"id":"a1","name":"ops","roles":["observer","auditor"],"createdAt":"2026-01-01T00:00:00Z","revokedAt":null,"active":true}]"""));

        var result = await CliRun.RunAsync(_stub, "api-keys", "list");

        Assert.Equal("ID  NAME  ROLES              ACTIVE  CREATED\na1  ops   observer, auditor  yes     2026-01-01T00:00:00Z\n", result.Out);
    }
}
