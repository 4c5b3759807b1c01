using System.Net;
using System.Text;
using ExchangeGateway.CentralServer.Commands;
using ExchangeGateway.CentralServer.Tests.Support;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.CentralServer.Tests;

public sealed class InitialisationTests
{
    [Fact]
    public async Task Start_FirstTime_PrintsAdminKeyOnceAndLaterStartsDoNot()
    {
        using var dir = new TempDirectory();
        var data = dir.File("central");
        string key;
        await using (var first = await CentralServerInstance.StartAsync(data))
        {
            Assert.NotNull(first.AdminKey);
            key = first.AdminKey;
            Assert.Single(CentralServerInstance.KeyPattern().Matches(first.ConsoleText));
            Assert.Contains("system-administrator", first.ConsoleText, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data, "central.db")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "central.db")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "central.db-wal")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
            }
        }

        await using var second = await CentralServerInstance.StartAsync(data);
        Assert.Null(second.AdminKey);
        Assert.DoesNotContain(key, second.ConsoleText, StringComparison.Ordinal);
        using var admin = second.Client(key);
        var registry = await (await admin.GetAsync("api/v1/registry")).Expect(HttpStatusCode.OK);
        Assert.Equal("EE", registry.GetProperty("instanceId").GetString());
    }

    [Fact]
    public async Task Start_OtherInstanceIdOnExistingData_Throws()
    {
        using var dir = new TempDirectory();
        await using (await CentralServerInstance.StartAsync(dir.File("central")))
        {
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CentralServerInstance.StartAsync(dir.File("central"), instanceId: "FI"));
        Assert.Contains("belongs to instance 'EE'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("E E")]
    [InlineData("EE/GOV")]
    public async Task Start_MissingOrInvalidInstanceId_FailsValidation(string instanceId)
    {
        using var dir = new TempDirectory();
        await Assert.ThrowsAsync<OptionsValidationException>(() => CentralServerInstance.StartAsync(dir.File("central"), instanceId: instanceId));
        Assert.False(File.Exists(dir.File("central/central.db")));
    }

    [Fact]
    public async Task Health_LiveAndReady_Return200WithoutKey()
    {
        await using var f = await ServerFixture.StartAsync();
        using var anonymous = f.Server.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("health/live")).StatusCode);
        var ready = await anonymous.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateApiKeyCommand_OfflineOnExistingData_PrintsWorkingKeyOnce()
    {
        using var dir = new TempDirectory();
        var data = dir.File("central");
        await using (await CentralServerInstance.StartAsync(data))
        {
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CreateApiKeyCommand.Run(["create-api-key", "--role", "system-administrator", "--name", "recovery", $"--CentralServer:DataDirectory={data}"], output, error);
        Assert.True(exit == 0, error.ToString());
        var key = CentralServerInstance.KeyPattern().Match(output.ToString()).Groups[1].Value;
        Assert.NotEmpty(key);

        await using var server = await CentralServerInstance.StartAsync(data);
        using var admin = server.Client(key);
        var keys = await (await admin.GetAsync("api/v1/api-keys")).Expect(HttpStatusCode.OK);
        Assert.Contains(keys.EnumerateArray(), k => k.GetProperty("name").GetString() == "recovery" && k.GetProperty("createdBy").GetString() == "offline-command");
        var audit = await (await admin.GetAsync("api/v1/audit")).Expect(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "api-key.create" && e.GetProperty("actorName").GetString() == "offline-command");
    }

    [Fact]
    public void CreateApiKeyCommand_NoDatabaseOrBadArguments_Fails()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(1, CreateApiKeyCommand.Run(["create-api-key", "--role=observer", "--name=x", "--data-directory", dir.File("none")], output, error));
        Assert.Equal(2, CreateApiKeyCommand.Run(["create-api-key", "--role=root", "--name=x", "--data-directory", dir.File("none")], output, error));
        Assert.Equal(2, CreateApiKeyCommand.Run(["create-api-key", "--name=x"], output, error));
        Assert.Empty(output.ToString());
        Assert.False(File.Exists(dir.File("none/central.db")));
    }

    [Fact]
    public async Task ApiKeys_StoredHashedOnly_KeyTextAbsentFromDatabaseFiles()
    {
        using var dir = new TempDirectory();
        var data = dir.File("central");
        string adminKey;
        string officerKey;
        await using (var server = await CentralServerInstance.StartAsync(data))
        {
            adminKey = server.AdminKey!;
            using var admin = server.Client(adminKey);
            officerKey = await admin.CreateKey("officer", "registration-officer");
            await (await admin.GetAsync("api/v1/audit")).Expect(HttpStatusCode.OK);
        }

        var bytes = Directory.GetFiles(data).SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(bytes.Length > 0);
        foreach (var key in new[] { adminKey, officerKey })
        {
            var secret = key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..];
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Buffers.Text.Base64Url.DecodeFromChars(secret)));
        }
    }
}
