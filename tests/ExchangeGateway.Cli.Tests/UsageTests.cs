using System.Text.Json;

namespace ExchangeGateway.Cli.Tests;

/// <summary>Argument parsing and exit code 2: nothing is sent to the server when the command line is wrong.</summary>
public sealed class UsageTests : IAsyncLifetime
{
    private StubAdminApi _stub = null!;

    public async Task InitializeAsync() => _stub = await StubAdminApi.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Theory]
    [InlineData("keys")]
    [InlineData("no-such-command")]
    [InlineData("clients", "register")]
    [InlineData("status", "--no-such-option")]
    [InlineData("keys", "generate", "--usage", "encryption", "--name", "k")]
    [InlineData("keys", "generate", "--name", "k")]
    [InlineData("api-keys", "create", "ops")]
    [InlineData("wait", "client-registered")]
    public async Task Run_BadCommandLine_ExitsTwoAndSendsNothing(params string[] args)
    {
        var result = await CliRun.RunAsync(_stub, args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("Run 'xgw --help'", result.Error, StringComparison.Ordinal);
        Assert.Contains("cli.usage: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Run_BadCommandLineWithJson_PrintsUsageErrorAsJson()
    {
        var result = await CliRun.RunAsync(_stub, "keys", "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var error = result.OutJson();
        Assert.Equal("cli.usage", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("status").ValueKind);
        Assert.Equal(3, error.EnumerateObject().Count());
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task TokenLogin_PinAsPlainArgument_IsRefusedAndNotSent()
    {
        var result = await CliRun.RunAsync(_stub, "token", "login", "Secret-Pin-123");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.DoesNotContain("Secret-Pin-123", result.Out, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task TokenLogin_NoPinFileNorVariable_ExitsTwoNamingBothSources()
    {
        var result = await CliRun.RunAsync(_stub, "token", "login");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("cli.usage: The token PIN is needed: give --pin-file FILE or set XGW_TOKEN_PIN.\n", result.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task TokenLogin_MissingPinFile_ExitsTwo()
    {
        using var dir = new TempDir();
        var result = await CliRun.RunAsync(_stub, "token", "login", "--pin-file", Path.Combine(dir.Path, "absent"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task TokenLogin_EmptyPinFile_ExitsTwo()
    {
        using var dir = new TempDir();
        var result = await CliRun.RunAsync(_stub, "token", "login", "--pin-file", dir.File("pin", "\n"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("holds no PIN", result.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Status_NoApiKeyAnywhere_ExitsTwo()
    {
        var result = await CliRun.RunAsync(new Dictionary<string, string> { ["XGW_URL"] = _stub.Url.ToString() }, "status");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("cli.usage: An API key is needed: give --api-key-file FILE, --api-key KEY or set XGW_API_KEY.\n", result.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Status_ApiKeyAndApiKeyFileTogether_ExitsTwo()
    {
        using var dir = new TempDir();
        var result = await CliRun.RunAsync(_stub, "status", "--api-key", "a", "--api-key-file", dir.File("key", "b"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("not both", result.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:4000")]
    [InlineData("127.0.0.1:4000")]
    [InlineData("http://127.0.0.1:4000/?x=1")]
    public async Task Status_BadUrl_ExitsTwo(string url)
    {
        var result = await CliRun.RunAsync(new Dictionary<string, string> { ["XGW_API_KEY"] = "k" }, "status", "--url", url);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("is not an absolute http or https URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_TimeoutOutOfRange_ExitsTwoAndSendsNothing()
    {
        var result = await CliRun.RunAsync(_stub, "wait", "ready", "--timeout", "0");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--timeout must be between 1 and 3600", result.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task ServicesAddWsdl_BothUrlAndFile_ExitsTwo()
    {
        using var dir = new TempDir();
        var result = await CliRun.RunAsync(_stub, "services", "add-wsdl", "DEV/GOV/1/s", "--url", "http://x/wsdl", "--file", dir.File("a.wsdl", "<x/>"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("exactly one of --url and --file", result.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task BackupDownload_OutFileExists_ExitsTwoAndKeepsTheFile()
    {
        using var dir = new TempDir();
        var existing = dir.File("b.tar", "keep me");
        var result = await CliRun.RunAsync(_stub, "backup", "download", "xgw-backup-ss1-20260101T000000Z.tar", "--out", existing);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Help_ExitsZeroAndListsCommands()
    {
        var result = await CliRun.RunAsync(_stub, "--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        foreach (var command in new[] { "init", "status", "token", "keys", "csr", "certs", "clients", "is-certs", "groups", "services", "access", "tsa", "anchor", "diag", "address", "owner", "requests", "backup", "api-keys", "wait" })
        {
            Assert.Contains("  " + command + " ", result.Out, StringComparison.Ordinal);
        }

        Assert.Empty(_stub.Requests);
    }
}
