using System.Net;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

public sealed class AdminKeysAndStartupTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CreateApiKeyCommand_PrintsTheKeyOnceAndStoresOnlyItsHash()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

        var exit = CreateApiKeyCommand.Run(["create-api-key", "--name", "ops", "--role", "observer", $"--SecurityServer:DataDirectory={_dir.Path}"], output, error, time);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error.ToString());
        var key = KeyFrom(output.ToString());
        var store = new AdminApiKeyStore(_dir.Path, time);
        var info = store.Authenticate(key);
        Assert.NotNull(info);
        Assert.Equal(("ops", AdminRole.Observer, new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)), (info.Name, info.Roles.Single(), info.CreatedAt));
        var stored = File.ReadAllText(store.FilePath);
        Assert.DoesNotContain(key[17..], stored, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        }
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void CreateApiKeyCommand_Help_PrintsUsage_AndCreatesNoKey(string help)
    {
        var output = new StringWriter();
        var exit = CreateApiKeyCommand.Run(["create-api-key", help, "--data-directory", _dir.Path], output, new StringWriter());

        Assert.Equal(0, exit);
        Assert.StartsWith("usage: create-api-key", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void CreateApiKeyCommand_Defaults_AreAnAdministratorKeyInTheDataDirectoryOption()
    {
        var output = new StringWriter();

        var exit = CreateApiKeyCommand.Run(["create-api-key", "--data-directory", _dir.Path], output, new StringWriter());

        Assert.Equal(0, exit);
        var info = new AdminApiKeyStore(_dir.Path, TimeProvider.System).Authenticate(KeyFrom(output.ToString()));
        Assert.Equal(("administrator", AdminRole.SystemAdministrator), (info!.Name, info.Roles.Single()));
    }

    [Theory]
    [InlineData("--role", "root")]
    [InlineData("--name", "")]
    public void CreateApiKeyCommand_BadArguments_ExitWith2AndCreateNothing(string option, string value)
    {
        var error = new StringWriter();

        var exit = CreateApiKeyCommand.Run(["create-api-key", option, value, "--data-directory", _dir.Path], new StringWriter(), error);

        Assert.Equal(2, exit);
        Assert.NotEqual(string.Empty, error.ToString());
        Assert.False(File.Exists(Path.Combine(_dir.Path, AdminApiKeyStore.FileName)));
    }

    [Fact]
    public async Task KeyCreatedByCommandWhileServerRuns_WorksWithoutRestart()
    {
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        await using var host = await AdminTestHost.StartAsync(_dir.Path);
        var first = host.CreateKey();
        var output = new StringWriter();

        Assert.Equal(0, CreateApiKeyCommand.Run(["create-api-key", "--data-directory", _dir.Path], output, new StringWriter()));

        using var http = host.Client(KeyFrom(output.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/clients")).StatusCode);
        using var old = host.Client(first);
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync("api/v1/clients")).StatusCode);
    }

    [Fact]
    public async Task NoServerConf_StartsButTheApiAnswersNotInitialised()
    {
        await using var host = await AdminTestHost.StartAsync(_dir.Path);
        using var http = host.Client(host.CreateKey());

        await RegistryAdminApiTests.AssertProblem(await http.GetAsync("api/v1/clients"), HttpStatusCode.Conflict, "registry.not_initialised");
        await RegistryAdminApiTests.AssertProblem(
            await http.PutAsync("api/v1/clients/DEV%2FGOV%2F70000001%2Fx", RegistryAdminApiTests.Body("{}")),
            HttpStatusCode.Conflict,
            "registry.not_initialised");
        Assert.Null(host.Store.Current);
        Assert.False(File.Exists(host.Store.FilePath));
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 4004);
    }

    [Fact]
    public async Task InvalidServerConf_StopsTheStartWithTheReason()
    {
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample.Replace("\"echo\"", "\"listClients\"", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AdminTestHost.StartAsync(_dir.Path));

        var messages = string.Join(" | ", Flatten(failure).Select(e => e.Message));
        Assert.Contains("the service code 'listClients' is reserved for a metaservice", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyStore_Authenticate_RejectsMalformedUnknownAndRevoked()
    {
        var store = new AdminApiKeyStore(_dir.Path, TimeProvider.System);
        var key = store.Create("k", [AdminRole.Observer]).GetValueOrThrow().Key;

        Assert.NotNull(store.Authenticate(key));
        Assert.Null(store.Authenticate(null));
        Assert.Null(store.Authenticate(string.Empty));
        Assert.Null(store.Authenticate(key.ToUpperInvariant()));
        Assert.Null(store.Authenticate(key + "A"));
        Assert.Null(store.Authenticate("ffffffffffffffff" + key[16..]));
        Assert.NotNull(store.Revoke(key[..16]));
        Assert.Null(store.Authenticate(key));
        Assert.Null(store.Revoke("0000000000000000"));
    }

    [Fact]
    public void KeyStore_CorruptFile_RefusesToOpen()
    {
        File.WriteAllText(_dir.File(AdminApiKeyStore.FileName), "{\"keys\": [{\"id\": 1}]}");

        var failure = Assert.Throws<InvalidOperationException>(() => new AdminApiKeyStore(_dir.Path, TimeProvider.System));

        Assert.Contains(AdminApiKeyStore.FileName, failure.Message, StringComparison.Ordinal);
    }

    private static string KeyFrom(string output)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("API key:", StringComparison.Ordinal)).ToList();
        return Assert.Single(lines)["API key:".Length..].Trim();
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
